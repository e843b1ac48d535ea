/**
 * From a guideline and a program to capabilities and tests, with the semantics of
 * RefStack's guideline API (`/v1/guidelines/<id>/tests?target=&type=&alias=&flag=`).
 */
import type { CapabilityStatus, Guideline, TestFlag } from './model.js';
import { CAPABILITY_STATUSES, PROGRAM_NAMES } from './model.js';
import { GuidelineError } from './errors.js';
import { testUuid } from './ids.js';

/** Upstream 2.0 program names for the short names users type (RefStack's platformsMap). */
const PROGRAM_TITLES: Record<string, string> = {
  platform: 'OpenStack Powered Platform',
  compute: 'OpenStack Powered Compute',
  object: 'OpenStack Powered Storage',
};

export interface SelectedCapability {
  id: string;
  status: CapabilityStatus;
  component: string;
}

/** Component names that make up a program, as RefStack resolved its `target`. */
export function programComponents(g: Guideline, program: string): string[] {
  if (!(PROGRAM_NAMES as readonly string[]).includes(program)) {
    throw new GuidelineError(`unknown program "${program}" (one of ${PROGRAM_NAMES.join(', ')})`);
  }
  if (g.upstream.schema === '2.0') {
    if (program === 'dns' || program === 'orchestration') {
      const comp = `os_powered_${program}`;
      if (!g.components[comp]) throw new GuidelineError(`guideline ${g.id} has no ${program} program (it is an add-on: try ${program}.${g.id})`);
      return [comp];
    }
    const title = PROGRAM_TITLES[program]!;
    const prog = g.programs[title];
    if (!prog) {
      throw new GuidelineError(`guideline ${g.id} has no program "${title}" (it has: ${Object.keys(g.programs).join(', ')})`);
    }
    return prog.components;
  }
  if (program === 'platform') return g.platform?.required ?? [];
  if (!g.components[program]) {
    throw new GuidelineError(`guideline ${g.id} (schema ${g.upstream.schema}) has no component "${program}" (it has: ${Object.keys(g.components).join(', ')})`);
  }
  return [program];
}

/** Capabilities of a program with the given statuses (all when `statuses` is undefined). */
export function programCapabilities(g: Guideline, program: string, statuses?: readonly CapabilityStatus[]): SelectedCapability[] {
  const out: SelectedCapability[] = [];
  const seen = new Set<string>();
  for (const component of programComponents(g, program)) {
    const comp = g.components[component];
    if (!comp) throw new GuidelineError(`guideline ${g.id}: program ${program} names component "${component}", which is not defined`);
    for (const status of CAPABILITY_STATUSES) {
      if (statuses && !statuses.includes(status)) continue;
      for (const id of comp.capabilities[status] ?? []) {
        if (seen.has(id) || !g.capabilities[id]) continue;
        seen.add(id);
        out.push({ id, status, component });
      }
    }
  }
  return out;
}

export interface TestListOptions {
  statuses?: readonly CapabilityStatus[];
  /** Include flagged tests (default true). */
  flagged?: boolean;
  /** Include aliases (default true). */
  aliases?: boolean;
}

/**
 * The test list exactly as RefStack's API printed it: `name[idempotent_id]` per test
 * (bare names for schema 1.2), aliases with the same id, sorted by code point,
 * a test present in two capabilities listed twice.
 */
