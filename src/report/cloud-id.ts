/** The stable cloud id reports carry, compatible with RefStack's `cpid`. */
import { createHash } from 'node:crypto';
import { ReportError } from './model.js';

/**
 * md5 (hex) of the Keystone endpoint's host name, as refstack-client derives a
 * cpid from an endpoint: the same cloud gets the same id from any path, port or
 * scheme of its Keystone URL, and a RefStack server can group our uploads with
 * older ones. Host names are case-insensitive, so the lower-case form is hashed;
 * IPv6 literals are hashed without their brackets.
 */
export function cloudId(authUrl: string): string {
  let url: URL;
  try {
    url = new URL(authUrl);
  } catch {
    throw new ReportError(`invalid Keystone endpoint "${authUrl}": not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ReportError(`invalid Keystone endpoint "${authUrl}": the scheme must be http or https`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return createHash('md5').update(host, 'utf8').digest('hex');
}
