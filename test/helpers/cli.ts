import './no-ambient-proxy.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (same code path as bin/defcore.js). */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    isTTY: false,
    env: process.env,
    cwd,
  });
  return { code, stdout, stderr };
}

/** The dev cloud's four accounts, as `defcore run` flags. */
export const DEV_CLOUD_ARGS = ['--os-cloud', 'devcloud', '--alt-cloud', 'devcloud-alt', '--reseller-cloud', 'devcloud-reseller', '--admin-cloud', 'devcloud-admin'];
