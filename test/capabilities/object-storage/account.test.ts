import type { FakeSwift, ListingQuirks } from '../../fakes/fake-swift.js';
import { checkCases, dropFirstLine, REPEAT, USERS } from './setup.js';

const ACCOUNT = /^\/v1\/AUTH_p-primary$/;

/**
 * Containers of others in the shared account, sorting before the check's own
 * ("defcore-unit-list-…") and after them, as concurrent runs and users leave them.
 */
function sharedAccount(sim: FakeSwift): void {
  const now = Date.now();
  const containers = new Map<string, { meta: Map<string, string>; timestamp: number; objects: Map<string, never> }>();
  for (const name of ['Zebra', 'defcore-unit-aaa-theirs', 'defcore-unit-list-', 'defcore-unit-zzz-theirs', '~tilde']) {
    containers.set(name, { meta: new Map(), timestamp: now, objects: new Map() });
  }
  sim.accounts.set(USERS.primary.projectId, { meta: new Map(), containers, timestamp: now });
}

/** A decisive case: the check fails, every time, on a Swift listing with `quirks`. */
function quirk(id: string, breaks: string, quirks: ListingQuirks, expect: RegExp) {
  return {
    id,
    breaks,
    prepare: sharedAccount,
    fault: (sim: FakeSwift) => {
      sim.listingQuirks = quirks;
    },
    expect,
    repeat: REPEAT,
  };
}

const IDS = {
  list: '3499406a-ae53-4f8c-b43a-133d4dc6fe3f',
  json: '1c7efa35-e8a2-4b0b-b5ff-862c7fd83704',
  info: '6eb04a6a-4860-4e31-ba91-ea3347d76b58',
  limit: '5cfa4ab2-4373-48dd-a41f-a532b12b08b2',
  marker: '638f876d-6a43-482a-bbb3-0840bca101c6',
  endMarker: '5ca164e4-7bde-43fa-bafb-913b53b9e786',
  markerEnd: 'ac8502c2-d4e4-4f68-85a6-40befea2ef5e',
  limitMarker: 'f7064ae8-dbcc-48da-b594-82feef6ea5af',
  limitEnd: '888a3f0e-7214-4806-8e50-5e0c9a69bb5e',
  limitMarkerEnd: '8cf98d9c-e3a0-4e44-971b-c87656fdddbd',
};

/** /info without `key` (top level). */
function infoWithout(key: string) {
  return (sim: FakeSwift) => {
    delete sim.infoDocument[key];
  };
}

