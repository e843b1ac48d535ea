/**
 * Redaction of secrets from recorded HTTP exchanges. Evidence ends up in reports that
 * are shared and signed, so anything that authenticates must be masked before it is
 * recorded: by header name, by query parameter, by JSON key, by form field, and — as a
 * safety net for anything those rules miss — by the literal values of known secrets.
 */
import type { HttpExchange } from '../common/exchange.js';

/** What replaces a secret in evidence. */
export const REDACTED = '<redacted>';

/** Default number of body bytes kept in evidence. */
export const DEFAULT_BODY_LIMIT = 4096;

const SECRET_HEADERS = new Set([
  'x-auth-token',
  'x-subject-token',
  'x-service-token',
  'x-storage-token',
  'x-auth-key',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-container-sync-key',
  'x-amz-security-token',
]);

const SECRET_HEADER_PREFIXES = ['x-account-meta-temp-url-key', 'x-container-meta-temp-url-key'];

const SECRET_QUERY_PARAMS = new Set([
  'temp_url_sig',
  'signature',
  'sig',
  'token',
  'x-amz-signature',
  'x-amz-security-token',
]);

/** JSON keys whose values are secrets wherever they appear. */
const SECRET_JSON_KEYS = new Set([
  'password',
  'original_password',
  'new_password',
  'secret',
  'adminpass',
  'admin_pass',
  'private_key',
  'blob',
  'signature',
  'temp_url_key',
  // EC2 credentials of Heat's stack users, in a software-config server's metadata (os-collect-config).
  'secret_access_key',
]);

/**
 * Names of `{"name": …, "value": …}` pairs whose value is a secret: Heat lists a
 * software deployment's inputs so, and under the HEAT_SIGNAL and ZAQAR_SIGNAL
 * transports one of them is the stack user's password.
 */
const SECRET_PAIR_NAME = /(^|_)(password|secret)$/i;

/** Form fields (multipart or urlencoded) whose values are secrets. */
const SECRET_FORM_FIELDS = ['signature', 'password', 'secret', 'token'];

/** Shorter values would mask ordinary words in evidence and protect nothing. */
const MIN_SECRET_LENGTH = 4;

/** True when a header's value must not be recorded. */
export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_HEADERS.has(n) || SECRET_HEADER_PREFIXES.some((p) => n.startsWith(p));
}

/** `scheme://user:pass@host` → `scheme://host`: credentials in a URL are never written anywhere. */
export function stripUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, '$1');
}

/** Masks signature/token query parameters of a URL and drops credentials in it (keeps the URL readable otherwise). */
export function redactUrl(rawUrl: string): string {
  const url = stripUrlCredentials(rawUrl);
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hashAt = url.indexOf('#', q);
  const query = url.slice(q + 1, hashAt < 0 ? undefined : hashAt);
  const rest = hashAt < 0 ? '' : url.slice(hashAt);
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      /* keep the raw key */
    }
    if (eq >= 0 && SECRET_QUERY_PARAMS.has(key.toLowerCase())) return `${rawKey}=${REDACTED}`;
    return pair;
  });
  return `${url.slice(0, q)}?${parts.join('&')}${rest}`;
}

/** Copies headers with secret values masked; names are lower-cased. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const n = name.toLowerCase();
    out[n] = isSecretHeader(n) ? REDACTED : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function redactJsonValue(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => redactJsonValue(v, parentKey));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toLowerCase();
    const secret =
      SECRET_JSON_KEYS.has(key) ||
      // Keystone token auth: {"token": {"id": "<token>"}}; also bare {"token": "<token>"}.
      (key === 'id' && parentKey === 'token') ||
      (key === 'token' && typeof v === 'string') ||
      // Swift formpost / temp URLs described in JSON.
      key === 'temp_url_sig';
    // A secret key holding a mapping (Keystone's `"password": {"user": …}`) is a container: recurse.
    out[k] = secret && v !== null && typeof v !== 'object' ? REDACTED : redactJsonValue(v, key);
  }
  const pairName = (value as Record<string, unknown>)['name'];
  if (typeof pairName === 'string' && SECRET_PAIR_NAME.test(pairName) && 'value' in out && out['value'] !== null && typeof out['value'] !== 'object') out['value'] = REDACTED;
  return out;
}

/** Redacts secret keys of a JSON document; returns undefined when the text is not JSON. */
export function redactJsonText(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  return JSON.stringify(redactJsonValue(parsed));
}

