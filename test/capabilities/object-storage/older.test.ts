import assert from 'node:assert/strict';
import '../../../capabilities/object-storage/quotas.js';
import '../../../capabilities/object-storage/public-object.js';
import { findCheck } from '../../../src/check/api.js';
import { runCheck } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { answerTimes, checkCases, cleanupCases } from './setup.js';

const PRIMARY_OBJECT = /^\/v1\/AUTH_p-primary\/[^/]+\/.+$/;
const PRIMARY_CONTAINER = /^\/v1\/AUTH_p-primary\/[^/]+$/;

describe('object-storage checks of the older guidelines', () => {
  it('AccountQuotasNegativeTest.test_upload_large_object (2017.01, flagged) reports skip with Tempest\'s reason, never pass', async () => {
    const primary = nockCloud({ catalog: { 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p' } });
    try {
      const r = await runCheck(findCheck('cf9e21f5-3aa4-41b1-9462-28ac550d8d3f')!, { accounts: { primary }, timeoutMs: 5000 });
      assert.equal(r.status, 'skip');
      assert.match(r.message, /bug 1310597/);
    } finally {
      primary.close();
    }
  });
});

describe('object-storage PublicObjectTest (2015.03–2015.07, fake Swift)', () => {
  checkCases([
    {
      id: '07c9cf95-c0d4-4b49-b9c8-0ef2c9b27193',
      breaks: 'a public object needs a token',
      fault: (sim) => sim.fault({ method: 'GET', path: PRIMARY_OBJECT }, (res, req) => {
        if (!req.headers['x-auth-token']) res.status = 401;
      }),
      expect: /GET .*: expected status 200, got 401/,
    },
    {
      id: '07c9cf95-c0d4-4b49-b9c8-0ef2c9b27193',
      breaks: 'the read ACL is not kept as set',
      fault: (sim) => sim.fault({ method: 'HEAD', path: PRIMARY_CONTAINER }, (res) => {
        res.headers['x-container-read'] = '.r:*';
      }),
      expect: /X-Container-Read: expected ".r:\*,.rlistings", got ".r:\*"/,
    },
    {
      id: '54e2a2fe-42dc-491b-8270-8e4217dd4cdc',
      breaks: 'another user may not read the public object',
      fault: (sim) => sim.fault({ method: 'GET', path: PRIMARY_OBJECT }, (res, req) => {
        if (req.headers['x-auth-token'] === 'tok-alt') res.status = 403;
      }),
      expect: /GET .*: expected status 200, got 403/,
    },
    {
      id: '54e2a2fe-42dc-491b-8270-8e4217dd4cdc',
      breaks: 'the object reads back different content',
      fault: (sim) => sim.fault({ method: 'GET', path: PRIMARY_OBJECT }, (res, req) => {
        if (req.headers['x-auth-token'] === 'tok-alt') res.body = Buffer.from('other');
      }),
      expect: /object content/,
    },
  ]);
});

// PublicObjectTest.tearDown deletes the test's container (base.delete_containers,
// test_object_services.py): a failed removal fails the test.
describe('object-storage PublicObjectTest cleanups (fake Swift)', () => {
  const removal = '^cleanup "delete container defcore-unit-container-\\S+ and its objects" failed: ';
  cleanupCases([
    {
      id: '07c9cf95-c0d4-4b49-b9c8-0ef2c9b27193',
      breaks: 'tearDown\'s container DELETE answers 409',
      fault: answerTimes({ method: 'DELETE', path: PRIMARY_CONTAINER }, 409),
      verdict: 'fail',
      expect: new RegExp(`${removal}DELETE \\S+: deleting container \\S+: expected status 204, got 409`),
    },
    {
      id: '54e2a2fe-42dc-491b-8270-8e4217dd4cdc',
      breaks: 'tearDown\'s object DELETE answers 500',
      fault: answerTimes({ method: 'DELETE', path: PRIMARY_OBJECT }, 500),
      verdict: 'fail',
      expect: new RegExp(`${removal}DELETE \\S+: deleting object \\S+ of container \\S+: expected status 200 or 204, got 500`),
    },
  ]);
});
