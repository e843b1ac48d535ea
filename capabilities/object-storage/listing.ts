/**
 * The rules an account or container listing follows, per the Object Storage API
 * reference (https://docs.openstack.org/api-ref/object-store/, "Show account
 * details and list containers" and "Show container details and list objects"):
 * names sorted by a binary comparison of their UTF-8 bytes (SQLite memcmp),
 * `marker` keeps names greater than it, `end_marker` names less than it, `limit`
 * caps the count and a list shorter than the limit is the end of the listing.
 *
 * Names are compared as UTF-8 bytes, never as JavaScript strings: UTF-16 code-unit
 * order differs from UTF-8 byte order for characters beyond U+FFFF (a surrogate
 * pair sorts before U+E000–U+FFFF in UTF-16, after them in UTF-8), which is why
 * the fixtures use such names.
 */
import { fail } from '../../src/check/expect.js';

/** Swift's order of names: their UTF-8 bytes, compared like memcmp. */
export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `names` in Swift's order (a copy). */
export function byteSorted(names: readonly string[]): string[] {
  return [...names].sort(byteCompare);
}

/** The whole answer is in strictly ascending byte order (no name twice). */
export function expectByteOrder(names: readonly string[], where: string): void {
  for (let i = 1; i < names.length; i++) {
    if (byteCompare(names[i - 1]!, names[i]!) >= 0) {
      fail(`${where}: listing not in ascending UTF-8 byte order: ${JSON.stringify(names[i - 1])} is listed before ${JSON.stringify(names[i])}`);
    }
  }
}

export interface WindowParams {
  marker?: string;
  end_marker?: string;
  limit?: number;
}

/** Those of `names` that `marker`/`end_marker` let through. */
export function inWindow(names: readonly string[], params: WindowParams): string[] {
  const { marker, end_marker: endMarker } = params;
  return names.filter(
    (n) => (marker === undefined || byteCompare(n, marker) > 0) && (endMarker === undefined || byteCompare(n, endMarker) < 0),
  );
}

/**
 * Judges a listing of a shared namespace (an account other checks write to at the
 * same time) against `params`, knowing only which names are this check's (`mine`):
 * the whole answer is byte-ordered, inside the marker window and within the limit;
 * and, since a listing is a contiguous run of the qualifying names, every one of
 * this check's qualifying names up to the last name listed is there — all of them
 * when the answer is shorter than the limit (the end of the listing). So a cloud
 * that ignores a parameter fails as soon as this check's own names are enough to
 * show it, whatever foreign names surround them.
 */
export function judgeSharedListing(
  names: readonly string[],
  mine: readonly string[],
  params: WindowParams,
  where: string,
): void {
  const { marker, end_marker: endMarker, limit } = params;
  if (limit !== undefined && names.length > limit) {
    fail(`${where}: listed ${names.length} names, more than limit=${limit}`);
  }
  for (const n of names) {
    if (marker !== undefined && byteCompare(n, marker) <= 0) fail(`${where}: listed ${JSON.stringify(n)}, not after marker ${JSON.stringify(marker)}`);
    if (endMarker !== undefined && byteCompare(n, endMarker) >= 0) {
      fail(`${where}: listed ${JSON.stringify(n)}, not before end_marker ${JSON.stringify(endMarker)}`);
    }
  }
  expectByteOrder(names, where);
  const expected = inWindow(byteSorted(mine), params);
  const complete = limit === undefined || names.length < limit;
  const last = names[names.length - 1];
  const due = complete ? expected : expected.filter((n) => last !== undefined && byteCompare(n, last) <= 0);
  const missing = due.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    const why = complete ? 'the answer is the end of the listing' : `they sort before the last name listed, ${JSON.stringify(last)}`;
    fail(`${where}: this check's ${JSON.stringify(missing)} should be listed (${why}); listed ${JSON.stringify(names)}`);
  }
}
