import '../helpers/node20.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAccounts, resolveAccounts } from '../../src/cloud/accounts.js';
import { MemoryRecorder } from '../../src/cloud/recorder.js';
import { loadCloudConfig } from '../../src/cloud/config.js';
import { createCloudClient } from '../../src/cloud/session.js';
import { CloudError } from '../../src/cloud/types.js';
import { DEV_CLOUD_FILE, devCloudOrSkip } from '../helpers/cloud.js';

const ACCOUNTS: Array<[string, string[]]> = [
  ['devcloud', ['member']],
  ['devcloud-alt', ['member']],
  ['devcloud-reseller', ['ResellerAdmin']],
  ['devcloud-admin', ['admin']],
];

describe('@cloud keystone auth', () => {
  for (const [name, roles] of ACCOUNTS) {
    it(`authenticates as ${name}, reads identity and catalog, calls Swift with evidence redacted`, async function () {
      const cloud = await devCloudOrSkip(this, name);
      try {
        const rec = new MemoryRecorder();
        const view = cloud.withRecorder(rec);
        const id = await view.identity();
        assert.ok(id.userId && id.projectId, 'scoped token');
        for (const r of roles) assert.ok(id.roles.includes(r), `${name} has role ${r} (has ${id.roles.join(', ')})`);
        assert.match(await view.endpoint('identity'), /^http:\/\/127\.0\.0\.1:5000\/v3\/?$/);
        const swift = await view.endpoint('object-store');
        assert.ok(swift.endsWith(`AUTH_${id.projectId}`), swift);
        const res = await view.request({ method: 'HEAD', service: 'object-store' });
        assert.ok(res.status === 204 || res.status === 200, `HEAD account: ${res.status}`);
        assert.match(res.headers['x-account-container-count'] ?? '', /^\d+$/);
        const evidence = JSON.stringify(rec.exchanges);
        assert.ok(!evidence.includes(await view.token()), 'token not in evidence');
        assert.ok(!evidence.includes(cloud.config.auth.password!), 'password not in evidence');
      } finally {
        cloud.close();
      }
    });
  }

  it('with nothing configured, the dev cloud fallback gives all four accounts, authenticated', async function () {
    const probe = await devCloudOrSkip(this, 'devcloud');
    probe.close();
    const cwd = mkdtempSync(path.join(tmpdir(), 'defcore-acc-'));
    try {
      const cfg = resolveAccounts({ cwd, env: { HOME: path.join(cwd, 'home') }, fallbackFiles: [DEV_CLOUD_FILE] });
      assert.deepEqual(cfg.sources, { primary: 'dev-cloud', alt: 'dev-cloud', reseller: 'dev-cloud', admin: 'dev-cloud' });
      const clients = await openAccounts(cfg, { authenticate: true });
      const ids = await Promise.all(Object.values(clients).map((c) => c.identity()));
      assert.equal(new Set(ids.map((i) => i.projectId)).size, 4, 'four distinct projects');
      for (const c of Object.values(clients)) c.close();
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('token and application credential auth methods work against the real Keystone', async function () {
    const cloud = await devCloudOrSkip(this, 'devcloud');
    const id = await cloud.identity();
    const base = cloud.config;
    // token method: a new project-scoped token from the session's token
    const viaToken = createCloudClient({ ...base, authType: 'token', auth: { authUrl: base.auth.authUrl, token: await cloud.token(), projectId: id.projectId } });
    assert.equal((await viaToken.identity()).userId, id.userId);
    assert.notEqual(await viaToken.token(), await cloud.token());
    // application credential, created for this test and deleted after
    const name = `defcore-unit-ac-${Date.now()}`;
    const created = await cloud.request<{ application_credential: { id: string; secret: string } }>({
      method: 'POST', service: 'identity', path: `users/${id.userId}/application_credentials`, body: { application_credential: { name } },
    });
    assert.equal(created.status, 201, created.text);
    const ac = created.body.application_credential;
    try {
      const viaId = createCloudClient({ ...base, authType: 'v3applicationcredential', auth: { authUrl: base.auth.authUrl, applicationCredentialId: ac.id, applicationCredentialSecret: ac.secret } });
      assert.equal((await viaId.identity()).projectId, id.projectId);
      const viaName = createCloudClient({ ...base, authType: 'v3applicationcredential', auth: { authUrl: base.auth.authUrl, applicationCredentialName: name, applicationCredentialSecret: ac.secret, username: base.auth.username!, userDomainName: 'Default' } });
      assert.equal((await viaName.identity()).projectId, id.projectId);
      const wrong = createCloudClient({ ...base, authType: 'v3applicationcredential', auth: { authUrl: base.auth.authUrl, applicationCredentialId: ac.id, applicationCredentialSecret: 'not-the-secret' } });
      await assert.rejects(wrong.token(), (e: unknown) => e instanceof CloudError && e.code === 'auth' && /: 401 /.test(e.message));
      for (const c of [viaId, viaName, wrong]) c.close();
    } finally {
      const del = await cloud.request({ method: 'DELETE', service: 'identity', path: `users/${id.userId}/application_credentials/${ac.id}` });
      assert.equal(del.status, 204);
      viaToken.close();
      cloud.close();
    }
  });

  it('a wrong password is a one-line auth error naming the Keystone URL', async function () {
    const probe = await devCloudOrSkip(this, 'devcloud');
    probe.close();
    const cfg = loadCloudConfig({ cloud: 'devcloud', env: { OS_CLIENT_CONFIG_FILE: DEV_CLOUD_FILE, HOME: '/nonexistent' } });
    const bad = createCloudClient({ ...cfg, auth: { ...cfg.auth, password: 'definitely-wrong-password' } });
    await assert.rejects(bad.token(), (e: unknown) =>
      e instanceof CloudError && e.code === 'auth' &&
      /^cloud devcloud: authentication failed at http:\/\/127\.0\.0\.1:5000\/v3\/auth\/tokens: 401 /.test(e.message) && !e.message.includes('\n'));
    bad.close();
  });

  it('survives connections the server closed between requests (many requests on one session)', async function () {
    const cloud = await devCloudOrSkip(this, 'devcloud');
    try {
      for (let i = 0; i < 30; i++) {
        const res = await cloud.request({ method: 'GET', service: 'object-store', query: { format: 'json' } });
        assert.equal(res.status, 200);
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 150));
        const k = await cloud.request({ method: 'GET', service: 'identity', path: 'auth/tokens', headers: { 'X-Subject-Token': await cloud.token() } });
        assert.equal(k.status, 200);
      }
    } finally {
      cloud.close();
    }
  });
});
