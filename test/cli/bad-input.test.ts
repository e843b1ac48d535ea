import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';

/** Bad input is one line naming what is wrong, exit 2: never a hang, a stack trace or "internal error". */
function refused(r: CliRun, re: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

const EVAL = ['--guideline', '2020.06', '--program', 'object'];

describe('CLI: bad input files and flags', function () {
  // each case spawns the CLI several times; the bound is for a slow shared machine, not a measure
  this.timeout(90_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'defcore-badinput-'));
  });

  it('a FIFO given as results is refused at once (it would block for a writer)', async () => {
    const fifo = path.join(dir, 'results.fifo');
    execFileSync('mkfifo', [fifo]);
    refused(await runCli(['evaluate', fifo, ...EVAL]), /results\.fifo: cannot read \(not a regular file \(a FIFO\)\)/);
  });

  it('/dev/zero given as results is refused (it never ends)', async () => {
    refused(await runCli(['evaluate', '/dev/zero', ...EVAL]), /\/dev\/zero: .*not a regular file \(a character device\)/);
  });

  it('a directory given as results, report, guideline or key is refused', async () => {
    refused(await runCli(['evaluate', dir, ...EVAL]), /not a regular file \(a directory\)/);
    refused(await runCli(['report', 'render', dir, '--format', 'json']), /cannot read report .*not a regular file \(a directory\)/);
    refused(await runCli(['guidelines', 'export', `${dir}/`]), /cannot read guideline file .*not a regular file \(a directory\)/);
    refused(await runCli(['verify', '/dev/zero']), /cannot read report \/dev\/zero: not a regular file/);
  });

  it('binary content, a top-level JSON array and subunit v1 text are not results (never "0 tests passed")', async () => {
    const bin = path.join(dir, 'random.bin');
    await writeFile(bin, Buffer.from([0xff, 0xfe, 0x41, 0x0a, 0xc3, 0x28, 0x42]));
    refused(await runCli(['evaluate', bin, ...EVAL]), /random\.bin: not a subunit v2 stream, JSON or a test list \(binary content\)/);
    const arr = path.join(dir, 'array.json');
    await writeFile(arr, JSON.stringify([{ name: 'tempest.api.object_storage.test_x.T.test_y', status: 'pass' }]));
    refused(await runCli(['evaluate', arr, ...EVAL]), /array\.json: a JSON array is not a results document/);
    const v1 = path.join(dir, 'v1.subunit');
    await writeFile(v1, 'test: tempest.api.object_storage.test_x.T.test_y\nsuccess: tempest.api.object_storage.test_x.T.test_y\n');
    refused(await runCli(['evaluate', v1, ...EVAL]), /v1\.subunit:1: subunit v1 text is not supported/);
    const prose = path.join(dir, 'notes.txt');
    await writeFile(prose, 'hello world, these are not tests\n');
    refused(await runCli(['evaluate', prose, ...EVAL]), /notes\.txt:1: not a subunit v2 stream, JSON results or a list of test names/);
  });

  it('a YAML alias bomb in defcore.yaml is refused as a possible bomb (exit 2, not internal error)', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const p = String.fromCharCode(97 + i - 1);
      const n = String.fromCharCode(97 + i);
      lines.push(`${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`);
    }
    const bomb = path.join(dir, 'defcore.yaml');
    await writeFile(bomb, lines.join('\n') + '\n');
    refused(await runCli(['run', ...EVAL, '--config', bomb]), /defcore\.yaml: too many alias expansions .*YAML bomb/);
  });

  it('--timeout 1e12 is refused before anything runs (it would overflow Node\'s timers)', async () => {
    refused(await runCli(['run', ...EVAL, '--timeout', '1e12']), /--timeout must be at most 86400 seconds \(got "1e12"\)/);
    refused(await runCli(['run', ...EVAL, '--timeout', '0']), /--timeout must be a whole number of at least 1/);
    refused(await runCli(['run', ...EVAL, '--retries', '9']), /--retries must be a whole number from 0 to 5 \(got "9"\)/);
    refused(await runCli(['run', ...EVAL, '--retries', '-1']), /--retries must be a whole number from 0 to 5/);
  });

  it('--guideline lists: a repeated, empty or program-less entry is refused before anything runs', async () => {
    refused(await runCli(['run', '--guideline', '2020.06,next,2020.06', '--program', 'object', '--os-cloud', 'nonexistent']), /--guideline names 2020\.06 twice/);
    refused(await runCli(['run', '--guideline', '2020.06,', '--program', 'object', '--os-cloud', 'nonexistent']), /--guideline has an empty entry/);
    refused(await runCli(['run', '--guideline', '2020.06,dns.2020.06', '--program', 'object', '--os-cloud', 'nonexistent']), /guideline dns\.2020\.06 .*has no/);
  });

  it('--output /dev/null and --output /proc/x are refused before anything runs', async () => {
    refused(await runCli(['run', ...EVAL, '--output', '/dev/null']), /--output \/dev\/null: not a directory/);
    refused(await runCli(['run', ...EVAL, '--output', '/proc/x']), /--output \/proc\/x: cannot (create the directory|write there)/);
  });

  it('keys generate -o /proc/x/key is one line (Node\'s recursive mkdir spins for ever there)', async () => {
    refused(await runCli(['keys', 'generate', '-o', '/proc/x/key']), /\/proc\/x: mkdir failed \(ENOENT\)/);
  });

  it('verify of a binary file shows its control characters escaped, never raw', async () => {
    const bin = path.join(dir, 'report.bin');
    await writeFile(bin, Buffer.from('\x1b[2J\x00{"x":', 'latin1'));
    const r = await runCli(['verify', bin]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /REJECTED: .*report\.bin: /);
    assert.ok(!/[\x00-\x08\x0b-\x1f]/.test(r.stdout), JSON.stringify(r.stdout));
  });

  it('report render -o DIR and guidelines export -o DIR name the problem', async () => {
    refused(await runCli(['guidelines', 'export', '2020.06', '-o', dir]), /-o .*: is a directory; give a file name/);
    refused(await runCli(['report', 'render', 'missing.json', '--format', 'json', '-o', dir]), /-o .*: is a directory; give a file name/);
  });
});
