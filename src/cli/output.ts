/**
 * Where commands write: checked before any work is done, so a bad `-o`/`--output` costs one
 * line and exit 2, not an hour of tests followed by nothing written.
 */
import { constants } from 'node:fs';
import { access, open, stat, unlink, writeFile } from 'node:fs/promises';
import { makeDirs } from '../util/mkdirs.js';
import path from 'node:path';
import { UsageError } from './io.js';

function reason(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/** Makes sure `dir` is a directory this process can create files in (creating it when missing). */
export async function prepareOutputDir(dir: string, flag = '--output'): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (st && !st.isDirectory()) throw new UsageError(`${flag} ${dir}: not a directory`);
  if (!st) {
    try {
      await makeDirs(dir);
    } catch (e) {
      throw new UsageError(`${flag} ${dir}: cannot create the directory (${reason(e)})`);
    }
  }
  // access(W_OK) says yes to root on read-only or pseudo filesystems: create a file to be sure.
  const probe = path.join(dir, `.defcore-write-test-${process.pid}`);
  try {
    const fh = await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await fh.close();
    await unlink(probe);
  } catch (e) {
    throw new UsageError(`${flag} ${dir}: cannot write there (${reason(e)})`);
  }
}

/** Checks that `file` can be written as a file (its directory exists, it is not a directory). */
export async function checkOutputFile(file: string, flag = '-o'): Promise<void> {
  const st = await stat(file).catch(() => undefined);
  if (st?.isDirectory()) throw new UsageError(`${flag} ${file}: is a directory; give a file name`);
  const parent = await stat(path.dirname(file)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`${flag} ${file}: directory ${path.dirname(file)} does not exist`);
  if (st) {
    try {
      await access(file, constants.W_OK);
    } catch (e) {
      throw new UsageError(`${flag} ${file}: cannot write (${reason(e)})`);
    }
  }
}

/** Writes a command's output file; failures are one line, exit 2. */
export async function writeOutputFile(file: string, data: string | Buffer, flag = '-o'): Promise<void> {
  await checkOutputFile(file, flag);
  try {
    await writeFile(file, data);
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot write (${reason(e)})`);
  }
}
