import { checkCases } from './setup.js';

const OBJECT = /^\/v1\/AUTH_p-primary\/[^/]+\/.+$/;

function flipFirstByte(res: { body: Buffer }): void {
  if (res.body.length > 0) {
    const b = Buffer.from(res.body);
    b[0] = b[0]! ^ 0xff;
    res.body = b;
  }
}

describe('object-storage checks: ObjectTest (unit, fake Swift)', () => {
  checkCases([
    {
      id: '5b4ce26f-3545-46c9-a2ba-5754358a4c62',
      breaks: 'the content read back differs',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, flipFirstByte),
      expect: /content: expected 1024 bytes, got 1024 bytes \(first difference at offset 0\)/,
    },
    {
      id: '17738d45-03bd-4d45-9e0b-7b2f58f98687',
      breaks: 'the DELETE answer has no Content-Type',
      fault: (sim) => sim.fault({ method: 'DELETE', path: OBJECT }, (res) => {
        delete res.headers['content-type'];
      }),
      expect: /header content-type is missing/,
    },
    {
      id: '02610ba7-86b7-4272-9ed8-aa8d417cb3cd',
      breaks: 'the etag is not alphanumeric',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, (res) => {
        res.headers.etag = 'abc-123';
      }),
      expect: /header etag should be alphanumeric/,
    },
    {
      id: '50d01f12-526f-4360-9ac2-75dd508d7b68',
      breaks: 'a matching If-None-Match still downloads',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, (res) => {
        if (res.status === 304) res.status = 200;
      }),
      expect: /expected status 304, got 200/,
    },
    {
      id: '1a9ab572-1b66-4981-8c21-416e2a5e6011',
      breaks: 'the copy does not hold the source content',
      fault: (sim) => sim.fault({ method: 'GET', path: /DstObject/ }, flipFirstByte),
      expect: /content of the copy/,
    },
    {
      id: '2248abba-415d-410b-9c30-22dff9cd6e67',
      breaks: 'the new content type is not kept',
      fault: (sim) => sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
        res.headers['content-type'] = 'application/octet-stream';
      }),
      expect: /header content-type expected "text\/plain; charset=UTF-8", got "application\/octet-stream"/,
    },
    {
      id: '06f90388-2d0e-40aa-934c-e9a8833e958a',
      breaks: 'X-Copied-From names the wrong source',
      fault: (sim) => sim.fault({ method: 'COPY', path: OBJECT }, (res) => {
        res.headers['x-copied-from'] = 'other/object';
      }),
      expect: /header x-copied-from expected ".*SrcObject.*", got "other\/object"/,
    },
    {
      id: 'aa467252-44f3-472a-b5ae-5b57c3c9c147',
      breaks: 'the copy loses the object metadata',
      fault: (sim) => sim.fault({ method: 'GET', path: /TestDestinationContainer/ }, (res) => {
        for (const k of Object.keys(res.headers)) if (k.startsWith('x-object-meta-')) delete res.headers[k];
      }),
      expect: /header x-object-meta-.* is missing/,
    },
    {
      id: 'e3e6a64a-9f50-4955-b987-6ce6767c97fb',
      breaks: 'the manifest etag is not quoted',
      fault: (sim) => sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
        if (res.headers.etag) res.headers.etag = res.headers.etag.replace(/"/g, '');
      }),
      expect: /etag of a large object should be enclosed in double quotes/,
    },
    {
      id: '23a3674c-d6de-46c3-86af-ff92bfc8a3da',
      breaks: 'Accept-Ranges is missing',
      fault: (sim) => sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
        delete res.headers['accept-ranges'];
      }),
      expect: /header accept-ranges is missing/,
    },
    {
      id: '02610ba7-86b7-4272-9ed8-aa8d417cb3cd',
      breaks: 'the content differs',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, flipFirstByte),
      expect: /content: expected 1024 bytes/,
    },
    {
      id: '17738d45-03bd-4d45-9e0b-7b2f58f98687',
      breaks: 'DELETE answers 404',
      fault: (sim) => sim.fault({ method: 'DELETE', path: OBJECT }, (res) => {
        res.status = 404;
      }),
      expect: /DELETE .*: expected status one of 200, 204, got 404/,
    },
    {
      id: 'e3e6a64a-9f50-4955-b987-6ce6767c97fb',
      breaks: 'GET does not join the segments',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, (res) => {
        if (res.headers['x-object-manifest']) res.body = Buffer.alloc(0);
      }),
      expect: /content joined from the segments: expected 50 bytes, got 0 bytes/,
    },
    {
      id: '23a3674c-d6de-46c3-86af-ff92bfc8a3da',
      breaks: 'X-Object-Manifest is altered',
      fault: (sim) => sim.fault({ method: 'HEAD', path: OBJECT }, (res) => {
        if (res.headers['x-object-manifest']) res.headers['x-object-manifest'] += '/';
      }),
      expect: /header x-object-manifest expected/,
    },
    {
      id: '50d01f12-526f-4360-9ac2-75dd508d7b68',
      breaks: 'the 304 has no Date',
      fault: (sim) => sim.fault({ method: 'GET', path: OBJECT }, (res) => {
        if (res.status === 304) delete res.headers.date;
      }),
      expect: /response header date is missing/,
    },
  ]);
});
