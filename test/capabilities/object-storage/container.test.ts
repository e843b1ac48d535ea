import type { FakeSwift, ListingQuirks } from '../../fakes/fake-swift.js';
import { checkCases, dropFirstLine, REPEAT } from './setup.js';

const CONTAINER = /^\/v1\/AUTH_p-primary\/[^/]+$/;
const empty = (res: { status: number; body: Buffer }) => {
  res.status = 204;
  res.body = Buffer.alloc(0);
};

/** A decisive case: the check fails, every time, on a Swift listing with `quirks`. */
function quirk(id: string, breaks: string, quirks: ListingQuirks, expect: RegExp) {
  return {
    id,
    breaks,
    fault: (sim: FakeSwift) => {
      sim.listingQuirks = quirks;
    },
    expect,
    repeat: REPEAT,
  };
}

const IDS = {
  list: '312ff6bd-5290-497f-bda1-7c5fec6697ab',
  delimiter: 'fe323a32-57b9-4704-a996-2e68f83b09bc',
  endMarker: '55b4fa5c-e12e-4ca9-8fcf-a79afe118522',
  json: '196f5034-6ab0-4032-9da9-a937bbb9fba9',
  limit: '297ec38b-2b61-4ff4-bcd1-7fa055e97b61',
  marker: 'c31ddc63-2a58-4f6b-b25c-94d2937e6867',
  path: '58ca6cc9-6af0-408d-aaec-2a6a7b2f0df9',
  prefix: '77e742c7-caf2-4ec9-8aa4-f7d509a3344c',
};

/** Rewrites one field of every entry of a JSON object listing. */
function jsonEntries(mutate: (e: Record<string, unknown>) => void) {
  return (sim: FakeSwift) => sim.fault({ method: 'GET', path: CONTAINER, query: /format=json/ }, (res) => {
    const list = JSON.parse(res.body.toString()) as Array<Record<string, unknown>>;
    list.forEach(mutate);
    res.body = Buffer.from(JSON.stringify(list));
  });
}

