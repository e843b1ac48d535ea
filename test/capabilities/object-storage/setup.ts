/**
 * Unit-test fixture for the object-storage checks: a FakeSwift behind nock and
 * CloudClients for the primary, alt and reseller accounts, plus `run(id)` to
 * execute a registered check against it.
 */
import '../../helpers/node20.js';
import nock from 'nock';
import './checks.js';
import { findCheck, type AccountRole } from '../../../src/check/api.js';
import type { CloudClient } from '../../../src/cloud/types.js';
import { polling, resetStoragePolicyCache } from '../../../capabilities/object-storage/common.js';
import { FakeSwift, type FakeUser } from '../../helpers/fake-swift.js';
import { nockCloud } from '../../helpers/cloud.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';

export const USERS: Record<'primary' | 'alt' | 'reseller', FakeUser> = {
  primary: { token: 'tok-primary', userId: 'u-primary', projectId: 'p-primary', roles: ['member'] },
  alt: { token: 'tok-alt', userId: 'u-alt', projectId: 'p-alt', roles: ['member'] },
  reseller: { token: 'tok-reseller', userId: 'u-reseller', projectId: 'p-reseller', roles: ['member', 'ResellerAdmin'] },
};

export interface Fixture {
  sim: FakeSwift;
  run(id: string): Promise<HarnessResult>;
}

/** A fresh simulator and clients; call `done()` in afterEach. */
export function fixture(): Fixture & { done(): void } {
  nock.disableNetConnect();
  resetStoragePolicyCache();
  polling.timeoutMs = 300;
  polling.intervalMs = 50;
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
      return runCheck(def, { accounts, prefix: 'defcore-unit-', timeoutMs: 20_000 });
    },
    done() {
      for (const c of Object.values(accounts)) (c as { close?: () => void }).close?.();
      sim.stop();
      nock.enableNetConnect();
    },
  };
}

/** Drops the first line of a plain listing body. */
export function dropFirstLine(body: Buffer): Buffer {
  return Buffer.from(body.toString('utf8').split('\n').slice(1).join('\n'));
}
