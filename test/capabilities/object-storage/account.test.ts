import { checkCases, dropFirstLine } from './setup.js';

const ACCOUNT = /^\/v1\/AUTH_p-primary$/;

describe('object-storage checks: AccountTest (unit, fake Swift)', () => {
  checkCases([
    {
      id: '3499406a-ae53-4f8c-b43a-133d4dc6fe3f',
      breaks: 'a container is missing from the listing',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /^$/ }, (res) => {
        res.body = dropFirstLine(res.body);
      }),
      expect: /containers not listed/,
    },
    {
      id: '884ec421-fbad-4fcc-916b-0580f2699565',
      breaks: 'the untouched account lists a container',
      fault: (sim) => sim.fault({ method: 'GET', path: /AUTH_p-alt$/ }, (res) => {
        res.status = 200;
        res.body = Buffer.from('stray\n');
      }),
      expect: /expected no containers in the alt account/,
    },
    {
      id: '1c7efa35-e8a2-4b0b-b5ff-862c7fd83704',
      breaks: 'JSON entries lack "bytes"',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /format=json/ }, (res) => {
        const list = JSON.parse(res.body.toString()) as Array<Record<string, unknown>>;
        res.body = Buffer.from(JSON.stringify(list.map(({ bytes: _b, ...rest }) => rest)));
      }),
      expect: /schema object-storage\/account-container-listing: \/0\/bytes is required/,
    },
    {
      id: '6eb04a6a-4860-4e31-ba91-ea3347d76b58',
      breaks: '/info answers with a malformed transaction id',
      fault: (sim) => sim.fault({ path: /^\/info$/ }, (res) => {
        res.headers['x-trans-id'] = 'not-a-trans-id';
      }),
      expect: /header x-trans-id should be a Swift transaction id/,
    },
    {
      id: '5cfa4ab2-4373-48dd-a41f-a532b12b08b2',
      breaks: 'limit is ignored',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /limit=1(&|$)/ }, (res) => {
        res.body = Buffer.concat([res.body, Buffer.from('zz-extra\n')]);
      }),
      expect: /expected 1 containers, got 2/,
    },
    {
      id: '638f876d-6a43-482a-bbb3-0840bca101c6',
      breaks: 'the marker itself is listed',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /^marker=/ }, (res, req) => {
        res.status = 200;
        res.body = Buffer.from(`${req.query.get('marker')}\n${res.body.toString()}`);
      }),
      expect: /not after marker/,
    },
    {
      id: '5ca164e4-7bde-43fa-bafb-913b53b9e786',
      breaks: 'end_marker is ignored',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /^end_marker=/ }, (res) => {
        res.status = 200;
        res.body = Buffer.concat([res.body, Buffer.from('zzzz-after-everything\n')]);
      }),
      expect: /not before end_marker/,
    },
    {
      id: 'ac8502c2-d4e4-4f68-85a6-40befea2ef5e',
      breaks: 'nothing is listed between marker and end_marker',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /marker=.*end_marker=/ }, (res) => {
        res.status = 204;
        res.body = Buffer.alloc(0);
      }),
      expect: /missing/,
    },
    {
      id: 'f7064ae8-dbcc-48da-b594-82feef6ea5af',
      breaks: 'more names than the limit come back',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /limit=/ }, (res) => {
        res.status = 200;
        res.body = Buffer.from('a\nb\nc\nd\ne\nf\ng\n');
      }),
      expect: /more than limit=/,
    },
    {
      id: '888a3f0e-7214-4806-8e50-5e0c9a69bb5e',
      breaks: 'the listing is empty',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /limit=.*end_marker=/ }, (res) => {
        res.status = 204;
        res.body = Buffer.alloc(0);
      }),
      expect: /missing/,
    },
    {
      id: '8cf98d9c-e3a0-4e44-971b-c87656fdddbd',
      breaks: 'the end_marker itself is listed',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /limit=.*marker=.*end_marker=/ }, (res, req) => {
        res.status = 200;
        res.body = Buffer.from(`${req.query.get('end_marker')}\n`);
      }),
      expect: /not before end_marker/,
    },
    {
      id: 'b904c2e3-24c2-4dba-ad7d-04e90a761be5',
      breaks: 'the account shows metadata',
      fault: (sim) => sim.fault({ method: 'HEAD', path: ACCOUNT }, (res) => {
        res.headers['x-account-meta-color'] = 'blue';
      }),
      expect: /expected no x-account-meta-\* header, got x-account-meta-color/,
    },
    {
      id: '6eb04a6a-4860-4e31-ba91-ea3347d76b58',
      breaks: '/info is not JSON',
      fault: (sim) => sim.fault({ path: /^\/info$/ }, (res) => {
        res.body = Buffer.from('<html>info</html>');
      }),
      expect: /expected a JSON body/,
    },
    {
      id: '6eb04a6a-4860-4e31-ba91-ea3347d76b58',
      breaks: '/info answers 401',
      fault: (sim) => sim.fault({ path: /^\/info$/ }, (res) => {
        res.status = 401;
      }),
      expect: /GET http:\/\/127\.0\.0\.1:18080\/info: expected status 200, got 401/,
    },
    {
      id: '3499406a-ae53-4f8c-b43a-133d4dc6fe3f',
      breaks: 'the account reports no storage-policy usage',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /^$/ }, (res) => {
        for (const k of Object.keys(res.headers)) if (k.startsWith('x-account-storage-policy-')) delete res.headers[k];
      }),
      expect: /no storage-policy usage headers/,
    },
  ]);
});
