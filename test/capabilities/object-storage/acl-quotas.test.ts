import type { FakeSwift } from '../../fakes/fake-swift.js';
import { checkCases, cleanupCases } from './setup.js';

const PRIMARY_ACCOUNT = /^\/v1\/AUTH_p-primary$/;
const PRIMARY_OBJECT = /^\/v1\/AUTH_p-primary\/[^/]+\/.+$/;

describe('object-storage checks: container ACLs and quotas (unit, fake Swift)', () => {
  checkCases([
    {
      id: 'a3270f3f-7640-4944-8448-c7ea783ea5b6',
      breaks: 'the read ACL is not honoured',
      fault: (sim) => sim.fault({ method: 'GET', path: PRIMARY_OBJECT }, (res, req) => {
        if (req.headers['x-auth-token'] === 'tok-alt') res.status = 403;
      }),
      expect: /GET .*: expected status one of 200, 206, got 403/,
    },
    {
      id: 'aa58bfa5-40d9-4bc3-82b4-d07f4a9e392a',
      breaks: 'the write ACL is not honoured',
      fault: (sim) => sim.fault({ method: 'PUT', path: PRIMARY_OBJECT }, (res, req) => {
        if (req.headers['x-auth-token'] === 'tok-alt') res.status = 403;
      }),
      expect: /PUT .*: expected status 201, got 403/,
    },
    {
      id: 'a22ef352-a342-4587-8f47-3bbdb5b039c4',
      breaks: 'the reseller cannot set a quota',
      fault: (sim) => sim.fault({ method: 'POST', path: PRIMARY_ACCOUNT }, (res, req) => {
        if (req.headers['x-auth-token'] === 'tok-reseller') res.status = 403;
      }),
      expect: /POST .*AUTH_p-primary: expected status one of 200, 204, got 403/,
    },
    {
      id: 'd1dc5076-555e-4e6d-9697-28f1fe976324',
      breaks: 'the account user may change its own quota',
      fault: (sim) => sim.fault({ method: 'POST', path: PRIMARY_ACCOUNT }, (res, req) => {
        if (req.headers['x-auth-token'] === 'tok-primary') res.status = 204;
      }),
      expect: /as the account's own user should be refused with 403, got 204/,
    },
    {
      id: '9a0fb034-86af-4df0-86fa-f8bd7db21ae0',
      breaks: 'bytes used never account for the upload',
      fault: (sim) => sim.fault({ method: 'HEAD', path: /^\/v1\/AUTH_p-primary\/[^/]+$/ }, (res) => {
        res.headers['x-container-bytes-used'] = '0';
      }),
      expect: /x-container-bytes-used expected 10, got 0/,
    },
    {
      id: '22eeeb2b-3668-4160-baef-44790f65a5a0',
      breaks: 'an upload over the byte quota is accepted',
      fault: (sim) => sim.fault({ method: 'PUT', path: PRIMARY_OBJECT }, (res) => {
        if (res.status === 413) res.status = 201;
      }),
      expect: /expected status 413, got 201/,
    },
    {
      id: '3a387039-697a-44fc-a9c0-935de31f426b',
      breaks: 'an upload over the count quota is accepted',
      fault: (sim) => sim.fault({ method: 'PUT', path: /OverQuotaObject$/ }, (res) => {
        res.status = 201;
      }),
      expect: /OverQuotaObject: expected status 413, got 201/,
    },
  ]);
});

// AccountQuotasTest and AccountQuotasNegativeTest remove the quota in each test's
// tearDown (test_account_quotas.py, test_account_quotas_negative.py): a refused
// removal fails the test. Their containers, like ContainerQuotasTest's, go in the
// class's resource_cleanup: a failure there is recorded only.
describe('object-storage quota cleanups (unit, fake Swift)', () => {
  const removesQuota = (sim: FakeSwift) => sim.fault({ method: 'POST', path: PRIMARY_ACCOUNT }, (res, req) => {
    if (req.headers['x-remove-account-meta-quota-bytes'] !== undefined) res.status = 500;
  });
  const RESTORE = /^cleanup "restore the account's byte quota" failed: POST \S+\/AUTH_p-primary: restoring the account quota as the reseller: got 500/;
  const objectDeleteRefused = (sim: FakeSwift) => sim.fault({ method: 'DELETE', path: PRIMARY_OBJECT }, (res) => {
    res.status = 500;
  });
  const PURGE = /^cleanup "delete container defcore-unit-container-\S+ and its objects" failed: deleting \S+: status 500/;
  cleanupCases([
    { id: 'a22ef352-a342-4587-8f47-3bbdb5b039c4', breaks: 'removing the account quota in tearDown answers 500', fault: removesQuota, verdict: 'fail', expect: RESTORE },
    { id: 'd1dc5076-555e-4e6d-9697-28f1fe976324', breaks: 'removing the account quota in tearDown answers 500', fault: removesQuota, verdict: 'fail', expect: RESTORE },
    { id: 'a22ef352-a342-4587-8f47-3bbdb5b039c4', breaks: 'the class\'s container cannot be emptied (object DELETE answers 500)', fault: objectDeleteRefused, verdict: 'pass', expect: PURGE, clean: false },
    { id: '9a0fb034-86af-4df0-86fa-f8bd7db21ae0', breaks: 'the class\'s container cannot be emptied (object DELETE answers 500)', fault: objectDeleteRefused, verdict: 'pass', expect: PURGE, clean: false },
  ]);
});
