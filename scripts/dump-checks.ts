/**
 * Prints every registered check (id, test, aliases, accounts, timeoutMs), sorted,
 * so a refactoring of capabilities/ can be shown not to change any check:
 *   npx tsx scripts/dump-checks.ts > before.txt
 */
import { registeredNamedChecks } from '../src/check/api.js';
import { loadChecks } from '../src/check/load.js';

const checks = await loadChecks();
const line = (kind: string, c: { id?: string; test: string; aliases?: string[]; accounts?: string[]; timeoutMs?: number }) =>
  [kind, c.id ?? '-', c.test, JSON.stringify(c.aliases ?? null), JSON.stringify(c.accounts ?? null), String(c.timeoutMs)].join('\t');
const lines = [...checks.map((c) => line('id', c)), ...registeredNamedChecks().map((c) => line('named', c))].sort();
process.stdout.write(lines.join('\n') + '\n');
