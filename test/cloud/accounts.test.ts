import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAccounts, resolveAccounts } from '../../src/cloud/accounts.js';
import { CloudError } from '../../src/cloud/types.js';

const cloud = (name: string) => `  ${name}:
    auth: { auth_url: "http://127.0.0.1:45000/v3", username: ${name}-u, password: pw, project_name: p }
`;

describe('cloud/accounts', () => {
  let root: string;
  let cwd: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'defcore-acc-'));
    cwd = path.join(root, 'work');
    mkdirSync(cwd);
    env = { HOME: path.join(root, 'home') };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('CLI flags override defcore.yaml, which overrides OS_CLOUD', () => {
    writeFileSync(path.join(cwd, 'defcore.yaml'), 'os_cloud: from-file\nalt_cloud: alt-file\nadmin_cloud: adm-file\nconcurrency: 4\n');
    const a = resolveAccounts({ cwd, env: { ...env, OS_CLOUD: 'from-env' }, cli: { osCloud: 'from-cli', adminCloud: 'adm-cli' } });
    assert.deepEqual(a.clouds, { primary: 'from-cli', alt: 'alt-file', admin: 'adm-cli' });
    assert.deepEqual(a.sources, { primary: 'cli', alt: 'run-config', admin: 'cli' });
    assert.equal(a.runConfigFile, path.join(cwd, 'defcore.yaml'));
    const b = resolveAccounts({ cwd, env: { ...env, OS_CLOUD: 'from-env' }, runConfig: {} });
    assert.deepEqual(b.clouds, { primary: 'from-env' });
    assert.equal(b.sources.primary, 'OS_CLOUD');
  });

  it('accepts an accounts: mapping and rejects non-string names with file and key', () => {
    writeFileSync(path.join(cwd, 'run.yaml'), 'accounts:\n  primary: p1\n  reseller: r1\n');
    assert.deepEqual(resolveAccounts({ cwd, env, runConfig: 'run.yaml' }).clouds, { primary: 'p1', reseller: 'r1' });
    writeFileSync(path.join(cwd, 'run.yaml'), 'alt_cloud: [x]\n');
    assert.throws(() => resolveAccounts({ cwd, env, runConfig: 'run.yaml' }), (e: unknown) => e instanceof CloudError && /run\.yaml: alt_cloud must be a cloud name/.test(e.message));
    assert.throws(() => resolveAccounts({ cwd, env, runConfig: 'missing.yaml' }), /missing\.yaml: run config not found/);
  });

  it('OS_* variables make the primary the envvars cloud', () => {
    const a = resolveAccounts({ cwd, env: { ...env, OS_AUTH_URL: 'http://127.0.0.1:5000/v3' } });
    assert.equal(a.clouds.primary, undefined);
    assert.equal(a.sources.primary, 'OS_* variables');
  });

  it('falls back to the dev cloud accounts only when nothing else is configured', () => {
    const dev = path.join(root, 'dev', 'clouds.yaml');
    mkdirSync(path.dirname(dev));
    writeFileSync(dev, `clouds:\n${cloud('devcloud')}${cloud('devcloud-alt')}${cloud('devcloud-admin')}`);
    const a = resolveAccounts({ cwd, env, fallbackFiles: [dev] });
    assert.deepEqual(a.clouds, { primary: 'devcloud', alt: 'devcloud-alt', admin: 'devcloud-admin' });
    assert.equal(a.sources.primary, 'dev-cloud');
    writeFileSync(path.join(cwd, 'clouds.yaml'), `clouds:\n${cloud('mine')}`);
    assert.deepEqual(resolveAccounts({ cwd, env, fallbackFiles: [dev] }).clouds, {}, 'a real clouds.yaml disables the fallback');
  });

  it('warns when alt is the primary account', () => {
    const a = resolveAccounts({ cwd, env, cli: { osCloud: 'x', altCloud: 'x' } });
    assert.equal(a.warnings.length, 1);
    assert.match(a.warnings[0]!, /alt account uses the same cloud as primary/);
  });

  it('opens a client per configured role; config errors name the role and flag', async () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), `clouds:\n${cloud('a')}${cloud('b')}`);
    const opened = await openAccounts(resolveAccounts({ cwd, env, cli: { osCloud: 'a', resellerCloud: 'b' } }));
    assert.deepEqual(Object.keys(opened).sort(), ['primary', 'reseller']);
    assert.equal(opened.primary!.cloudName, 'a');
    assert.equal(opened.reseller!.config.auth.username, 'b-u');
    await assert.rejects(
      openAccounts(resolveAccounts({ cwd, env, cli: { osCloud: 'a', altCloud: 'zzz' } })),
      (e: unknown) => e instanceof CloudError && e.code === 'config' && /^alt account \(--alt-cloud\): .*cloud "zzz" is not defined/.test(e.message),
    );
    await assert.rejects(openAccounts(resolveAccounts({ cwd, env })), /primary account: no cloud selected/);
  });
});
