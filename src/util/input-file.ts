/**
 * Reading the files a user hands the CLI. Only regular files are read (a FIFO would block
 * for ever, /dev/zero never ends, a directory is a mistake) and never more than a limit, so
 * a wrong path costs one clear line instead of a hang or all the memory.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Limits per kind of file: far above any real one, far below what would hurt. */
export const INPUT_LIMITS = {
  /** clouds.yaml, secure.yaml, defcore.yaml. */
  config: 4 * 1024 * 1024,
  /** PEM keys, signatures, CA bundles. */
  key: 4 * 1024 * 1024,
  /** Guideline YAML/JSON. */
  guideline: 16 * 1024 * 1024,
  /** report.json (evidence included). */
  report: 256 * 1024 * 1024,
  /** results.json, subunit streams, test lists. */
  results: 512 * 1024 * 1024,
} as const;

/**
 * Why an input file was refused. `code` is a short reason (an errno code such as ENOENT,
 * or words), so callers' existing `cannot read X (<code>)` messages stay one line.
 */
export class InputFileError extends Error {
  constructor(readonly file: string, readonly code: string) {
    super(`${file}: ${code}`);
    this.name = 'InputFileError';
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function mib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1048576).toFixed(n % 1048576 === 0 ? 0 : 1)} MiB` : `${n} bytes`;
}

function checkStats(file: string, st: Stats, maxBytes: number): void {
  if (!st.isFile()) throw new InputFileError(file, `not a regular file (${kindOf(st)})`);
  if (st.size > maxBytes) throw new InputFileError(file, `too large (${mib(st.size)}; at most ${mib(maxBytes)})`);
}

function errnoError(file: string, e: unknown): InputFileError {
  if (e instanceof InputFileError) return e;
  return new InputFileError(file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
}

function tooLong(file: string, maxBytes: number): InputFileError {
  return new InputFileError(file, `too large (more than ${mib(maxBytes)})`);
}

/** Reads a regular file of at most `maxBytes`; throws InputFileError otherwise. */
export async function readInputFile(file: string, maxBytes: number): Promise<Buffer> {
  try {
    checkStats(file, await stat(file), maxBytes);
    // O_NONBLOCK: should the path have become a FIFO since the stat, open must not wait for a writer.
    const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      checkStats(file, await fh.stat(), maxBytes);
      // Files such as /proc entries report size 0: read in chunks and stop past the limit.
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        chunks.push(buf.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes) throw tooLong(file, maxBytes);
      }
      return Buffer.concat(chunks, total);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw errnoError(file, e);
  }
}

/** Synchronous readInputFile (config loading is synchronous). */
export function readInputFileSync(file: string, maxBytes: number): Buffer {
  try {
    checkStats(file, statSync(file), maxBytes);
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      checkStats(file, fstatSync(fd), maxBytes);
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
        if (total > maxBytes) throw tooLong(file, maxBytes);
      }
      return Buffer.concat(chunks, total);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw errnoError(file, e);
  }
}

/** The short reason of a read failure, for one-line messages. */
export function readFailure(e: unknown): string {
  return e instanceof InputFileError ? e.code : ((e as NodeJS.ErrnoException).code ?? (e as Error).message);
}
