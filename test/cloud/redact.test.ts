import '../helpers/node20.js';
import assert from 'node:assert/strict';
import nock from 'nock';
import { REDACTED, Redactor, redactFormText, redactHeaders, redactJsonText, redactUrl } from '../../src/cloud/redact.js';
import { MemoryRecorder } from '../../src/cloud/recorder.js';
import { createCloudClient } from '../../src/cloud/session.js';
import { nockCloud, nockKeystone, testCloudConfig } from '../helpers/cloud.js';

describe('cloud/redact', () => {
  afterEach(() => nock.cleanAll());

  it('masks signature and token query parameters, keeps the rest', () => {
    const url = 'http://127.0.0.1:8080/v1/AUTH_p/c/o?temp_url_sig=abcdef0123&temp_url_expires=1700000000&filename=x';
    assert.equal(
      redactUrl(url),
      `http://127.0.0.1:8080/v1/AUTH_p/c/o?temp_url_sig=${REDACTED}&temp_url_expires=1700000000&filename=x`,
    );
    assert.equal(redactUrl('http://h/x?Signature=s1&token=t1&a=1'), `http://h/x?Signature=${REDACTED}&token=${REDACTED}&a=1`);
    assert.equal(redactUrl('http://h/x'), 'http://h/x');
  });

  it('masks secret headers by name, including every temp-url key variant', () => {
    const out = redactHeaders({
      'X-Auth-Token': 'tok',
      'x-subject-token': 'tok2',
      'X-Service-Token': 'tok3',
      Authorization: 'Basic abc',
      Cookie: 'a=b',
      'Set-Cookie': ['c=d', 'e=f'],
      'X-Account-Meta-Temp-URL-Key': 'k1',
      'X-Account-Meta-Temp-URL-Key-2': 'k2',
      'X-Container-Meta-Temp-URL-Key': 'k3',
      'X-Container-Meta-Temp-URL-Key-2': 'k4',
      'X-Container-Meta-Color': 'blue',
      'Content-Type': 'text/plain',
    });
    for (const k of ['x-auth-token', 'x-subject-token', 'x-service-token', 'authorization', 'cookie', 'set-cookie',
      'x-account-meta-temp-url-key', 'x-account-meta-temp-url-key-2', 'x-container-meta-temp-url-key', 'x-container-meta-temp-url-key-2']) {
      assert.equal(out[k], REDACTED, k);
    }
    assert.equal(out['x-container-meta-color'], 'blue');
    assert.equal(out['content-type'], 'text/plain');
  });

  it('masks passwords, token ids, application credential secrets and nova adminPass in JSON', () => {
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password', 'token', 'application_credential'],
          password: { user: { name: 'u', domain: { name: 'Default' }, password: 'hunter2hunter2' } },
          token: { id: 'gAAAAAtokenvalue' },
          application_credential: { id: 'ac1', secret: 'acsecretvalue' },
        },
      },
      server: { adminPass: 'novapass99' },
      keypair: { private_key: '-----BEGIN RSA PRIVATE KEY-----' },
    });
    const out = redactJsonText(body)!;
    for (const s of ['hunter2hunter2', 'gAAAAAtokenvalue', 'acsecretvalue', 'novapass99', 'BEGIN RSA']) assert.ok(!out.includes(s), s);
    const parsed = JSON.parse(out) as { auth: { identity: { application_credential: { id: string }; password: { user: { name: string } } } } };
    assert.equal(parsed.auth.identity.application_credential.id, 'ac1', 'non-secret ids stay');
    assert.equal(parsed.auth.identity.password.user.name, 'u');
    assert.equal(redactJsonText('not json'), undefined);
  });

  it('masks formpost signature fields and urlencoded secrets', () => {
    const multipart = [
      '--b', 'Content-Disposition: form-data; name="redirect"', '', 'http://x', '--b',
      'Content-Disposition: form-data; name="signature"', '', 'f00dbabe1234', '--b--', '',
    ].join('\r\n');
    const out = redactFormText(multipart);
    assert.ok(!out.includes('f00dbabe1234'));
    assert.ok(out.includes('http://x'));
    assert.equal(redactFormText('user=a&password=p4ssw0rd&x=1'), `user=a&password=${REDACTED}&x=1`);
  });

  it("masks the signature of a pre-signed URL quoted in a body, stack users' EC2 secrets, and secret name/value inputs (Heat's server metadata)", () => {
    const url = 'http://127.0.0.1:8000/v1/signal/arn%3Aopenstack%3Aheat/resources/dep?Timestamp=2026&AWSAccessKeyId=AKID&Signature=c2lnbmF0dXJl%2B%3D';
    const metadata = {
      metadata: {
        'os-collect-config': { cfn: { access_key_id: 'AKID', secret_access_key: 'ec2-s3cret-key' } },
        deployments: [{ inputs: [{ name: 'deploy_signal_id', value: url }, { name: 'deploy_password', value: 'stack-user-pw' }, { name: 'deploy_server_id', value: 'srv-1' }] }],
      },
    };
    const out = new Redactor().body(JSON.stringify(metadata), 'application/json').text!;
    for (const secret of ['c2lnbmF0dXJl', 'ec2-s3cret-key', 'stack-user-pw']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.ok(out.includes(`&Signature=${REDACTED}`), out);
    assert.ok(out.includes('AWSAccessKeyId=AKID') && out.includes('srv-1'), 'what authenticates nothing stays readable');
  });

  it('scrubs known secret values anywhere, also URL-encoded, and truncates with a count', () => {
    const r = new Redactor(16);
    r.addSecret('pa ss/word!');
    r.addSecret('abc'); // too short to scrub safely: ignored
    assert.equal(r.scrub('x pa ss/word! y pa%20ss%2Fword!'), `x ${REDACTED} y ${REDACTED}`);
    assert.equal(r.scrub('abc'), 'abc');
    const b = r.body('0123456789abcdefXYZ');
    assert.equal(b.text, '0123456789abcdef');
    assert.equal(b.truncated, 3);
    assert.match(r.body(Buffer.from([0, 1, 2, 255])).text!, /4 bytes of binary data/);
  });

  it('never lets the password or any token reach recorded exchanges of a whole session', async () => {
    const password = 'nock-password-s3cret';
    const token = 'gAAAAAsecret-token-value-42';
    const rec = new MemoryRecorder();
    nockKeystone({ token, catalog: { 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p' } });
    const cloud = createCloudClient(testCloudConfig(), { recorder: rec, keepAlive: false });
    assert.equal(cloud.config.auth.password, password);
    nock('http://127.0.0.1:48080')
      .post('/v1/AUTH_p')
      .reply(204, '', { 'X-Account-Meta-Temp-URL-Key': 'tempkey123' })
      .get('/v1/AUTH_p/c/o')
      .query(true)
      .reply(200, `echo ${token}`, { 'Content-Type': 'text/plain' })
      .get('/v1/AUTH_p/c/o2')
      .reply(401, '')
      .get('/v1/AUTH_p/c/o2')
      .reply(200, JSON.stringify({ note: `password was ${password}` }), { 'Content-Type': 'application/json' });
    await cloud.request({ method: 'POST', service: 'object-store', headers: { 'X-Account-Meta-Temp-URL-Key': 'tempkey123' } });
    await cloud.request({ method: 'GET', service: 'object-store', path: '/c/o', query: { temp_url_sig: 'sig0123456', temp_url_expires: 1 } });
    await cloud.request({ method: 'GET', service: 'object-store', path: '/c/o2' });
    const evidence = JSON.stringify(rec.exchanges);
    assert.ok(rec.exchanges.length >= 5, `recorded ${rec.exchanges.length} exchanges`);
    assert.ok(rec.exchanges.some((e) => e.url.endsWith('/auth/tokens')), 'the login itself is recorded');
    for (const secret of [password, token, 'tempkey123', 'sig0123456']) {
      assert.ok(!evidence.includes(secret), `"${secret}" leaked into evidence`);
    }
    assert.ok(evidence.includes(REDACTED));
  });

  it('redacts the token of the token auth method and an application credential secret in the login body', async () => {
    for (const cfg of [
      { ...testCloudConfig(), authType: 'token' as const, auth: { authUrl: testCloudConfig().auth.authUrl, token: 'gAAAAAuser-supplied-token', projectId: 'p1' } },
      { ...testCloudConfig(), authType: 'v3applicationcredential' as const, auth: { authUrl: testCloudConfig().auth.authUrl, applicationCredentialId: 'ac1', applicationCredentialSecret: 'app-cred-secret-77' } },
    ]) {
      nockKeystone({ token: 'gAAAAAissued-token-9' });
      const rec = new MemoryRecorder();
      const client = createCloudClient(cfg, { recorder: rec, keepAlive: false });
      await client.token();
      const evidence = JSON.stringify(rec.exchanges);
      assert.equal(rec.exchanges.length, 1);
      for (const s of ['gAAAAAuser-supplied-token', 'app-cred-secret-77', 'gAAAAAissued-token-9']) assert.ok(!evidence.includes(s), s);
      nock.cleanAll();
    }
  });
});

describe('cloud/redact: secrets learnt from headers', () => {
  afterEach(() => nock.cleanAll());

  it('masks a caller-supplied token and a temp-url key wherever they reappear, and a validated X-Subject-Token', async () => {
    const rec = new MemoryRecorder();
    const c = nockCloud({ catalog: { 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p', identity: 'http://127.0.0.1:45000/v3' }, recorder: rec });
    nock('http://127.0.0.1:48080')
      .post('/v1/AUTH_p')
      .reply(204)
      .get('/v1/AUTH_p')
      .reply(200, 'key is my-temp-url-key-1 and token other-users-token-9', { 'Content-Type': 'text/plain' });
    nock('http://127.0.0.1:45000').get('/v3/auth/tokens').reply(200, { token: { note: 'subject-token-xyz-1' } }, { 'X-Subject-Token': 'subject-token-xyz-1' });
    await c.request({ method: 'POST', service: 'object-store', headers: { 'X-Account-Meta-Temp-URL-Key': 'my-temp-url-key-1', 'X-Auth-Token': 'other-users-token-9' } });
    await c.request({ method: 'GET', service: 'object-store' });
    await c.request({ method: 'GET', service: 'identity', path: 'auth/tokens', headers: { 'X-Subject-Token': 'subject-token-xyz-1' } });
    const evidence = JSON.stringify(rec.exchanges);
    for (const s of ['my-temp-url-key-1', 'other-users-token-9', 'subject-token-xyz-1']) assert.ok(!evidence.includes(s), s);
  });
});

describe('cloud/redact: free text quoting the cloud', () => {
  it('masks secret JSON keys (also in cut-off fragments), secret headers, query secrets and URL credentials', async () => {
    const { redactText, stripUrlCredentials } = await import('../../src/cloud/redact.js');
    const text = 'got 500 (body: {"error": {"password": "hunter2x", "adminPass": "cut-off-n';
    assert.equal(redactText(text), `got 500 (body: {"error": {"password": "${REDACTED}", "adminPass": "${REDACTED}"`);
    assert.equal(redactText('echo X-Auth-Token: gAAAAsecret123, done'), `echo X-Auth-Token: ${REDACTED}, done`);
    assert.equal(redactText('see http://u:pw@h:5000/v3/x?temp_url_sig=abc&x=1'), `see http://h:5000/v3/x?temp_url_sig=${REDACTED}&x=1`);
    assert.equal(stripUrlCredentials('https://user:p%40ss@keystone.example:5000/v3'), 'https://keystone.example:5000/v3');
    assert.equal(redactUrl('http://user:pass@h/v1?a=1'), 'http://h/v1?a=1');
    assert.equal(redactText('nothing secret: {"name": "x"}'), 'nothing secret: {"name": "x"}');
  });
});