/** Masks secret fields of multipart/form-data and application/x-www-form-urlencoded text. */
export function redactFormText(text: string): string {
  let out = text;
  for (const field of SECRET_FORM_FIELDS) {
    // multipart: Content-Disposition: form-data; name="signature"\r\n\r\n<value>\r\n
    const multipart = new RegExp(`(name="${field}"[^\\r\\n]*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n)([^\\r\\n]*)`, 'gi');
    out = out.replace(multipart, (_m, head: string) => `${head}${REDACTED}`);
    const urlencoded = new RegExp(`(^|&)(${field})=([^&]*)`, 'gi');
    out = out.replace(urlencoded, (_m, lead: string, key: string) => `${lead}${key}=${REDACTED}`);
  }
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `"password": "…"` in JSON text, also when the text is a cut-off fragment that does not parse. */
const JSON_SECRET_VALUE = new RegExp(
  `("(?:${[...SECRET_JSON_KEYS, 'token', 'temp_url_sig', 'x-auth-token', 'x-subject-token'].map(escapeRe).join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`,
  'gi',
);
/** `X-Auth-Token: …` written out as text (a cloud echoing our request headers in an error page). */
const HEADER_LINE = new RegExp(`\\b(${[...SECRET_HEADERS].map(escapeRe).join('|')})(\\s*[:=]\\s*)(?:(?:Bearer|Basic)\\s+)?[^\\s"',;]+`, 'gi');
/** Secret query parameters inside any text. */
const QUERY_SECRET = new RegExp(`([?&](?:${[...SECRET_QUERY_PARAMS].map(escapeRe).join('|')})=)[^&#\\s"']*`, 'gi');
/** Credentials in any URL inside a text. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"'<>]*@/gi;

/**
 * Redacts free text that may quote the cloud (a failure reason, a cloud's error message,
 * a sweep failure): the same rules as evidence bodies, applied to fragments that need not
 * parse — secret JSON keys, secret headers written as text, secret query parameters and
 * credentials in URLs. Known literal secrets are the Redactor's job (see Redactor.text).
 */
export function redactText(text: string): string {
  return text
    .replace(JSON_SECRET_VALUE, (_m, head: string) => `${head}"${REDACTED}"`)
    .replace(HEADER_LINE, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(QUERY_SECRET, (_m, head: string) => `${head}${REDACTED}`)
    .replace(URL_CREDENTIALS, '$1');
}

function looksBinary(buf: Buffer): boolean {
  if (buf.includes(0)) return true;
  const text = buf.toString('utf8');
  return text.includes('\uFFFD') && !buf.equals(Buffer.from(text, 'utf8'));
}

/** What an exchange looks like before redaction. */
export interface RawExchange {
  method: string;
  url: string;
  status?: number;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody?: string | Buffer;
  responseHeaders?: Record<string, string | string[] | undefined>;
  responseBody?: string | Buffer;
  durationMs: number;
  error?: string;
}

/**
 * Redacts exchanges for evidence. Holds the literal secrets of a session (password,
 * tokens, application credential secret) so they are masked even where no rule
 * would have caught them.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(readonly bodyLimit = DEFAULT_BODY_LIMIT) {}

  /** Registers a value that must never appear in evidence. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.secrets.add(value);
  }

  /** Masks every known secret value in a text (also their URL-encoded forms). */
  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      for (const form of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])) {
        if (out.includes(form)) out = out.split(form).join(REDACTED);
      }
    }
    return out;
  }

  /** Free text from the cloud, redacted for writing or printing: known secrets and the rules of redactText. */
  text(text: string): string {
    return redactText(this.scrub(text));
  }

  /** Redacts and truncates a body; returns the recorded text and the bytes left out. */
  body(body: string | Buffer | undefined, contentType?: string): { text?: string; truncated?: number } {
    if (body === undefined) return {};
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (buf.length === 0) return {};
    if (looksBinary(buf)) return { text: `<${buf.length} bytes of binary data>` };
    let text = buf.toString('utf8');
    const json = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text) ? redactJsonText(text) : undefined;
    text = json ?? redactFormText(text);
    // URLs quoted in a body carry their signatures too (Heat's pre-signed deploy_signal_id in
    // a server's metadata and in deployments' inputs).
    text = text.replace(QUERY_SECRET, (_m, head: string) => `${head}${REDACTED}`);
    text = this.scrub(text);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= this.bodyLimit) return { text };
    const kept = Buffer.from(text, 'utf8').subarray(0, this.bodyLimit).toString('utf8').replace(/\uFFFD$/, '');
    return { text: kept, truncated: bytes - Buffer.byteLength(kept, 'utf8') };
  }

  /** Headers with secret names masked and known secret values scrubbed. */
  headers(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out = redactHeaders(headers);
    for (const k of Object.keys(out)) out[k] = this.scrub(out[k] ?? '');
    return out;
  }

  /** Full redaction of one exchange, ready for evidence. */
  exchange(raw: RawExchange): HttpExchange {
    const reqHeaders = this.headers(raw.requestHeaders);
    const resHeaders = raw.responseHeaders ? this.headers(raw.responseHeaders) : undefined;
    const req = this.body(raw.requestBody, reqHeaders['content-type']);
    const res = this.body(raw.responseBody, resHeaders?.['content-type']);
    const truncated = (req.truncated ?? 0) + (res.truncated ?? 0);
    const ex: HttpExchange = {
      method: raw.method,
      url: this.scrub(redactUrl(raw.url)),
      requestHeaders: reqHeaders,
      durationMs: Math.round(raw.durationMs),
    };
    if (raw.status !== undefined) ex.status = raw.status;
    if (req.text !== undefined) ex.requestBody = req.text;
    if (resHeaders) ex.responseHeaders = resHeaders;
    if (res.text !== undefined) ex.responseBody = res.text;
    if (truncated > 0) ex.truncated = truncated;
    if (raw.error !== undefined) ex.error = this.scrub(raw.error);
    return ex;
  }
}
