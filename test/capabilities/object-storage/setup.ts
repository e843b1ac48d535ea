/**
 * Unit-test fixture for the object-storage checks: a FakeSwift behind nock and
 * CloudClients for the primary, alt and reseller accounts, plus `run(id)` to
 * execute a registered check against it.
 */
import assert from 'node:assert/strict';
import '../../helpers/node20.js';
import nock from 'nock';
import './checks.js';
import { findCheck, type AccountRole } from '../../../src/check/api.js';
import type { CloudClient } from '../../../src/cloud/types.js';
import { deletionWait, polling, resetStoragePolicyCache } from '../../../capabilities/object-storage/steps.js';
import { FakeSwift, type FaultMatch, type FakeUser } from '../../fakes/fake-swift.js';
import { nockCloud } from '../../helpers/cloud.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';

export const USERS: Record<'primary' | 'alt' | 'reseller', FakeUser> = {
  primary: { token: 'tok-primary', userId: 'u-primary', projectId: 'p-primary', roles: ['member'] },
  alt: { token: 'tok-alt', userId: 'u-alt', projectId: 'p-alt', roles: ['member'] },
  reseller: { token: 'tok-reseller', userId: 'u-reseller', projectId: 'p-reseller', roles: ['member', 'ResellerAdmin'] },
};

export interface Fixture {
  sim: FakeSwift;
  run(id: string): Promise<HarnessResult>;
  /** Runs the checks one after another as one run (one prefix), then tears down its fixtures. */
  runTogether(ids: string[]): Promise<{ results: HarnessResult[]; teardownFailures: string[] }>;
}

/** A fresh simulator and clients; call `done()` in afterEach. */
export function fixture(): Fixture & { done(): void } {
  nock.disableNetConnect();
  resetStoragePolicyCache();
  const saved = { ...polling };
  const savedWait = { ...deletionWait };
  polling.timeoutMs = 300;
  polling.intervalMs = 50;
  deletionWait.timeoutMs = 300;
  deletionWait.intervalMs = 50;
  const sim = new FakeSwift(Object.values(USERS)).start();
  const accounts: Partial<Record<AccountRole, CloudClient>> = {};
  let port = 45100;
  for (const [role, u] of Object.entries(USERS) as Array<[keyof typeof USERS, FakeUser]>) {
    // One mocked Keystone per account, so each login gets its own token.
    accounts[role] = nockCloud({
      authUrl: `http://127.0.0.1:${port++}/v3`,
      cloudName: `unit-${role}`,
      token: u.token,
      userId: u.userId,
      projectId: u.projectId,
      roles: u.roles,
      catalog: { 'object-store': sim.accountUrl(u.projectId) },
    });
  }
  return {
    sim,
    async run(id: string) {
      const def = findCheck(id);
      if (!def) throw new Error(`no check registered for ${id}`);
      const result = await runCheck(def, { accounts, prefix: 'defcore-unit-', timeoutMs: 20_000 });
      // As the runner does at its end: the shared class fixtures go (and are not
      // reused by the next case, which has its own simulator).
      await teardownRunFixtures('defcore-unit-', accounts.primary!);
      return result;
    },
    async runTogether(ids: string[]) {
      const prefix = 'defcore-unit-together-';
      const results: HarnessResult[] = [];
      for (const id of ids) {
        const def = findCheck(id);
        if (!def) throw new Error(`no check registered for ${id}`);
        results.push(await runCheck(def, { accounts, prefix, timeoutMs: 20_000 }));
      }
      return { results, teardownFailures: await teardownRunFixtures(prefix, accounts.primary!) };
    },
    done() {
      for (const c of Object.values(accounts)) (c as { close?: () => void }).close?.();
      sim.stop();
      Object.assign(polling, saved);
      Object.assign(deletionWait, savedWait);
      nock.enableNetConnect();
    },
  };
}

/** Drops the first line of a plain listing body. */
export function dropFirstLine(body: Buffer): Buffer {
  return Buffer.from(body.toString('utf8').split('\n').slice(1).join('\n'));
}

/** One check's unit case: it passes on the conforming fake and fails under `fault`. */
export interface CheckCase {
  id: string;
  /** What the fault breaks, for the test title. */
  breaks: string;
  fault(sim: FakeSwift): void;
  /** The failure message must match. */
  expect: RegExp;
  /** Extra setup of the simulator for both runs. */
  prepare?(sim: FakeSwift): void;
  /**
   * Run the broken case this many times, each its own test, to show the verdict
   * does not depend on chance (random names, foreign entries around them).
   */
  repeat?: number;
}

/** How many times the decisive listing and /info cases run. */
export const REPEAT = 20;

