import assert from 'node:assert/strict';
import { findCheck, findCheckByName } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';

describe('tempestClass declarations', () => {
  const body = async () => {};

  it('registers <class>.<method> under its id with the class deadline and accounts, merged with the test own', () => {
    tempestClass('tempest.api.unit.test_decl.DeclTest', { timeoutMs: 1234, accounts: ['alt'] })
      .test('test_a', 'AAAAAAAA-0000-4000-8000-000000000001', body)
      .test('test_b', 'aaaaaaaa-0000-4000-8000-000000000002', body, { timeoutMs: 99, accounts: ['admin', 'alt'], aliases: ['tempest.old.DeclTest.test_b'] });
    const a = findCheck('aaaaaaaa-0000-4000-8000-000000000001');
    assert.equal(a?.test, 'tempest.api.unit.test_decl.DeclTest.test_a');
    assert.equal(a?.timeoutMs, 1234);
    assert.deepEqual(a?.accounts, ['alt']);
    const b = findCheck('aaaaaaaa-0000-4000-8000-000000000002');
    assert.equal(b?.timeoutMs, 99);
    assert.deepEqual(b?.accounts, ['alt', 'admin']);
    assert.equal(findCheckByName('tempest.old.DeclTest.test_b'), b);
  });

  it('a test without options carries none (the runner default deadline applies)', () => {
    tempestClass('tempest.api.unit.test_decl.BareTest').test('test_c', 'aaaaaaaa-0000-4000-8000-000000000003', body);
    const c = findCheck('aaaaaaaa-0000-4000-8000-000000000003');
    assert.equal(c?.timeoutMs, undefined);
    assert.equal(c?.accounts, undefined);
  });

  it('named() registers a schema 1.2 name-only check; a malformed id or class name is refused', () => {
    tempestClass('tempest.api.unit.test_decl.NamedTest').named('test_d', body);
    assert.equal(findCheckByName('tempest.api.unit.test_decl.NamedTest.test_d')?.test, 'tempest.api.unit.test_decl.NamedTest.test_d');
    assert.throws(() => tempestClass('tempest.api.unit.X').test('test_e', 'not-a-uuid', body), /malformed idempotent id/);
    assert.throws(() => tempestClass('no dots here'), /not a dotted class name/);
  });
});
