/** Idempotent ids as upstream writes them, and the bare uuid we key everything on. */

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const FORMS = new RegExp(`^(id-)?(${UUID})(,.*)?$`);

/**
 * `id-<uuid>` is the norm; add-ons write the bare uuid; 2016.01 appended Tempest
 * attributes (`id-<uuid>,smoke`). All three identify a test; the last one earns a warning.
 */
export function parseIdempotentId(raw: string): { uuid: string; warning?: string } | undefined {
  const m = FORMS.exec(raw.trim());
  if (!m) return undefined;
  const uuid = m[2]!.toLowerCase();
  return m[3] ? { uuid, warning: `idempotent id "${raw}" carries extra text "${m[3]}"; uuid ${uuid} is used` } : { uuid };
}

/** The bare uuid of a test, if its idempotent id is usable. */
export function testUuid(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : parseIdempotentId(raw)?.uuid;
}

const ATTR = new RegExp(`\\[([^\\]]*)\\]$`);
const UUID_IN = new RegExp(`(?:^|,)id-(${UUID})(?:,|$)`);

/**
 * Splits a Tempest test id such as `a.b.C.test_x[id-<uuid>,smoke]` into its name
 * and uuid. Also accepts names without attributes.
 */
export function splitTestId(testId: string): { name: string; uuid?: string } {
  const trimmed = testId.trim();
  const m = ATTR.exec(trimmed);
  if (!m) return { name: trimmed };
  const name = trimmed.slice(0, m.index);
  const u = UUID_IN.exec(m[1]!) ?? new RegExp(`^(${UUID})$`).exec(m[1]!);
  return u ? { name, uuid: u[1]!.toLowerCase() } : { name };
}
