import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { HOSTILE_PASSWORD, HOSTILE_TOKEN, startHostileCloud, withCloudsFile, type HostileCloud } from '../helpers/hostile-cloud.js';

const ONE_TEST = ['run', '--guideline', '2020.06', '--program', 'object', '--os-cloud', 'hostile', '--only', 'AccountTest.test_list_containers$', '--timeout', '20'];

async function everyFile(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(dir)) out[f] = await readFile(path.join(dir, f), 'utf8');
  return out;
}

describe('CLI: secrets never leave the process (hostile cloud on 127.0.0.1)', function () {
  this.timeout(60_000);
  let cloud: HostileCloud | undefined;
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  it('a cloud that echoes the token in an error body: the token is in no written file and not on stderr', async () => {
    cloud = await startHostileCloud({
      services: { 'object-store': '/v1/AUTH_p' },
      handler: (req, res) => {
        // echo the request headers, as a debugging proxy or a careless error page would
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`internal error; you sent token ${String(req.headers['x-auth-token'])} {"token": "${String(req.headers['x-auth-token'])}"}`);
      },
    });
    const out = await mkdtemp(path.join(tmpdir(), 'defcore-secrets-'));
    const file = await cloud.cloudsYaml();
    const r = await withCloudsFile(file, () => runCli([...ONE_TEST, '--output', out]));
    assert.equal(r.code, 1, r.stderr);
    const files = await everyFile(out);
    for (const name of ['results.json', 'results.subunit', 'report.json', 'report.html', 'junit.xml']) {
      assert.ok(files[name] !== undefined, `${name} written (${Object.keys(files).join(', ')})`);
    }
    // the failure is reported, with the body quoted, but the token masked
    assert.match(files['results.json']!, /internal error; you sent token <redacted>/);
    for (const [name, text] of Object.entries(files)) assert.ok(!text.includes(HOSTILE_TOKEN), `token in ${name}`);
    assert.ok(!r.stderr.includes(HOSTILE_TOKEN), `token on stderr: ${r.stderr}`);
    assert.ok(!r.stdout.includes(HOSTILE_TOKEN));
  });

  it('a Keystone error that echoes the request body: the password does not reach stderr', async () => {
    cloud = await startHostileCloud({
      keystone: (_req, res, body) => {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 401, message: `The request you have made requires authentication: ${body}` } }));
      },
    });
    const r = await withCloudsFile(await cloud.cloudsYaml(), () => runCli([...ONE_TEST, '--output', path.join(tmpdir(), 'defcore-never')]));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /authentication failed at .*401 The request you have made requires authentication/);
    assert.ok(!r.stderr.includes(HOSTILE_PASSWORD), r.stderr);
  });

  it('credentials embedded in the auth URL are in no written file, evidence URL or message', async () => {
    cloud = await startHostileCloud({
      services: { 'object-store': '/v1/AUTH_p' },
      handler: (_req, res) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('no'),
    });
    const urlSecret = 'url-Secret-pw77';
    const out = await mkdtemp(path.join(tmpdir(), 'defcore-secrets-'));
    const file = await cloud.cloudsYaml({}, { auth_url: cloud.authUrl.replace('http://', `http://admin:${urlSecret}@`) });
    const r = await withCloudsFile(file, () => runCli([...ONE_TEST, '--output', out]));
    assert.equal(r.code, 1, r.stderr);
    const files = await everyFile(out);
    assert.match(files['report.json']!, new RegExp(`"authUrl":"${cloud.authUrl.replace(/[.]/g, '\\.')}"`));
    for (const [name, text] of Object.entries(files)) {
      assert.ok(!text.includes(urlSecret), `URL password in ${name}`);
      assert.ok(!text.includes('admin:'), `URL user in ${name}`);
    }
    assert.ok(!r.stderr.includes(urlSecret));
  });

  it('escape sequences from the cloud are shown escaped on the terminal, never sent raw', async () => {
    cloud = await startHostileCloud({
      services: { 'object-store': '/v1/AUTH_p' },
      handler: (_req, res) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('\x1b[2J\x1b[H\x1b[32mall tests PASS\x1b[0m\r\u202e'),
    });
    const out = await mkdtemp(path.join(tmpdir(), 'defcore-secrets-'));
    const r = await withCloudsFile(await cloud.cloudsYaml(), () => runCli([...ONE_TEST, '--output', out]));
    assert.equal(r.code, 1, r.stderr);
    assert.ok(!/[\x1b\r\u202e]/.test(r.stderr), JSON.stringify(r.stderr));
    assert.match(r.stderr, /\\x1b\[2J\\x1b\[H\\x1b\[32mall tests PASS/);
  });

  it('a Keystone error with escape sequences is one escaped line (exit 2)', async () => {
    cloud = await startHostileCloud({
      keystone: (_req, res) => res.writeHead(401, { 'Content-Type': 'text/plain' }).end('\x1b]0;owned\x07\x1b[2Jdenied'),
    });
    const r = await withCloudsFile(await cloud.cloudsYaml(), () => runCli([...ONE_TEST, '--output', path.join(tmpdir(), 'defcore-never')]));
    assert.equal(r.code, 2, r.stderr);
    assert.ok(!/[\x1b\x07]/.test(r.stderr), JSON.stringify(r.stderr));
  });
});