describe('object-storage checks: ContainerTest, decisive parameters (unit, fake Swift)', () => {
  checkCases([
    quirk(IDS.list, 'the listing is in UTF-16 order', { order: 'utf16' }, /listing: expected \[.*"\uFF41","\u{1F600}"\], got \[.*"\u{1F600}","\uFF41"\]/u),
    quirk(IDS.list, 'the listing is reversed', { order: 'reversed' }, /listing: expected \["Aaaa0",.*got \["\u{1F600}"/u),
    quirk(IDS.limit, 'limit is ignored', { ignore: ['limit'] }, /\?limit=2: listing/),
    quirk(IDS.limit, 'names compare as UTF-16', { order: 'utf16' }, /\?limit=8: listing/),
    quirk(IDS.marker, 'marker is ignored', { ignore: ['marker'] }, /marker=AaaaObject1234567890: listing/),
    quirk(IDS.marker, 'marker compares UTF-16 code units', { order: 'utf16' }, /marker=AaaaObject1234567890: listing: expected \[.*"\uFF41","\u{1F600}"\], got \[.*"\u{1F600}","\uFF41"\]/u),
    quirk(IDS.endMarker, 'end_marker is ignored', { ignore: ['end_marker'] }, /end_marker=TestObject0: listing/),
    quirk(IDS.endMarker, 'end_marker compares UTF-16 code units', { order: 'utf16' }, /end_marker=%F0%9F%98%80: listing/),
    quirk(IDS.prefix, 'prefix is ignored', { ignore: ['prefix'] }, /prefix=TestObject: listing/),
    quirk(IDS.delimiter, 'delimiter is ignored', { ignore: ['delimiter'] }, /delimiter=%2F: listing/),
    quirk(IDS.path, 'path is ignored', { ignore: ['path'] }, /path=Swift: listing: expected \["Swift\/a","Swift\/b"\]/),
    quirk(IDS.json, 'format=json is ignored', { ignore: ['format'] }, /expected a JSON body/),
    quirk(IDS.json, 'the JSON listing is in UTF-16 order', { order: 'utf16' }, /names: expected/),
    { id: IDS.json, breaks: 'JSON entries report another size', fault: jsonEntries((e) => { e.bytes = 0; }), expect: /entry of "Aaaa0"/, repeat: REPEAT },
    { id: IDS.json, breaks: 'JSON entries carry a wrong hash', fault: jsonEntries((e) => { e.hash = 'd41d8cd98f00b204e9800998ecf8427e'; }), expect: /entry of "Aaaa0"/, repeat: REPEAT },
    {
      id: IDS.json,
      breaks: 'JSON entries lose their content type',
      fault: jsonEntries((e) => { e.content_type = 'application/octet-stream'; }),
      expect: /entry of "Aaaa0"/,
      repeat: REPEAT,
    },
  ]);
});

describe('object-storage checks: ContainerTest (unit, fake Swift)', () => {
  checkCases([
    {
      id: '92139d73-7819-4db1-85f8-3f2f22a8d91f',
      breaks: 'the PUT answer has no transaction id',
      fault: (sim) => sim.fault({ method: 'PUT', path: CONTAINER }, (res) => {
        delete res.headers['x-trans-id'];
      }),
      expect: /response header x-trans-id is missing/,
    },
    {
      id: '49f866ed-d6af-4395-93e7-4187eb56d322',
      breaks: 'a second PUT is refused with 409',
      fault: (sim) => sim.fault({ method: 'PUT', path: CONTAINER }, (res) => {
        if (res.status === 202) res.status = 409;
      }),
      expect: /expected status one of 201, 202, got 409/,
    },
    {
      id: '95d3a249-b702-4082-a2c4-14bb860cf06a',
      breaks: 'DELETE answers 200 instead of 204',
      fault: (sim) => sim.fault({ method: 'DELETE', path: CONTAINER }, (res) => {
        res.status = 200;
      }),
      expect: /DELETE .*: expected status 204, got 200/,
    },
    {
      id: '312ff6bd-5290-497f-bda1-7c5fec6697ab',
      breaks: 'the object is missing from the listing',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /^$/ }, (res) => {
        res.body = dropFirstLine(res.body);
      }),
      expect: /listing: expected \["Aaaa0",.*got \["Swift\/a"/,
    },
    {
      id: '4646ac2d-9bfb-4c7d-a3c5-0f527402b3df',
      breaks: 'an empty container lists a name',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /^$/ }, (res) => {
        res.status = 200;
        res.body = Buffer.from('ghost\n');
      }),
      expect: /listing of an empty container: expected \[\], got \["ghost"\]/,
    },
    {
      id: 'fe323a32-57b9-4704-a996-2e68f83b09bc',
      breaks: 'the delimiter is ignored',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /delimiter=/ }, (res) => {
        res.body = Buffer.from('TestObject/leaf\n');
      }),
      expect: /delimiter=%2F: listing: expected/,
    },
    {
      id: '55b4fa5c-e12e-4ca9-8fcf-a79afe118522',
      breaks: 'end_marker hides the object',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /end_marker=/ }, empty),
      expect: /listing: expected/,
    },
    {
      id: '196f5034-6ab0-4032-9da9-a937bbb9fba9',
      breaks: 'JSON entries lack "hash"',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /format=json/ }, (res) => {
        const list = JSON.parse(res.body.toString()) as Array<Record<string, unknown>>;
        res.body = Buffer.from(JSON.stringify(list.map(({ hash: _h, ...rest }) => rest)));
      }),
      expect: /schema object-storage\/v1\/container-object-listing/,
    },
    {
      id: '297ec38b-2b61-4ff4-bcd1-7fa055e97b61',
      breaks: 'the listing names a storage policy the cluster does not have',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /limit=/ }, (res) => {
        res.headers['x-storage-policy'] = 'gold';
      }),
      expect: /x-storage-policy "gold" is not one of the cluster's policies/,
    },
    {
      id: 'c31ddc63-2a58-4f6b-b25c-94d2937e6867',
      breaks: 'the marker hides the object',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /^marker=/ }, empty),
      expect: /listing: expected/,
    },
    {
      id: '58ca6cc9-6af0-408d-aaec-2a6a7b2f0df9',
      breaks: 'path lists nothing',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /^path=/ }, empty),
      expect: /listing: expected/,
    },
    {
      id: '77e742c7-caf2-4ec9-8aa4-f7d509a3344c',
      breaks: 'prefix lists nothing',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /^prefix=/ }, empty),
      expect: /listing: expected/,
    },
    {
      id: '96e68f0e-19ec-4aa2-86f3-adc6a45e14dd',
      breaks: 'the metadata is not returned',
      fault: (sim) => sim.fault({ method: 'HEAD', path: CONTAINER }, (res) => {
        delete res.headers['x-container-meta-name'];
      }),
      expect: /header x-container-meta-name is missing/,
    },
    {
      id: 'a2faf936-6b13-4f8d-92a2-c2278355821e',
      breaks: 'a fresh container shows metadata',
      fault: (sim) => sim.fault({ method: 'HEAD', path: CONTAINER }, (res) => {
        res.headers['x-container-meta-x'] = '1';
      }),
      expect: /expected no x-container-meta-\* header/,
    },
    {
      id: 'cf19bc0b-7e16-4a5a-aaed-cb0c2fe8deef',
      breaks: 'the removed item is still shown',
      fault: (sim) => sim.fault({ method: 'HEAD', path: CONTAINER }, (res) => {
        res.headers['x-container-meta-test-container-meta1'] = 'Meta1';
      }),
      expect: /x-container-meta-test-container-meta1 should be absent/,
    },
    {
      id: '2ae5f295-4bf1-4e04-bfad-21e54b62cec5',
      breaks: 'the value is altered',
      fault: (sim) => sim.fault({ method: 'HEAD', path: CONTAINER }, (res) => {
        res.headers['x-container-meta-test-container-meta1'] = 'meta1';
      }),
      expect: /expected "Meta1", got "meta1"/,
    },
    {
      id: '3a5ce7d4-6e4b-47d0-9d87-7cd42c325094',
      breaks: 'removal is ignored',
      fault: (sim) => sim.fault({ method: 'HEAD', path: CONTAINER }, (res) => {
        res.headers['x-container-meta-test-container-meta1'] = 'Meta1';
      }),
      expect: /should be absent/,
    },
    {
      id: '31f40a5f-6a52-4314-8794-cd89baed3040',
      breaks: 'an empty value is stored',
      fault: (sim) => sim.fault({ method: 'HEAD', path: CONTAINER }, (res) => {
        res.headers['x-container-meta-test-container-meta1'] = '';
      }),
      expect: /should be absent, got ""/,
    },
    {
      id: 'a2e36378-6f1f-43f4-840a-ffd9cfd61914',
      breaks: 'the POST answers 202 instead of 204',
      fault: (sim) => sim.fault({ method: 'POST', path: CONTAINER }, (res) => {
        res.status = 202;
      }),
      expect: /POST .*: expected status 204, got 202/,
    },
    {
      id: '92139d73-7819-4db1-85f8-3f2f22a8d91f',
      breaks: 'the PUT answers 200',
      fault: (sim) => sim.fault({ method: 'PUT', path: CONTAINER }, (res) => {
        res.status = 200;
      }),
      expect: /PUT .*: expected status one of 201, 202, got 200/,
    },
    {
      id: 'fe323a32-57b9-4704-a996-2e68f83b09bc',
      breaks: 'the listing is not plain text lines but JSON',
      fault: (sim) => sim.fault({ method: 'GET', path: CONTAINER, query: /delimiter=/ }, (res) => {
        res.body = Buffer.from(JSON.stringify([{ subdir: 'x/' }]));
      }),
      expect: /delimiter=%2F: listing: expected/,
    },
  ]);
});
