/** Report fixtures: a tiny inline guideline, and a report from real Tempest output against 2020.06. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Guideline } from '../../src/guideline/model.js';
import type { LoadedGuideline } from '../../src/guideline/load.js';
import type { TestResult } from '../../src/results/model.js';
import { buildReport, type ReportInput } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { stringify } from 'yaml';
import { FIXTURES_DIR } from '../helpers/upstream.js';

export const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

/** Two required capabilities (one with a flagged test), one advisory. */
export function tinyGuideline(): Guideline {
  const cap = (tests: Guideline['capabilities'][string]['tests']) => ({ description: 'd', project: 'swift', admin: false, achievements: [], tests });
  return {
    format: 1,
    id: '2099.01',
    kind: 'guideline',
    upstream: { schema: '2.0' },
    scoring: { criteria: {} },
    programs: { 'OpenStack Powered Storage': { components: ['os_powered_storage'] } },
    components: { os_powered_storage: { capabilities: { required: ['objectstore-a', 'objectstore-b'], advisory: ['objectstore-c'] } } },
    capabilities: {
      'objectstore-a': cap([
        { name: 'pkg.T.test_one', idempotent_id: 'id-00000000-0000-0000-0000-000000000001' },
        { name: 'pkg.T.test_flaky', idempotent_id: 'id-00000000-0000-0000-0000-000000000002', flagged: { reason: 'bug 1' } },
      ]),
      'objectstore-b': cap([{ name: 'pkg.T.test_two', idempotent_id: 'id-00000000-0000-0000-0000-000000000003' }]),
      'objectstore-c': cap([{ name: 'pkg.T.test_three', idempotent_id: 'id-00000000-0000-0000-0000-000000000004' }]),
    },
    designated_sections: {},
  };
}

/** The tiny guideline written to `<dir>/2099.01.yaml`, loaded as loadGuideline would. */
export async function tinyLoaded(dir?: string): Promise<LoadedGuideline> {
  const d = dir ?? (await mkdtemp(path.join(os.tmpdir(), 'defcore-g-')));
  await mkdir(d, { recursive: true });
  const file = path.join(d, '2099.01.yaml');
  const text = stringify(tinyGuideline());
  await writeFile(file, text);
  return { guideline: tinyGuideline(), file, sha256: createHash('sha256').update(text).digest('hex') };
}

export function tinyResults(opts: { twoFails?: boolean; hostile?: boolean } = {}): TestResult[] {
  const hostile = opts.hostile ? HOSTILE : 'Internal Server Error';
  return [
    { name: 'pkg.T.test_one', uuid: '00000000-0000-0000-0000-000000000001', status: 'pass', durationMs: 120 },
    { name: 'pkg.T.test_flaky', uuid: '00000000-0000-0000-0000-000000000002', status: 'fail', durationMs: 30, reason: 'flaky' },
    opts.twoFails
      ? {
          name: 'pkg.T.test_two',
          uuid: '00000000-0000-0000-0000-000000000003',
          status: 'fail',
          durationMs: 55,
          reason: `expected 200, got 500: ${hostile}`,
          evidence: {
            notes: [`schema violation at /container/name: ${hostile}`],
            exchanges: [
              {
                method: 'PUT',
                url: `http://127.0.0.1:8080/v1/AUTH_x/c-${encodeURIComponent(hostile)}`,
                status: 500,
                requestHeaders: { 'x-auth-token': 'gAAAAA-should-never-appear', 'content-type': 'text/plain' },
                requestBody: 'hello',
                responseHeaders: { 'content-type': 'text/html', 'x-evil': hostile },
                responseBody: `<html>${hostile}</html>`,
                durationMs: 12,
              },
            ],
          },
        }
      : { name: 'pkg.T.test_two', uuid: '00000000-0000-0000-0000-000000000003', status: 'pass', durationMs: 55 },
    { name: 'pkg.T.test_three', uuid: '00000000-0000-0000-0000-000000000004', status: 'skip', reason: 'no such feature' },
  ];
}

export function tinyInput(loaded: LoadedGuideline, results: TestResult[], over: Partial<ReportInput> = {}): ReportInput {
  return {
    guideline: loaded,
    program: 'object',
    cloud: { name: 'dev-cloud', authUrl: 'http://127.0.0.1:5000/v3', region: 'RegionOne', services: { identity: 'http://127.0.0.1:5000/v3', 'object-store': 'http://127.0.0.1:8080/v1/AUTH_x' } },
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:02:30.500Z',
    results,
    toolVersion: '0.1.0',
    environment: { node: 'v20.0.0', os: { platform: 'linux', release: '6.1.0', arch: 'x64' } },
    ...over,
  };
}

export async function tinyReport(opts: { twoFails?: boolean; hostile?: boolean; dir?: string } = {}): Promise<{ report: Report; loaded: LoadedGuideline }> {
  const loaded = await tinyLoaded(opts.dir);
  return { report: buildReport(tinyInput(loaded, tinyResults(opts))), loaded };
}

/** A report of real Tempest 33 output (Storage program, 58 passing tests) against the committed 2020.06. */
export async function realStorageReport(): Promise<{ report: Report; loaded: LoadedGuideline }> {
  const { loadGuideline } = await import('../../src/guideline/load.js');
  const { parseSubunit } = await import('../../src/results/subunit.js');
  const loaded = await loadGuideline('2020.06');
  const results = parseSubunit(readFileSync(path.join(FIXTURES_DIR, 'tempest-33-interop-2020.06-storage.subunit')), 'storage.subunit');
  const report = buildReport({
    guideline: loaded,
    program: 'object',
    statuses: ['required'],
    cloud: { name: 'zed', authUrl: 'http://127.0.0.1:5000/v3', services: {} },
    startedAt: '2026-11-23T10:00:00Z',
    finishedAt: '2026-11-23T10:05:00Z',
    results,
    toolVersion: '0.1.0',
  });
  return { report, loaded };
}

export async function tempDir(prefix = 'defcore-report-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}
