import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configCandidates, loadCloudConfig, normaliseAuthUrl } from '../../src/cloud/config.js';
import { CloudError } from '../../src/cloud/types.js';

const CLOUD = (name: string, user: string) => `clouds:
  ${name}:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: ${user}
      password: pw-${user}
      project_name: proj
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
`;

function configErr(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CloudError, String(err));
    assert.equal(err.code, 'config');
    assert.match(err.message, re);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
}

describe('cloud/config', () => {
  let root: string;
  let cwd: string;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'defcore-cfg-'));
    cwd = path.join(root, 'work');
    home = path.join(root, 'home');
    mkdirSync(cwd, { recursive: true });
    mkdirSync(path.join(home, '.config', 'openstack'), { recursive: true });
    env = { HOME: home };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('searches OS_CLIENT_CONFIG_FILE, then ./, then ~/.config/openstack, then /etc/openstack, then fallbacks', () => {
    const c = configCandidates({ env: { HOME: home, OS_CLIENT_CONFIG_FILE: '/x/my.yaml' }, cwd, fallbackFiles: ['dev/clouds.yaml'] });
    assert.equal(c.clouds[0], '/x/my.yaml');
    assert.equal(c.clouds[1], path.join(cwd, 'clouds.yaml'));
    const userIdx = c.clouds.indexOf(path.join(home, '.config', 'openstack', 'clouds.yaml'));
    const siteIdx = c.clouds.indexOf('/etc/openstack/clouds.yaml');
    assert.ok(userIdx > 1 && siteIdx > userIdx);
    assert.equal(c.clouds.at(-1), path.join(cwd, 'dev', 'clouds.yaml'));
  });

  it('first file found wins: ./clouds.yaml over ~/.config/openstack/clouds.yaml', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), CLOUD('a', 'from-cwd'));
    writeFileSync(path.join(home, '.config', 'openstack', 'clouds.yaml'), CLOUD('a', 'from-home'));
    assert.equal(loadCloudConfig({ cloud: 'a', env, cwd }).auth.username, 'from-cwd');
    rmSync(path.join(cwd, 'clouds.yaml'));
    assert.equal(loadCloudConfig({ cloud: 'a', env, cwd }).auth.username, 'from-home');
  });

  it('OS_CLIENT_CONFIG_FILE goes first; the fallback file is used only when nothing else exists', () => {
    const own = path.join(root, 'own.yaml');
    writeFileSync(own, CLOUD('a', 'from-env-file'));
    writeFileSync(path.join(cwd, 'clouds.yaml'), CLOUD('a', 'from-cwd'));
    assert.equal(loadCloudConfig({ cloud: 'a', env: { ...env, OS_CLIENT_CONFIG_FILE: own }, cwd }).auth.username, 'from-env-file');
    const fallback = path.join(root, 'dev', 'clouds.yaml');
    mkdirSync(path.dirname(fallback));
    writeFileSync(fallback, CLOUD('a', 'from-fallback'));
    assert.equal(loadCloudConfig({ cloud: 'a', env, cwd, fallbackFiles: [fallback] }).auth.username, 'from-cwd');
    rmSync(path.join(cwd, 'clouds.yaml'));
    assert.equal(loadCloudConfig({ cloud: 'a', env, cwd, fallbackFiles: [fallback] }).auth.username, 'from-fallback');
  });

  it('merges secure.yaml over clouds.yaml (secure wins), also via OS_CLIENT_SECURE_FILE', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), CLOUD('a', 'u1').replace('password: pw-u1', 'password: public-pw'));
    writeFileSync(path.join(cwd, 'secure.yaml'), 'clouds:\n  a:\n    auth:\n      password: secret-pw\n');
    const cfg = loadCloudConfig({ cloud: 'a', env, cwd });
    assert.equal(cfg.auth.password, 'secret-pw');
    assert.equal(cfg.auth.username, 'u1', 'keys absent from secure.yaml are kept');
    assert.match(cfg.source, /secure\.yaml/);
    const other = path.join(root, 's.yaml');
    writeFileSync(other, 'clouds:\n  a:\n    auth:\n      password: other-pw\n');
    assert.equal(loadCloudConfig({ cloud: 'a', env: { ...env, OS_CLIENT_SECURE_FILE: other }, cwd }).auth.password, 'other-pw');
  });

  it('uses OS_CLOUD when no cloud is passed; the argument wins over OS_CLOUD', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), CLOUD('a', 'ua') + CLOUD('b', 'ub').replace('clouds:\n', ''));
    assert.equal(loadCloudConfig({ env: { ...env, OS_CLOUD: 'b' }, cwd }).auth.username, 'ub');
    assert.equal(loadCloudConfig({ cloud: 'a', env: { ...env, OS_CLOUD: 'b' }, cwd }).auth.username, 'ua');
  });

  it('builds the envvars cloud from OS_* variables', () => {
    const cfg = loadCloudConfig({
      cwd,
      env: {
        HOME: home,
        OS_AUTH_URL: 'https://127.0.0.1:5000',
        OS_USERNAME: 'eu',
        OS_PASSWORD: 'ep',
        OS_PROJECT_NAME: 'epro',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_DOMAIN_ID: 'default',
        OS_REGION_NAME: 'R2',
        OS_INTERFACE: 'internal',
        OS_CACERT: '/tmp/ca.pem',
        OS_INSECURE: 'false',
      },
    });
    assert.equal(cfg.name, 'envvars');
    assert.equal(cfg.source, 'environment');
    assert.equal(cfg.auth.authUrl, 'https://127.0.0.1:5000/v3', '/v3 appended to a bare URL');
    assert.deepEqual(
      [cfg.auth.username, cfg.auth.password, cfg.auth.projectName, cfg.auth.userDomainName, cfg.auth.projectDomainId],
      ['eu', 'ep', 'epro', 'Default', 'default'],
    );
    assert.equal(cfg.regionName, 'R2');
    assert.equal(cfg.interface, 'internal');
    assert.equal(cfg.cacert, '/tmp/ca.pem');
    assert.equal(cfg.verify, true);
    assert.equal(cfg.authType, 'password');
  });

  it('envvars: token and application credential auth, OS_INSECURE, missing OS_AUTH_URL is named', () => {
    const tok = loadCloudConfig({ cwd, env: { HOME: home, OS_AUTH_URL: 'http://127.0.0.1:5000/v3', OS_AUTH_TYPE: 'v3token', OS_TOKEN: 't', OS_PROJECT_ID: 'p', OS_INSECURE: 'true' } });
    assert.equal(tok.authType, 'token');
    assert.equal(tok.verify, false);
    const ac = loadCloudConfig({ cwd, env: { HOME: home, OS_AUTH_URL: 'http://127.0.0.1:5000/v3', OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'i', OS_APPLICATION_CREDENTIAL_SECRET: 's' } });
    assert.equal(ac.authType, 'v3applicationcredential');
    assert.equal(ac.auth.applicationCredentialSecret, 's');
    configErr(() => loadCloudConfig({ cwd, env: { HOME: home, OS_AUTH_URL: 'http://127.0.0.1:5000/v3', OS_USERNAME: 'u' } }), /^OS_PASSWORD is missing/);
  });

  it('reads auth types, endpoint_type alias, verify false, cert/key, api_timeout, dashed keys', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), `clouds:
  t:
    auth_type: token
    auth: { auth-url: "http://127.0.0.1:5000/v3/", token: abc, project_id: p1 }
    endpoint_type: internalURL
    verify: false
    cert: ~/c.pem
    key: /k.pem
    api_timeout: 2.5
  ac:
    auth_type: v3applicationcredential
    auth: { auth_url: "http://127.0.0.1:5000", application_credential_name: n, application_credential_secret: s, username: u, user_domain_name: Default }
  ca:
    auth: { auth_url: "http://127.0.0.1:5000", username: u, password: p }
    cacert: /etc/ssl/ca.pem
    regions: [R9]
`);
    const t = loadCloudConfig({ cloud: 't', env, cwd });
    assert.equal(t.authType, 'token');
    assert.equal(t.auth.authUrl, 'http://127.0.0.1:5000/v3');
    assert.equal(t.interface, 'internal');
    assert.equal(t.verify, false);
    assert.equal(t.cert, path.join(home, 'c.pem'));
    assert.equal(t.key, '/k.pem');
    assert.equal(t.apiTimeoutMs, 2500);
    const ac = loadCloudConfig({ cloud: 'ac', env, cwd });
    assert.equal(ac.authType, 'v3applicationcredential');
    assert.equal(ac.auth.applicationCredentialName, 'n');
    const ca = loadCloudConfig({ cloud: 'ca', env, cwd });
    assert.equal(ca.cacert, '/etc/ssl/ca.pem');
    assert.equal(ca.regionName, 'R9');
    assert.equal(ca.interface, 'public');
    assert.equal(ca.verify, true);
  });

  it('reads clouds.json, requests-style `verify: <ca path>`, OS_CLOUD_NAME for the env cloud', () => {
    writeFileSync(path.join(cwd, 'clouds.json'), JSON.stringify({ clouds: { j: { auth: { auth_url: 'https://127.0.0.1:5000/v3', username: 'u', password: 'p' }, verify: '/ca/bundle.pem' } } }));
    const j = loadCloudConfig({ cloud: 'j', env, cwd });
    assert.equal(j.cacert, '/ca/bundle.pem');
    assert.equal(j.verify, true);
    const e = loadCloudConfig({ cwd, env: { HOME: home, OS_CLOUD_NAME: 'mine', OS_AUTH_URL: 'http://127.0.0.1:5000/v3', OS_USER_ID: 'uid', OS_PASSWORD: 'p' } });
    assert.equal(e.name, 'mine');
    assert.equal(e.auth.userId, 'uid');
  });

  it('one clear line for: unknown cloud, YAML error with line, missing auth_url, bad auth_type, no cloud selected, v2.0', () => {
    const file = path.join(cwd, 'clouds.yaml');
    writeFileSync(file, CLOUD('a', 'u'));
    configErr(() => loadCloudConfig({ cloud: 'nope', env, cwd }), new RegExp(`^${file}: cloud "nope" is not defined \\(defined: a\\)`));
    configErr(() => loadCloudConfig({ env, cwd }), /no cloud selected.*defines: a/);
    writeFileSync(file, 'clouds:\n  a:\n    auth: {username: u, password: p}\n');
    configErr(() => loadCloudConfig({ cloud: 'a', env, cwd }), new RegExp(`^${file}: clouds\\.a\\.auth\\.auth_url is missing`));
    writeFileSync(file, 'clouds:\n  a:\n    auth:\n      auth_url: http://x\n     bad: [\n');
    configErr(() => loadCloudConfig({ cloud: 'a', env, cwd }), new RegExp(`^${file}:\\d+: invalid YAML`));
    writeFileSync(file, 'clouds:\n  a:\n    auth_type: saml2\n    auth: {auth_url: "http://127.0.0.1:5000/v3"}\n');
    configErr(() => loadCloudConfig({ cloud: 'a', env, cwd }), /clouds\.a\.auth_type: auth_type "saml2" is not supported/);
    assert.throws(() => normaliseAuthUrl('http://127.0.0.1:5000/v2.0', 'f'), /v2\.0/);
    rmSync(file);
    configErr(() => loadCloudConfig({ cloud: 'a', env, cwd }), /cloud "a": no clouds\.yaml found/);
  });
});
