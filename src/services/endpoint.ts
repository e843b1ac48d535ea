/**
 * Version-qualified base URLs. Catalogs list service endpoints with or without an
 * API version (`http://h:9292` or `http://h:9292/v2`); Tempest's clients append the
 * version they speak when it is missing, and so do ours.
 */

/**
 * `endpoint` with its path ending in `/<version>` (no trailing slash). A different
 * version already in the path (e.g. `/v2.0` for identity v3) is replaced.
 */
export function versionedBase(endpoint: string, version: string): string {
  const url = new URL(endpoint);
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const last = parts[parts.length - 1];
  if (last !== undefined && /^v\d+(\.\d+)?$/.test(last)) {
    if (last !== version && !last.startsWith(`${version}.`)) parts[parts.length - 1] = version;
  } else {
    parts.push(version);
  }
  url.pathname = `/${parts.join('/')}`;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/$/, '');
}

/** The endpoint with any trailing version segment removed: where the version list lives. */
export function unversionedBase(endpoint: string): string {
  const url = new URL(endpoint);
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (parts.length > 0 && /^v\d+(\.\d+)?$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  url.pathname = `/${parts.join('/')}${parts.length > 0 ? '/' : ''}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