describe('object-storage checks: AccountTest, decisive parameters (unit, fake Swift, shared account)', () => {
  checkCases([
    quirk(IDS.list, 'the listing is in UTF-16 order', { order: 'utf16' }, /not in ascending UTF-8 byte order/),
    quirk(IDS.list, 'the listing is reversed', { order: 'reversed' }, /not in ascending UTF-8 byte order/),
    quirk(IDS.json, 'the JSON listing is in UTF-16 order', { order: 'utf16' }, /not in ascending UTF-8 byte order/),
    quirk(IDS.json, 'format=json is ignored', { ignore: ['format'] }, /expected a JSON body/),
    quirk(IDS.limit, 'limit is ignored', { ignore: ['limit'] }, /more than limit=1/),
    quirk(IDS.marker, 'marker is ignored', { ignore: ['marker'] }, /not after marker/),
    quirk(IDS.endMarker, 'end_marker is ignored', { ignore: ['end_marker'] }, /not before end_marker/),
    quirk(IDS.markerEnd, 'marker is ignored', { ignore: ['marker'] }, /not after marker/),
    quirk(IDS.markerEnd, 'end_marker is ignored', { ignore: ['end_marker'] }, /not before end_marker/),
    quirk(IDS.markerEnd, 'names compare as UTF-16', { order: 'utf16' }, /\["defcore-unit-list-[0-9a-f-]+-\uFF41"\] should be listed/),
    quirk(IDS.limitMarker, 'limit is ignored', { ignore: ['limit'] }, /more than limit=0/),
    quirk(IDS.limitMarker, 'marker is ignored', { ignore: ['marker'] }, /not after marker/),
    quirk(IDS.limitEnd, 'limit is ignored', { ignore: ['limit'] }, /more than limit=1/),
    quirk(IDS.limitEnd, 'end_marker is ignored', { ignore: ['end_marker'] }, /not before end_marker/),
    quirk(IDS.limitMarkerEnd, 'limit is ignored', { ignore: ['limit'] }, /more than limit=2/),
    quirk(IDS.limitMarkerEnd, 'end_marker is ignored', { ignore: ['end_marker'] }, /not before end_marker/),
    quirk(IDS.limitMarkerEnd, 'marker is ignored', { ignore: ['marker'] }, /not after marker/),
    { id: IDS.info, breaks: '/info is an empty document', fault: (sim) => { sim.infoDocument = {}; }, expect: /no "swift" section/, repeat: REPEAT },
    {
      id: IDS.info,
      breaks: '/info has no Swift version',
      fault: (sim) => { sim.infoDocument = { ...sim.infoDocument, swift: { policies: [] } }; },
      expect: /"swift" section without a version/,
      repeat: REPEAT,
    },
    { id: IDS.info, breaks: '/info lacks tempurl', fault: infoWithout('tempurl'), expect: /does not list "tempurl"/, repeat: REPEAT },
    { id: IDS.info, breaks: '/info lacks account_quotas', fault: infoWithout('account_quotas'), expect: /does not list "account_quotas"/, repeat: REPEAT },
    { id: IDS.info, breaks: '/info lacks container_quotas', fault: infoWithout('container_quotas'), expect: /does not list "container_quotas"/, repeat: REPEAT },
    { id: IDS.info, breaks: '/info lacks versioned_writes', fault: infoWithout('versioned_writes'), expect: /does not list "versioned_writes"/, repeat: REPEAT },
    { id: IDS.info, breaks: 'SLO is active but /info lacks slo', fault: infoWithout('slo'), expect: /honours SLO manifests but \/info does not list "slo"/, repeat: REPEAT },
  ]);
});

describe('object-storage checks: GET /info without SLO (unit, fake Swift)', () => {
  checkCases([
    {
      id: IDS.info,
      breaks: 'tempurl is missing too (SLO off: slo not required)',
      prepare: (sim) => {
        sim.sloEnabled = false;
        delete sim.infoDocument.slo;
      },
      fault: infoWithout('tempurl'),
      expect: /does not list "tempurl"/,
    },
  ]);
});

describe('object-storage checks: AccountTest (unit, fake Swift)', () => {
  checkCases([
    {
      id: '3499406a-ae53-4f8c-b43a-133d4dc6fe3f',
      breaks: 'a container is missing from the listing',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /^$/ }, (res) => {
        res.body = dropFirstLine(res.body);
      }),
      expect: /should be listed \(the answer is the end of the listing\)/,
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
      expect: /schema object-storage\/v1\/account-container-listing: \/0\/bytes is required/,
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
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /limit=3(&|$)/ }, (res) => {
        res.body = dropFirstLine(res.body);
      }),
      expect: /should be listed \(the answer is the end of the listing\)/,
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
      expect: /should be listed/,
    },
    {
      id: 'f7064ae8-dbcc-48da-b594-82feef6ea5af',
      breaks: 'more names than the limit come back',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /limit=[1-9]/ }, (res) => {
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
      expect: /should be listed/,
    },
    {
      id: '8cf98d9c-e3a0-4e44-971b-c87656fdddbd',
      breaks: 'the end_marker itself is listed',
      fault: (sim) => sim.fault({ method: 'GET', path: ACCOUNT, query: /^marker=.*end_marker=.*limit=/ }, (res, req) => {
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
