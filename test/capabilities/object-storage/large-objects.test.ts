import assert from 'node:assert/strict';
import { answerTimes, checkCases, cleanupCases, fixture } from './setup.js';
import { expiryTiming } from '../../../capabilities/object-storage/expiry.js';

const OBJECT = /^\/v1\/AUTH_p-primary\/[^/]+\/.+$/;

describe('object-storage checks: SLO, temp URLs, expiry, versioning (unit, fake Swift)', () => {
  before(() => {
    expiryTiming.graceMs = 1500;
    expiryTiming.deleteAfter = [1, 2];
  });
  after(() => {
    expiryTiming.graceMs = 60_000;
    expiryTiming.deleteAfter = [3, 10];
  });

  checkCases([
    {
      id: '2c3f24a6-36e8-4711-9aa2-800ee1fc7b5b',
      breaks: 'the manifest PUT answers an unquoted etag',
      fault: (sim) => sim.fault({ method: 'PUT', path: OBJECT, query: /multipart-manifest=put/ }, (res) => {
        res.headers.etag = (res.headers.etag ?? '').replace(/"/g, '');
      }),
      expect: /etag of a large object should be enclosed in double quotes/,
    },
    {
      id: 'e69ad766-e1aa-44a2-bdd2-bf62c09c1456',
      breaks: 'HEAD lacks X-Static-Large-Object',
      fault: (sim) => sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
        delete res.headers['x-static-large-object'];
      }),
      expect: /header x-static-large-object is missing/,
    },
    {
      id: '49bc49bc-dd1b-4c0f-904e-d9f10b830ee8',
      breaks: 'GET returns only the first segment',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, (res) => {
        if (res.headers['x-static-large-object']) res.body = res.body.subarray(0, 1024 * 1024);
      }),
      expect: /content joined from the segments: expected 2097152 bytes, got 1048576 bytes/,
    },
    {
      id: '87b6dfa1-abe9-404d-8bf0-6c3751e6aa77',
      breaks: 'the segments survive the manifest delete',
      fault: (sim) => sim.fault({ method: 'GET', path: /^\/v1\/AUTH_p-primary\/[^/]+$/ }, (res) => {
        res.headers['x-container-object-count'] = '2';
      }),
      expect: /x-container-object-count expected 0 after deleting the large object, got 2/,
    },
    {
      id: 'f91c96d4-1230-4bba-8eb9-84476d18d991',
      breaks: 'a valid temp URL is refused',
      fault: (sim) => sim.fault({ method: 'GET', query: /temp_url_sig/ }, (res) => {
        res.status = 401;
      }),
      expect: /temp_url_sig=<redacted>&temp_url_expires=\d+: expected a successful \(2xx\) status, got 401/,
    },
    {
      id: '9b08dade-3571-4152-8a4f-a4f2a873a735',
      breaks: 'a PUT through the temp URL is refused',
      fault: (sim) => sim.fault({ method: 'PUT', query: /temp_url_sig/ }, (res) => {
        res.status = 401;
      }),
      expect: /PUT .*temp_url_sig=<redacted>&temp_url_expires=\d+: expected a successful \(2xx\) status, got 401/,
    },
    {
      id: 'fb024a42-37f3-4ba5-9684-4f40a7910b41',
      breaks: 'the object is still served after X-Delete-At',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, (res) => {
        if (res.status === 404) {
          res.status = 200;
          res.headers.etag = 'd41d8cd98f00b204e9800998ecf8427e';
          res.headers['last-modified'] = new Date().toUTCString();
        }
      }),
      expect: /object still served \(200\) 2 s after its X-Delete-At/,
    },
    {
      id: 'a151e158-dcbf-4a1f-a1e7-46cd65895a6f',
      breaks: 'the versions location is not reported',
      fault: (sim) => sim.fault({ method: 'HEAD', path: /TestBaseContainer/ }, (res) => {
        delete res.headers['x-versions-location'];
      }),
      expect: /x-versions-location .*got 0, 0, Missing Header/,
    },
    {
      id: '2c3f24a6-36e8-4711-9aa2-800ee1fc7b5b',
      breaks: 'the manifest is refused',
      fault: (sim) => sim.fault({ method: 'PUT', path: OBJECT, query: /multipart-manifest=put/ }, (res) => {
        res.status = 400;
      }),
      expect: /multipart-manifest=put: expected status 201, got 400/,
    },
    {
      id: 'f91c96d4-1230-4bba-8eb9-84476d18d991',
      breaks: 'the temp URL serves other content',
      fault: (sim) => sim.fault({ method: 'GET', query: /temp_url_sig/ }, (res) => {
        res.body = Buffer.from('something else');
      }),
      expect: /content through the temp URL: expected 1024 bytes, got 14 bytes/,
    },
    {
      id: '9b08dade-3571-4152-8a4f-a4f2a873a735',
      breaks: 'the temp-URL PUT does not replace the content',
      fault: (sim) => sim.fault({ method: 'GET', query: /temp_url_sig/ }, (res) => {
        res.body = Buffer.from('old');
      }),
      expect: /content after the temp-URL PUT/,
    },
    {
      id: 'fb024a42-37f3-4ba5-9684-4f40a7910b41',
      breaks: 'X-Delete-At is not reported',
      fault: (sim) => sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
        delete res.headers['x-delete-at'];
      }),
      expect: /response header x-delete-at is missing/,
    },
    {
      id: 'a151e158-dcbf-4a1f-a1e7-46cd65895a6f',
      breaks: 'the delete does not restore the older version',
      fault: (sim) => sim.fault({ method: 'DELETE', path: /TestBaseContainer/ }, (res) => {
        res.status = 204;
      }).fault({ method: 'HEAD', path: /TestBaseContainer/ }, (res) => {
        if (res.headers['x-container-object-count'] === '1') res.headers['x-container-object-count'] = '0';
      }),
      expect: /expected object count 1, bytes 1024/,
    },
    {
      id: '49bc49bc-dd1b-4c0f-904e-d9f10b830ee8',
      breaks: 'X-Static-Large-Object is not "True"',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, (res) => {
        if (res.headers['x-static-large-object']) res.headers['x-static-large-object'] = 'true';
      }),
      expect: /header x-static-large-object expected "True", got "true"/,
    },
  ]);

  describe('object expiry: the short first window is the harness\'s choice', () => {
    const EXPIRY = 'fb024a42-37f3-4ba5-9684-4f40a7910b41';
    it('passes a cloud whose first object was gone before its HEAD answered: it starts over with the longer window', async function () {
      this.timeout(30_000);
      const f = fixture();
      try {
        let heads = 0;
        f.sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
          if (++heads === 1) res.status = 404;
        });
        const r = await f.run(EXPIRY);
        assert.equal(r.status, 'pass', r.message);
        assert.ok(r.notes.some((n) => /X-Delete-After: 1 was gone before its HEAD and GET answered: trying again with 2 s/.test(n)), r.notes.join('\n'));
      } finally {
        f.done();
      }
    });
    it('passes a cloud whose clock is 20 s ahead of the harness (X-Delete-At is read against the cloud\'s Date)', async function () {
      this.timeout(30_000);
      const f = fixture();
      try {
        f.sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
          res.headers['date'] = new Date(Date.now() + 20_000).toUTCString();
          if (res.headers['x-delete-at']) res.headers['x-delete-at'] = String(Number(res.headers['x-delete-at']) + 20);
        });
        const r = await f.run(EXPIRY);
        assert.equal(r.status, 'pass', r.message);
      } finally {
        f.done();
      }
    });
    it('fails a cloud whose object is gone at once on every try (HEAD answers 404 within the window)', async function () {
      this.timeout(30_000);
      const f = fixture();
      try {
        f.sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
          res.status = 404;
        });
        const r = await f.run(EXPIRY);
        assert.equal(r.status, 'fail', r.message);
        assert.match(r.message, /HEAD .*expected (status )?200.*got 404/);
      } finally {
        f.done();
      }
    });
  });
});

