/**
 * Validation settings: defcore.yaml's `validation:` section and the run flags
 * parse to Tempest's defaults, flags win, and every bad value is one line naming
 * the setting with exit 2 before any cloud is contacted. The verdict note says in
 * plain words that Compute/Platform cannot be certified without validation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Evaluation } from '../../src/evaluate/model.js';
import { parseValidation } from '../../src/validation/settings.js';
import { runValidationFrom } from '../../src/validation/run-config.js';
import { NO_VALIDATION_REASON, uncertifiedNote } from '../../src/validation/verdict-note.js';
import { runCli } from '../helpers/cli.js';

describe('validation settings', () => {
  it('is off when nothing is set or run_validation is false', () => {
    assert.equal(parseValidation(undefined), undefined);
    assert.equal(parseValidation({ run_validation: false, image_ref: 'x' }), undefined);
  });

  it("takes Tempest's defaults and lets flags override the file", () => {
    const s = parseValidation({ run_validation: true, image_ref: 'cirros', flavor_ref: 42, connect_method: 'fixed', ssh_timeout: 120 }, { validationFlavor: 'm1.small', sshTimeout: '30' });
    assert.deepEqual(s, {
      runValidation: true, connectMethod: 'fixed', ipVersionForSsh: 4, sshTimeoutMs: 30_000, connectTimeoutMs: 60_000, buildTimeoutMs: 300_000, commandTimeoutMs: 60_000,
      imageRef: 'cirros', flavorRef: 'm1.small',
    });
    assert.equal(parseValidation({}, { runValidation: true })?.connectMethod, 'floating');
  });

  const bad: [string, unknown, Record<string, string>, RegExp][] = [
    ['a connect method other than floating or fixed', { run_validation: true, connect_method: 'ssh' }, {}, /^defcore\.yaml: validation\.connect_method: must be floating or fixed \(got "ssh"\)$/],
    ['an IP version other than 4 or 6', { run_validation: true, ip_version_for_ssh: 5 }, {}, /^defcore\.yaml: validation\.ip_version_for_ssh: must be 4 or 6/],
    ['a timeout that is not a number of seconds', { run_validation: true, ssh_timeout: 'soon' }, {}, /^defcore\.yaml: validation\.ssh_timeout: must be a number of seconds/],
    ['an unknown key', { run_validation: true, ssh_port: 2222 }, {}, /^defcore\.yaml: validation\.ssh_port: unknown setting/],
    ['settings without run_validation', { image_ref: 'x' }, {}, /^defcore\.yaml: validation\.run_validation: is not set/],
    ['a bad flag value', undefined, { connectMethod: 'tcp' }, /^--connect-method: must be floating or fixed/],
    ['a user name with spaces', { run_validation: true, image_ssh_user: 'root; rm' }, {}, /^defcore\.yaml: validation\.image_ssh_user: "root; rm" is not a user name/],
  ];
  for (const [label, section, flags, says] of bad) {
    it(`refuses ${label} with one line naming the setting`, () => {
      assert.throws(() => parseValidation(section, flags as never), (e: Error) => e.name === 'CloudError' && says.test(e.message) && !e.message.includes('\n'));
    });
  }

  it('a dev-cloud run reads .dev-cloud/defcore.yaml; a configured run reads its own file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'defcore-val-'));
    try {
      const dev = path.join(dir, 'dev.yaml');
      writeFileSync(dev, 'validation:\n  run_validation: true\n  image_ref: img\n  flavor_ref: "168"\n  connect_method: fixed\n');
      const got = runValidationFrom({ sources: { primary: 'dev-cloud' } }, {}, dev);
      assert.equal(got?.source, dev);
      assert.equal(got?.settings.flavorRef, '168');
      assert.equal(runValidationFrom({ sources: { primary: 'cli' } }, {}, dev), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`defcore run` with a bad validation value exits 2 with one line, before contacting a cloud', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'defcore-val-'));
    try {
      writeFileSync(path.join(dir, 'clouds.yaml'), 'clouds:\n  nowhere:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: u\n      password: p\n      project_name: p\n');
      writeFileSync(path.join(dir, 'defcore.yaml'), 'os_cloud: nowhere\nvalidation:\n  run_validation: true\n  connect_method: carrier-pigeon\n');
      const r = await runCli(['run', '--guideline', '2020.06', '--program', 'compute'], dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /validation\.connect_method: must be floating or fixed \(got "carrier-pigeon"\)/);
      assert.doesNotMatch(r.stderr, /127\.0\.0\.1:9|ECONNREFUSED|\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verdict note without validation', () => {
  const evaluation = (status: 'required' | 'advisory'): Evaluation => ({
    guideline: '2020.06', program: 'platform', verdict: 'fail', counts: {} as Evaluation['counts'],
    capabilities: [{ id: 'compute-servers-host', status, component: 'compute', verdict: 'fail', admin: false, tests: [
      { name: 'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_host_name_is_same_as_server_name', status: 'skip', flagged: false },
    ] }],
  });
  const skipped = [{ name: 'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_host_name_is_same_as_server_name', status: 'skip' as const, reason: `${NO_VALIDATION_REASON} (…)` }];

  it('says the program cannot be certified by this run and which setting enables validation', () => {
    const note = uncertifiedNote(evaluation('required'), skipped);
    assert.match(note ?? '', /This run cannot certify OpenStack Powered Platform: 1 required test\(s\) log in to a guest over SSH \(test_host_name_is_same_as_server_name\)/);
    assert.match(note ?? '', /run_validation: true/);
  });

  it('says nothing when no required test was skipped for want of validation', () => {
    assert.equal(uncertifiedNote(evaluation('advisory'), skipped), undefined);
    assert.equal(uncertifiedNote(evaluation('required'), [{ ...skipped[0]!, reason: 'needs the admin account' }]), undefined);
  });
});