export function testList(g: Guideline, program: string, opts: TestListOptions = {}): string[] {
  const withFlagged = opts.flagged ?? true;
  const withAliases = opts.aliases ?? true;
  const caps = new Set(programCapabilities(g, program, opts.statuses).map((c) => c.id));
  const out: string[] = [];
  for (const [id, cap] of Object.entries(g.capabilities)) {
    if (!caps.has(id)) continue;
    for (const t of cap.tests) {
      if (t.flagged && !withFlagged) continue;
      if (g.upstream.schema === '1.2') {
        out.push(t.name);
        continue;
      }
      const attr = t.idempotent_id ?? '';
      out.push(`${t.name}[${attr}]`);
      if (withAliases) for (const a of t.aliases ?? []) out.push(`${a}[${attr}]`);
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One test to run, however many capabilities list it. */
export interface SelectedTest {
  name: string;
  uuid?: string;
  aliases: string[];
  flagged?: TestFlag;
  /** True when any capability listing it is admin-only. */
  admin: boolean;
  capabilities: SelectedCapability[];
}

/** Distinct tests of a program (by idempotent uuid, else name), in guideline order. */
export function selectTests(g: Guideline, program: string, statuses?: readonly CapabilityStatus[]): SelectedTest[] {
  const byKey = new Map<string, SelectedTest>();
  for (const sc of programCapabilities(g, program, statuses)) {
    const cap = g.capabilities[sc.id]!;
    for (const t of cap.tests) {
      const uuid = testUuid(t.idempotent_id);
      const key = uuid ?? t.name;
      let sel = byKey.get(key);
      if (!sel) {
        sel = { name: t.name, aliases: [...(t.aliases ?? [])], admin: false, capabilities: [] };
        if (uuid) sel.uuid = uuid;
        byKey.set(key, sel);
      }
      if (t.flagged) sel.flagged = t.flagged;
      sel.admin ||= cap.admin;
      sel.capabilities.push(sc);
      for (const a of [t.name, ...(t.aliases ?? [])]) if (a !== sel.name && !sel.aliases.includes(a)) sel.aliases.push(a);
    }
  }
  return [...byKey.values()];
}

/** Parses `--status required,advisory` / `all`. */
export function parseStatuses(value: string | undefined, fallback: readonly CapabilityStatus[] = ['required']): CapabilityStatus[] | undefined {
  if (value === undefined) return [...fallback];
  if (value === 'all') return undefined;
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of parts) {
    if (!(CAPABILITY_STATUSES as readonly string[]).includes(p)) {
      throw new GuidelineError(`unknown status "${p}" (use ${CAPABILITY_STATUSES.join(', ')} or all)`);
    }
  }
  return parts as CapabilityStatus[];
}

/** How a test is matched to a result: its idempotent uuid, its name, or one of its aliases. */
function answeredBy(t: Pick<SelectedTest, 'uuid' | 'name' | 'aliases'>, uuid: string | undefined, name: string): boolean {
  return (t.uuid !== undefined && t.uuid === uuid) || t.name === name || t.aliases.includes(name);
}

/**
 * The tests of several guidelines (or programs), each run once: tests that `sameCheck`
 * maps to one native check merge, so a test listed by three guidelines runs once.
 *
 * A merged test's result must still be found by every guideline that lists it, which
 * matches results by uuid, else by name or alias (schema 1.2 guidelines have no uuids).
 * So the merged test takes the uuid and a name that every member is matched by; when
 * no name serves them all (a renamed test in two uuid-less guidelines), the test is
 * kept apart and runs once per naming rather than judging a guideline by a result it
 * cannot see.
 */
export function unionTests(lists: readonly (readonly SelectedTest[])[], sameCheck: (t: SelectedTest) => string | undefined): SelectedTest[] {
  interface Group { test: SelectedTest; members: SelectedTest[] }
  const groups: Group[] = [];
  const byKey = new Map<string, Group[]>();
  for (const list of lists) {
    for (const t of list) {
      const key = sameCheck(t) ?? t.uuid ?? t.name;
      const candidates = byKey.get(key) ?? [];
      let merged = false;
      for (const g of candidates) {
        const members = [...g.members, t];
        const uuid = members.find((m) => m.uuid)?.uuid;
        const name = members.map((m) => m.name).find((n) => members.every((m) => answeredBy(m, uuid, n)));
        if (name === undefined) continue;
        const names = new Set<string>();
        for (const m of members) for (const n of [m.name, ...m.aliases]) if (n !== name) names.add(n);
        const test: SelectedTest = { name, aliases: [...names], admin: members.some((m) => m.admin), capabilities: members.flatMap((m) => m.capabilities) };
        if (uuid) test.uuid = uuid;
        const flagged = members.find((m) => m.flagged)?.flagged;
        if (flagged) test.flagged = flagged;
        g.test = test;
        g.members = members;
        merged = true;
        break;
      }
      if (merged) continue;
      const g: Group = { test: t, members: [t] };
      groups.push(g);
      byKey.set(key, [...candidates, g]);
    }
  }
  return groups.map((g) => g.test);
}
