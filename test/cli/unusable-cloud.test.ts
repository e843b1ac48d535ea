import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startHostileCloud, withCloudsFile, type HostileCloud } from '../helpers/hostile-cloud.js';

const RUN = ['run', '--guideline', '2020.06', '--program', 'object', '--os-cloud', 'hostile', '--timeout', '20', '--output', path.join(tmpdir(), 'defcore-unusable-never')];

describe('CLI: an unusable catalog stops the run before any test (exit 2, one line)', function () {
  this.timeout(30_000);
  let cloud: HostileCloud | undefined;
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  it('a region the catalog has no endpoint for is named, and no service request is made', async () => {
    cloud = await startHostileCloud({ services: { 'object-store': '/v1/AUTH_p' }, handler: (_q, res) => res.writeHead(204).end() });
    const r = await withCloudsFile(await cloud.cloudsYaml({ region_name: 'Atlantis' }), () => runCli(RUN));
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /region_name "Atlantis": the catalog has no public endpoint in that region \(regions in the catalog: RegionOne\)/);
    assert.deepEqual(cloud.seen.filter((s) => !s.startsWith('POST /v3/auth/tokens')), []);
  });

  it('a catalog URL that is not a URL is named (not an internal error), before any test', async () => {
    cloud = await startHostileCloud({
      services: { 'object-store': '/v1/AUTH_p' },
      catalogUrls: { 'object-store': 'swift-endpoint-here' },
      handler: (_q, res) => res.writeHead(204).end(),
    });
    const r = await withCloudsFile(await cloud.cloudsYaml(), () => runCli(RUN));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^defcore: primary account .*service 'object-store': the catalog's public endpoint "swift-endpoint-here" is not an http\(s\) URL\n$/);
    assert.doesNotMatch(r.stderr, /internal error/);
  });
});
