import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { guidelineFile } from '../../src/guideline/load.js';
import { runCli } from '../helpers/cli.js';

/** Writes a variant of the committed 2020.06 YAML and validates it through the CLI. */
describe('guidelines validate', () => {
  let tmp: string;
  let base: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-validate-'));
    base = await readFile(guidelineFile('2020.06'), 'utf8');
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  async function validate(name: string, text: string) {
    const file = path.join(tmp, name);
    await writeFile(file, text);
    return runCli(['guidelines', 'validate', '--quiet-warnings', file]);
  }

  function lineOf(text: string, needle: string): number {
    const idx = text.indexOf(needle);
    assert.ok(idx >= 0, `fixture must contain ${needle}`);
    return text.slice(0, idx).split('\n').length;
  }

  it('accepts every committed guideline (exit 0, no errors)', async () => {
    const r = await runCli(['guidelines', 'validate', '--quiet-warnings']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /26 file\(s\): 0 error\(s\)/);
  });

  it('broken YAML: file:line:column, exit 1, no stack trace', async () => {
    const text = base.replace('format: 1\n', 'format: 1\nid: [unclosed\n');
    const r = await validate('broken.yaml', text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /broken\.yaml:\d+:\d+: /);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
  });

  it('duplicated key is located', async () => {
    const line = lineOf(base, '  compute-flavors-list:');
    const text = base.replace('  compute-flavors-list:\n', '  compute-flavors-list:\n    admin: false\n');
    const r = await validate('dup.yaml', text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`dup\\.yaml:(${line + 1}|${line + 2}|${line + 3}|${line + 4}|${line + 5}|${line + 6}|${line + 7}|${line + 8}|${line + 9}|${line + 10}):\\d+: .*duplicated key`));
  });

  it('wrong type names the JSON path and the line', async () => {
    const text = base.replace(/(  compute-flavors-list:\n(?:    .*\n)*?    admin:) false/, '$1 "no"');
    const line = lineOf(text, 'admin: "no"');
    const r = await validate('type.yaml', text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`type\\.yaml:${line}:\\d+: /capabilities/compute-flavors-list/admin: must be boolean`));
  });

  it('unknown key is named at its line', async () => {
    const text = base.replace('format: 1\n', 'format: 1\nsurprise: true\n');
    const r = await validate('unknown.yaml', text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /unknown\.yaml:\d+:\d+: \/surprise: unknown key "surprise"/);
  });

  it('semantic errors: undefined capability, malformed id, duplicate test, flag without reason, missing component', async () => {
    let text = base.replace('        - compute-flavors-list\n', '        - compute-flavors-list\n        - compute-teleport\n');
    text = text.replace('idempotent_id: id-6c0a0990-43b6-4529-9b61-5fd8daf7c55c', 'idempotent_id: id-not-a-uuid');
    text = text.replace(/(flagged:\n\s+reason:) [^\n]+/, '$1 ""');
    text = text.replace('    components:\n      - os_powered_storage\n', '    components:\n      - os_powered_nothing\n');
    const r = await validate('semantic.yaml', text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /capability "compute-teleport" is not defined under capabilities/);
    assert.match(r.stdout, /semantic\.yaml:\d+:\d+: \/capabilities\/compute-list-api-versions\/tests\/0\/idempotent_id: malformed idempotent id "id-not-a-uuid"/);
    assert.match(r.stdout, /gives no reason/);
    assert.match(r.stdout, /component "os_powered_nothing" of program "OpenStack Powered Storage" is not defined/);
  });

  it('the same test twice with different ids is an error', async () => {
    const text = base.replace(
      '      - name: tempest.api.compute.test_versions.TestVersions.test_list_api_versions\n        idempotent_id: id-6c0a0990-43b6-4529-9b61-5fd8daf7c55c\n',
      '      - name: tempest.api.compute.test_versions.TestVersions.test_list_api_versions\n        idempotent_id: id-6c0a0990-43b6-4529-9b61-5fd8daf7c55c\n      - name: tempest.api.compute.test_versions.TestVersions.test_list_api_versions\n        idempotent_id: id-00000000-43b6-4529-9b61-5fd8daf7c55c\n',
    );
    const r = await validate('twice.yaml', text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /listed twice in capability "compute-list-api-versions".*different idempotent ids/);
  });

  it('an add-on without its required platform components is an error', async () => {
    const dns = await readFile(guidelineFile('dns.2020.06'), 'utf8');
    const text = dns.replace(/    required_platform_components:\n(      .*\n)+/, '');
    const r = await validate('addon.yaml', text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /add-on program must name its required platform components/);
  });

  it('a YAML bomb is refused quickly with a clear message', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 20; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    const r = await validate('bomb.yaml', lines.join('\n') + '\n');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /bomb\.yaml: \/: too many alias expansions/);
  });

  it('a 50 MB file is refused without reading it', async () => {
    const file = path.join(tmp, 'huge.yaml');
    const fh = await open(file, 'w');
    await fh.truncate(50 * 1024 * 1024);
    await fh.close();
    const r = await runCli(['guidelines', 'validate', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /huge\.yaml: \/: cannot read: too large \(50 MiB; at most 8 MiB\)/);
  });

  it('a missing file is an error, not a crash', async () => {
    const r = await runCli(['guidelines', 'validate', path.join(tmp, 'nope.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /nope\.yaml: \/: cannot read: ENOENT/);
  });

  it('commands refuse an invalid guideline file with its located problem and exit 2', async () => {
    const file = path.join(tmp, 'bad-for-tests.yaml');
    await writeFile(file, base.replace('format: 1\n', 'format: 2\n'));
    const r = await runCli(['guidelines', 'tests', file, '--program', 'object']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid guideline: .*bad-for-tests\.yaml:\d+:\d+: \/format: must be equal to constant/);
  });
});

describe('guideline YAML parsing paths', () => {
  it('the fast path and the exact parser read every committed guideline identically', async () => {
    const { parseYamlText, parseYamlExact } = await import('../../src/guideline/yaml.js');
    const { listGuidelineFiles } = await import('../../src/guideline/load.js');
    for (const f of await listGuidelineFiles()) {
      const text = await readFile(f, 'utf8');
      assert.deepStrictEqual(parseYamlText(text, f).data, parseYamlExact(text, f).data, f);
    }
  });

  it('text with anchors never takes the fast path (alias limits apply)', async () => {
    const { parseYamlText } = await import('../../src/guideline/yaml.js');
    const lines = ['a: &a [1,1,1,1,1,1,1,1,1,1]'];
    for (let i = 0; i < 8; i++) lines.push(`b${i}: &b${i} [${Array(10).fill(i ? `*b${i - 1}` : '*a').join(',')}]`);
    const p = parseYamlText(lines.join('\n'), 'x.yaml');
    assert.equal(p.data, undefined);
    assert.match(p.problems[0]!.message, /too many alias expansions/);
  });
});
