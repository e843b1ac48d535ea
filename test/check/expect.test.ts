import assert from 'node:assert/strict';
import { CheckFailure } from '../../src/check/api.js';
import {
  describeRequest,
  expectBytes,
  expectHeader,
  expectHeaderEquals,
  expectHeaderMatches,
  expectNoHeader,
  expectNoHeaderWithPrefix,
  expectRefused,
  expectSchema,
  expectStatus,
} from '../../src/check/expect.js';

const res = {
  method: 'PUT',
  url: 'http://127.0.0.1:8080/v1/AUTH_p/c',
  status: 201,
  headers: { etag: 'abc', 'x-container-meta-a': '1' },
  text: '',
};

function failsWith(fn: () => void, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof CheckFailure && pattern.test(err.message));
}

describe('check/expect', () => {
  it('passes matching facts', () => {
    expectStatus(res, [201, 202]);
    assert.equal(expectHeader(res, 'ETag'), 'abc');
    expectHeaderEquals(res, 'etag', 'abc');
    expectHeaderMatches(res, 'etag', /^[a-z]+$/, 'letters');
    expectNoHeader(res, 'x-foo');
    expectBytes(Buffer.from('ab'), 'ab', 'body');
  });

  it('names method, URL, expected and actual', () => {
    failsWith(() => expectStatus(res, 204), /^PUT http:\/\/127\.0\.0\.1:8080\/v1\/AUTH_p\/c: expected status 204, got 201$/);
    failsWith(() => expectHeader(res, 'x-trans-id'), /header x-trans-id is missing/);
    failsWith(() => expectNoHeader(res, 'etag'), /etag should be absent, got "abc"/);
    failsWith(() => expectNoHeaderWithPrefix(res, 'x-container-meta-'), /x-container-meta-a/);
    failsWith(() => expectHeaderEquals(res, 'etag', 'x'), /expected "x", got "abc"/);
    failsWith(() => expectBytes('abd', 'abc', 'object body'), /first difference at offset 2/);
  });

  it('masks signatures in the request it names', () => {
    const signed = { ...res, url: 'http://127.0.0.1:8080/v1/AUTH_p/c/o?temp_url_sig=abcdef0123&temp_url_expires=99' };
    failsWith(() => expectStatus(signed, 200), /temp_url_sig=<redacted>&temp_url_expires=99: expected status 200/);
    assert.ok(!describeRequest(signed).includes('abcdef0123'));
  });

  it('reports schema violations with JSON path and value', () => {
    expectSchema('object-storage', 'v1/account-container-listing', [{ name: 'a', count: 0, bytes: 0 }]);
    failsWith(
      () => expectSchema('object-storage', 'v1/account-container-listing', [{ name: 'a', count: '3', bytes: 0 }], res),
      /\/0\/count must be integer \(got "3"\)/,
    );
    failsWith(
      () => expectSchema('object-storage', 'v1/account-container-listing', [{ name: 'a', count: 1 }]),
      /\/0\/bytes is required but missing/,
    );
  });

  it('expectRefused names the request, the attempt, the expected and the actual status, and what the error must say', () => {
    const refused = { ...res, status: 409, text: '{"error": "Conflict: in use"}' };
    expectRefused(refused, [400, 409], 'creating a container');
    expectRefused(refused, 409, { says: 'in use' });
    failsWith(() => expectRefused(res, 409), /^PUT http:\/\/127\.0\.0\.1:8080\/v1\/AUTH_p\/c: expected status 409, got 201$/);
    failsWith(() => expectRefused(res, [400, 409], 'creating a container'), /^PUT \S+: creating a container should be refused with 400 or 409, got 201$/);
    failsWith(() => expectRefused(refused, 409, { says: 'quota' }), /: error 409 should say "quota", got "\{\\"error\\": \\"Conflict: in use\\"\}"$/);
  });
});