/** Runs the check on a fresh simulator (prepared, then faulted); returns the result. */
async function runCase(c: CheckCase, broken: boolean): Promise<{ r: HarnessResult; sim: FakeSwift; before: Map<string, string[]> }> {
  const f = fixture();
  try {
    c.prepare?.(f.sim);
    const before = new Map([...f.sim.accounts].map(([p, a]) => [p, [...a.containers.keys()]]));
    if (broken) c.fault(f.sim);
    return { r: await f.run(c.id), sim: f.sim, before };
  } finally {
    f.done();
  }
}

/** Registers mocha tests for each case: pass (and clean up) when conforming, fail when broken. */
export function checkCases(cases: CheckCase[]): void {
  for (const c of cases) {
    const def = findCheck(c.id);
    const title = def ? def.test.split('.').slice(-1)[0] : c.id;
    const conforming = async () => {
      if (!def) throw new Error(`no check registered for ${c.id}`);
      const { r, sim, before } = await runCase(c, false);
      assert.equal(r.status, 'pass', `conforming run: ${r.message}`);
      assert.deepEqual(r.cleanupErrors, []);
      for (const [project, account] of sim.accounts) {
        const left = [...account.containers.keys()].filter((n) => !(before.get(project) ?? []).includes(n));
        assert.deepEqual(left, [], `containers left in ${project}`);
        assert.deepEqual([...account.meta.keys()], [], `account metadata left in ${project}`);
      }
    };
    const broken = async () => {
      if (!def) throw new Error(`no check registered for ${c.id}`);
      const { r } = await runCase(c, true);
      assert.equal(r.status, 'fail', `broken run should fail, got ${r.status}: ${r.message}`);
      assert.match(r.message, c.expect);
    };
    if (!c.repeat) {
      it(`${title} passes on conforming Swift and fails when ${c.breaks}`, async function () {
        this.timeout(30_000);
        await conforming();
        await broken();
      });
      continue;
    }
    it(`${title} passes on conforming Swift (before the runs where ${c.breaks})`, async function () {
      this.timeout(30_000);
      await conforming();
    });
    for (let i = 1; i <= c.repeat; i++) {
      it(`${title} fails when ${c.breaks} (run ${i}/${c.repeat})`, async function () {
        this.timeout(30_000);
        await broken();
      });
    }
  }
}

/**
 * A fault answering `status` to the first `times` requests matching `match` (the
 * fake has already carried each request out, so nothing is left behind by it).
 */
export function answerTimes(match: FaultMatch, status: number, times = 1): (sim: FakeSwift) => void {
  return (sim) => {
    let seen = 0;
    sim.fault(match, (res) => {
      if (++seen <= times) res.status = status;
    });
  };
}

/** One check's cleanup under a fault: asserted (the check fails) or recorded only (it passes). */
export interface CleanupCase {
  id: string;
  /** What goes wrong in the cleanup, for the test title. */
  breaks: string;
  fault(sim: FakeSwift): void;
  /**
   * `fail`: the check fails with a message matching `expect`; `pass`: it passes,
   * with a cleanup failure matching `expect` recorded (none at all without `expect`).
   */
  verdict: 'fail' | 'pass';
  expect?: RegExp;
  /** The run leaves no container and no account metadata behind (default true). */
  clean?: boolean;
}

/**
 * Registers a mocha test per case: the check's verdict when its cleanup fails
 * (Tempest's test-level cleanups bind, class-level ones do not).
 */
export function cleanupCases(cases: CleanupCase[]): void {
  for (const c of cases) {
    const def = findCheck(c.id);
    const title = def ? def.test.split('.').slice(-1)[0] : c.id;
    const outcome = c.verdict === 'fail' ? 'fails' : c.expect ? 'still passes (failure recorded)' : 'still passes';
    it(`${title} ${outcome} when ${c.breaks}`, async function () {
      this.timeout(30_000);
      const f = fixture();
      try {
        c.fault(f.sim);
        const r = await f.run(c.id);
        if (c.verdict === 'fail') {
          assert.equal(r.status, 'fail', `should fail, got ${r.status}: ${r.message}`);
          assert.match(r.message, c.expect ?? /./);
        } else {
          assert.equal(r.status, 'pass', `should pass, got ${r.status}: ${r.message}`);
          if (c.expect) {
            const said = c.expect;
            assert.ok(r.cleanupErrors.some((e) => said.test(e)), `recorded cleanup failures: ${JSON.stringify(r.cleanupErrors)}`);
          } else {
            assert.deepEqual(r.cleanupErrors, []);
          }
        }
        if (c.clean !== false) {
          for (const [project, account] of f.sim.accounts) {
            assert.deepEqual([...account.containers.keys()], [], `containers left in ${project}`);
            assert.deepEqual([...account.meta.keys()], [], `account metadata left in ${project}`);
          }
        }
      } finally {
        f.done();
      }
    });
  }
}
