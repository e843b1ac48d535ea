/**
 * End to end on the dev cloud: `defcore run --sign` writes report.json, report.html,
 * junit.xml and the signature; `defcore verify` accepts the result; no credential of
 * any dev-cloud account appears in any of the files.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { DEV_CLOUD_FILE, devCloudOrSkip } from '../helpers/cloud.js';
import { tempDir } from './support.js';

describe('signed report of a real run @cloud', function () {
  this.timeout(600_000);

  it('run --sign on the Storage program, then verify accepts it and nothing secret leaked', async function () {
    (await devCloudOrSkip(this)).close();
    const dir = await tempDir('defcore-e2e-');
    assert.equal((await runCli(['keys', 'generate', '-o', 'signer'], dir)).code, 0);
    const run = await runCli(['run', '--guideline', '2020.06', '--program', 'object', '--output', 'out', '--sign', 'signer'], dir);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const out = path.join(dir, 'out');

    const v = await runCli(['verify', path.join('out', 'report.json'), '--pubkey', 'signer.pub', '--require-pass'], dir);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /^ok   verdict: re-evaluated 58 test result\(s\): program object PASS$/m);

    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as { tests: { evidence?: { exchanges: unknown[] } }[]; cloud: { authUrl: string } };
    assert.equal(report.tests.length, 58);
    assert.ok(report.tests.some((t) => (t.evidence?.exchanges.length ?? 0) > 0), 'evidence recorded');

    const clouds = parse(await readFile(DEV_CLOUD_FILE, 'utf8')) as { clouds: Record<string, { auth?: Record<string, string> }> };
    const secrets = Object.values(clouds.clouds).flatMap((c) => [c.auth?.['password'], c.auth?.['application_credential_secret']]).filter((s): s is string => Boolean(s));
    assert.ok(secrets.length > 0);
    for (const f of ['report.json', 'report.html', 'junit.xml', 'report.json.sig']) {
      const text = await readFile(path.join(out, f), 'utf8');
      for (const s of secrets) assert.ok(!text.includes(s), `a dev-cloud password is in ${f}`);
      assert.ok(!/gAAAA[A-Za-z0-9_-]{20,}/.test(text), `a Keystone token is in ${f}`);
    }
    assert.match(await readFile(path.join(out, 'report.html'), 'utf8'), /<span id="verdict" class="verdict">PASS<\/span>/);
  });
});
