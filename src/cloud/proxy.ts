/**
 * Which proxy a request goes through, decided from the environment as python-requests
 * (and so openstacksdk, python-openstackclient, Tempest) decides it:
 * `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/`HTTP_PROXY` for http,
 * `all_proxy`/`ALL_PROXY` for either; the lower-case name wins over the upper-case one.
 * `no_proxy`/`NO_PROXY` lists hosts that go direct: an IPv4 address or CIDR block matches
 * IPv4 hosts; any other entry matches a host name or `host:port` ending with it (so
 * `example.com` and `.example.com` both cover `api.example.com`); `*` alone means no proxy.
 */
import net from 'node:net';

/** A proxy as axios takes it. */
export interface ProxySetting {
  protocol: string;
  host: string;
  port: number;
  auth?: { username: string; password: string };
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  // urllib reads both spellings, the lower-case one last so that it wins.
  const lower = env[name.toLowerCase()];
  if (lower !== undefined && lower !== '') return lower;
  const upper = env[name.toUpperCase()];
  return upper !== undefined && upper !== '' ? upper : undefined;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m || !net.isIPv4(m[1]!)) return undefined;
  const bits = Number(m[2]);
  if (bits < 1 || bits > 32) return undefined;
  const mask = bits === 32 ? 0xffffffff : (~(0xffffffff >>> bits)) >>> 0;
  return ((ipv4ToInt(ip) & mask) >>> 0) === ((ipv4ToInt(m[1]!) & mask) >>> 0);
}

/** True when `url` must not go through a proxy according to `no_proxy`. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!hostname) return true;
  if (noProxy === undefined) return false;
  if (noProxy.trim() === '*') return true;
  const entries = noProxy.replace(/\s+/g, '').split(',').filter(Boolean).map((e) => e.toLowerCase());
  if (net.isIPv4(hostname)) {
    for (const e of entries) {
      const cidr = inCidr(hostname, e);
      if (cidr === true || (cidr === undefined && e === hostname)) return true;
    }
  } else {
    const withPort = url.port ? `${hostname}:${url.port}` : hostname;
    for (const e of entries) if (hostname.endsWith(e) || withPort.endsWith(e)) return true;
  }
  // urllib's second look (host name only): leading dots dropped, exact or dotted-suffix match.
  for (const raw of entries) {
    const name = raw.replace(/^\.+/, '');
    if (!name) continue;
    if (hostname === name || hostname.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The proxy for `url` from `env`, or undefined to connect directly. */
export function proxyFor(rawUrl: string, env: NodeJS.ProcessEnv): ProxySetting | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  if (bypassesProxy(url, envValue(env, 'no_proxy'))) return undefined;
  const value = envValue(env, `${scheme}_proxy`) ?? envValue(env, 'all_proxy');
  if (value === undefined) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new ProxyConfigError(`${scheme}_proxy is not a URL`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new ProxyConfigError(`${scheme}_proxy: ${proxy.protocol.replace(/:$/, '')} proxies are not supported (http or https)`);
  }
  const setting: ProxySetting = {
    protocol: proxy.protocol.replace(/:$/, ''),
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.port ? Number(proxy.port) : proxy.protocol === 'https:' ? 443 : 80,
  };
  if (proxy.username) setting.auth = { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) };
  return setting;
}

/** A proxy variable that cannot be used; its value is never quoted (it may hold credentials). */
export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}
