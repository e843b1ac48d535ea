/**
 * Reporters register themselves by name; the runner enables them by name.
 * Adding a reporter is adding a file in this directory.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Reporter, ReporterOptions } from '../events.js';

export interface ReporterFactory {
  name: string;
  /** Enabled unless the user chose reporters explicitly. */
  default: boolean;
  /** Terminal reporters: only one of them is used. */
  terminal?: 'tty' | 'plain';
  create(opts: ReporterOptions): Reporter;
}

const factories = new Map<string, ReporterFactory>();

export function registerReporter(f: ReporterFactory): void {
  factories.set(f.name, f);
}

let loaded: Promise<void> | undefined;

export function loadReporters(): Promise<void> {
  loaded ??= (async () => {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    const files = (await readdir(dir)).filter((f) => /\.(js|ts)$/.test(f) && !f.startsWith('registry.') && !f.endsWith('.d.ts'));
    const ext = files.some((f) => f.endsWith('.js')) ? '.js' : '.ts';
    for (const f of files.filter((x) => x.endsWith(ext)).sort()) await import(pathToFileURL(path.join(dir, f)).href);
  })();
  return loaded;
}

/** The default reporters, with the terminal one that fits the output. */
export async function defaultReporters(opts: ReporterOptions): Promise<Reporter[]> {
  await loadReporters();
  // in name order, whoever registered them (files here, or the CLI: the report reporter)
  const wanted = [...factories.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).filter((f) => f.default && (!f.terminal || f.terminal === (opts.isTTY ? 'tty' : 'plain')));
  return wanted.map((f) => f.create(opts));
}

/** Calls one hook on every reporter; a reporter that throws is reported and dropped. */
export async function emit<K extends 'onBegin' | 'onTestBegin' | 'onTestEnd' | 'onEnd'>(
  reporters: Reporter[],
  hook: K,
  err: (text: string) => void,
  ...args: Parameters<NonNullable<Reporter[K]>>
): Promise<void> {
  for (const r of [...reporters]) {
    const fn = r[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (!fn) continue;
    try {
      await fn.apply(r, args);
    } catch (e) {
      err(`defcore: reporter ${r.name} failed in ${hook}: ${(e as Error).message}; it is disabled for the rest of the run\n`);
      reporters.splice(reporters.indexOf(r), 1);
    }
  }
}