// ObjectSloTest.tearDown and test_versioned_container's addCleanup remove the
// containers within the test (base.delete_containers): the removal binds. The
// temp-URL tests leave theirs to the class's resource_cleanup: recorded only.
describe('object-storage cleanups of SLO, versioning and temp URLs (unit, fake Swift)', () => {
  const CONTAINER = /^\/v1\/AUTH_p-primary\/[^/]+$/;
  const removal = (container: string) => `^cleanup "delete container defcore-unit-${container}-\\S+ and its objects" failed: `;
  cleanupCases([
    {
      id: '2c3f24a6-36e8-4711-9aa2-800ee1fc7b5b',
      breaks: 'tearDown\'s container DELETE answers 409',
      fault: answerTimes({ method: 'DELETE', path: CONTAINER }, 409),
      verdict: 'fail',
      expect: new RegExp(`${removal('container')}DELETE \\S+: deleting container \\S+: expected status 204, got 409`),
    },
    {
      id: 'e69ad766-e1aa-44a2-bdd2-bf62c09c1456',
      breaks: 'tearDown\'s first object DELETE answers 500',
      fault: answerTimes({ method: 'DELETE', path: OBJECT }, 500),
      verdict: 'fail',
      expect: new RegExp(`${removal('container')}DELETE \\S+: deleting object \\S+ of container \\S+: expected status 200 or 204, got 500`),
    },
    {
      id: '49bc49bc-dd1b-4c0f-904e-d9f10b830ee8',
      breaks: 'the deleted container never disappears (HEAD keeps answering 204)',
      fault: (sim) => sim.fault({ method: 'HEAD', path: CONTAINER }, (res) => {
        if (res.status === 404) res.status = 204;
      }),
      verdict: 'fail',
      expect: new RegExp(`${removal('container')}HEAD \\S+: the deleted container \\S+ still answers 204 after 0.3 s`),
    },
    {
      id: '2c3f24a6-36e8-4711-9aa2-800ee1fc7b5b',
      breaks: 'a deleted segment is still served',
      fault: (sim) => sim.fault({ method: 'GET', path: /_01$/ }, (res) => {
        if (res.status === 404) res.status = 200;
      }),
      verdict: 'fail',
      expect: new RegExp(`${removal('container')}GET \\S+_01: the deleted object \\S+ still answers 200 after 0.3 s`),
    },
    {
      id: '87b6dfa1-abe9-404d-8bf0-6c3751e6aa77',
      breaks: 'the container\'s listing in tearDown answers 500',
      fault: answerTimes({ method: 'GET', path: CONTAINER, query: /limit=9999/ }, 500),
      verdict: 'fail',
      expect: new RegExp(`${removal('container')}GET \\S+: listing container \\S+ to delete it: got 500`),
    },
    {
      id: '2c3f24a6-36e8-4711-9aa2-800ee1fc7b5b',
      breaks: 'an object DELETE in tearDown answers 404 (Tempest ignores NotFound)',
      fault: answerTimes({ method: 'DELETE', path: OBJECT }, 404),
      verdict: 'pass',
    },
    {
      id: 'a151e158-dcbf-4a1f-a1e7-46cd65895a6f',
      breaks: 'the versions container\'s DELETE in addCleanup answers 409',
      fault: answerTimes({ method: 'DELETE', path: /TestVersionContainer-[^/]+$/ }, 409),
      verdict: 'fail',
      expect: new RegExp(`${removal('TestVersionContainer')}DELETE \\S+: deleting container \\S+: expected status 204, got 409`),
    },
    {
      id: 'a151e158-dcbf-4a1f-a1e7-46cd65895a6f',
      breaks: 'the base container\'s DELETE in addCleanup answers 500',
      fault: answerTimes({ method: 'DELETE', path: /TestBaseContainer-[^/]+$/ }, 500),
      verdict: 'fail',
      expect: new RegExp(`${removal('TestBaseContainer')}DELETE \\S+: deleting container \\S+: expected status 204, got 500`),
    },
    {
      id: 'f91c96d4-1230-4bba-8eb9-84476d18d991',
      breaks: 'its container cannot be emptied (class-level resource_cleanup: object DELETE answers 500)',
      fault: (sim) => sim.fault({ method: 'DELETE', path: OBJECT }, (res) => {
        res.status = 500;
      }),
      verdict: 'pass',
      expect: /^cleanup "delete container defcore-unit-container-\S+ and its objects" failed: deleting \S+: status 500/,
      clean: false,
    },
  ]);
});
