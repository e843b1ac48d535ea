import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/report/canonical.js';
import { cloudId } from '../../src/report/cloud-id.js';
import { createHash } from 'node:crypto';

describe('report canonical form (RFC 8785)', () => {
  it('matches the RFC 8785 section 3.2.2 example byte for byte', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    assert.equal(canonicalJson(input), '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts member names by UTF-16 code units (RFC 8785 section 3.2.3)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew', '1': 'One', '\ud83d\ude00': 'Emoji', '\u0080': 'Control', '\u00f6': 'o-umlaut' };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse would reorder "1" first anyway (integer-like keys), so check the text order
    const text = canonicalJson(input);
    const order = ['\\r', '"1"', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(k));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.equal(keys.length, 7);
  });

  it('drops undefined members, keeps nested order-independence, writes no whitespace', () => {
    assert.equal(canonicalJson({ b: [1, { d: 1, c: undefined, a: 'x' }], a: -0 }), '{"a":0,"b":[1,{"a":"x","d":1}]}');
    assert.equal(canonicalJson({ z: 1, a: 2 }), canonicalJson({ a: 2, z: 1 }));
  });

  it('refuses what has no canonical form: non-finite numbers and lone surrogates', () => {
    assert.throws(() => canonicalJson({ a: Number.NaN }), /not a JSON number/);
    assert.throws(() => canonicalJson({ a: Infinity }), /not a JSON number/);
    assert.throws(() => canonicalJson({ a: 'x\ud800y' }), /lone UTF-16 surrogate/);
    assert.throws(() => canonicalJson({ a: () => 1 }), /not JSON/);
  });
});

describe('cloud id (RefStack cpid from a Keystone endpoint)', () => {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  it('is the md5 of the endpoint host name, independent of scheme, port, path and case', () => {
    assert.equal(cloudId('http://127.0.0.1:5000/v3'), md5('127.0.0.1'));
    assert.equal(cloudId('https://Keystone.Example.org/identity/v3'), md5('keystone.example.org'));
    assert.equal(cloudId('https://keystone.example.org:13000/'), cloudId('http://KEYSTONE.example.org/v2.0'));
    assert.equal(cloudId('http://[::1]:5000/v3'), md5('::1'));
  });
  it('refuses endpoints without an http(s) scheme, as refstack-client did', () => {
    assert.throws(() => cloudId('keystone.example.org:5000'), /scheme must be http or https|not a URL/);
    assert.throws(() => cloudId('ftp://keystone.example.org'), /scheme must be http or https/);
  });
});
