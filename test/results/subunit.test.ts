import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encodePacket, encodeResult, parseSubunit, readPackets } from '../../src/results/subunit.js';
import { parseResults } from '../../src/results/read.js';
import { FIXTURES_DIR } from '../helpers/upstream.js';

const fixture = (name: string) => readFileSync(path.join(FIXTURES_DIR, name));

describe('subunit v2', () => {
  it('reads real Tempest 33 output: 58 passes for storage, 225 pass + 2 skip for compute', () => {
    const storage = parseSubunit(fixture('tempest-33-interop-2020.06-storage.subunit'));
    assert.equal(storage.length, 58);
    assert.ok(storage.every((r) => r.status === 'pass' && /^[0-9a-f-]{36}$/.test(r.uuid ?? '')));
    const compute = parseSubunit(fixture('tempest-33-interop-2020.06-compute.subunit'));
    assert.equal(compute.filter((r) => r.status === 'pass').length, 225);
    const skips = compute.filter((r) => r.status === 'skip');
    assert.equal(skips.length, 2);
    assert.ok(skips.every((s) => /validation/i.test(s.reason ?? '')), 'skip reason comes from the reason attachment');
    assert.ok(compute.every((r) => !r.name.includes('[')), 'attributes are stripped from names');
  });

  it('what we write reads back identically (ids with [id-uuid], reasons, durations)', () => {
    const results = [
      { name: 'a.b.C.test_pass', uuid: '11111111-2222-3333-4444-555555555555', status: 'pass' as const, durationMs: 1234 },
      { name: 'a.b.C.test_fail', uuid: '21111111-2222-3333-4444-555555555555', status: 'fail' as const, durationMs: 20, reason: 'expected 201, got 500' },
      { name: 'a.b.C.test_skip', status: 'skip' as const, durationMs: 0, reason: 'needs a data plane' },
    ];
    const start = new Date('2026-01-01T00:00:00.000Z');
    const buf = Buffer.concat(results.map((r) => encodeResult(r, start)));
    assert.deepEqual(parseSubunit(buf), results);
    const ids = [...readPackets(buf)].map((p) => p.testId);
    assert.ok(ids.includes('a.b.C.test_pass[id-11111111-2222-3333-4444-555555555555]'));
  });

  it('encodes lengths across the 1/2/3-byte boundaries', () => {
    for (const size of [0, 40, 70, 20000, 5_000_000]) {
      const p = encodePacket({ testId: 't', fileName: 'f', fileBytes: Buffer.alloc(size, 120), status: 'success' });
      const [back] = [...readPackets(p)];
      assert.equal(back!.fileBytes!.length, size);
    }
  });

  it('refuses a corrupted stream with the byte offset', () => {
    const buf = Buffer.from(encodeResult({ name: 'x', status: 'pass' }, new Date()));
    buf[buf.length - 6] ^= 0xff;
    assert.throws(() => parseResults(buf, 'bad.subunit'), /bad\.subunit: packet at byte \d+: CRC mismatch/);
    assert.throws(() => parseResults(buf.subarray(0, buf.length - 3), 'cut.subunit'), /cut\.subunit: packet at byte \d+: truncated packet/);
  });

  it('skips bytes between packets, as subunit does with interleaved stdout', () => {
    const p = encodeResult({ name: 'x', status: 'pass' }, new Date());
    const r = parseSubunit(Buffer.concat([Buffer.from('noise\n'), p, Buffer.from('more')]));
    assert.deepEqual(r.map((x) => x.status), ['pass']);
  });
});

describe('results formats', () => {
  it('RefStack JSON lists passed tests with uuid', () => {
    const r = parseResults(Buffer.from(JSON.stringify({ cpid: 'x', duration_seconds: 3, results: [{ name: 'a.b.test_x', uuid: '6f8e4436-fc96-4282-8122-e41df57197a9' }] })), 'r.json');
    assert.deepEqual(r.results, [{ name: 'a.b.test_x', uuid: '6f8e4436-fc96-4282-8122-e41df57197a9', status: 'pass' }]);
  });
  it('a plain list of passed names, with or without [id-…]', () => {
    const r = parseResults(Buffer.from('# passed\na.b.test_x[id-6f8e4436-fc96-4282-8122-e41df57197a9,smoke]\n\na.b.test_y\n'), 'l.txt');
    assert.deepEqual(r.results, [
      { name: 'a.b.test_x', uuid: '6f8e4436-fc96-4282-8122-e41df57197a9', status: 'pass' },
      { name: 'a.b.test_y', status: 'pass' },
    ]);
  });
  it('bad JSON and empty files are refused with the file name', () => {
    assert.throws(() => parseResults(Buffer.from('{"results": 3}'), 'x.json'), /x\.json: JSON results must be an object with a "results" list/);
    assert.throws(() => parseResults(Buffer.from('{oops'), 'y.json'), /y\.json: invalid JSON/);
    assert.throws(() => parseResults(Buffer.alloc(0), 'z'), /z: empty results file/);
  });
});
