/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes that are hashed and
 * signed. Object members are sorted by the UTF-16 code units of their names,
 * numbers use ECMAScript's shortest round-trip form, strings JSON.stringify's
 * escaping, no whitespace, UTF-8 output.
 */
import { ReportError } from './model.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function str(s: string, at: string): string {
  // JCS requires well-formed Unicode; a lone surrogate has no UTF-8 form to sign.
  if (LONE_SURROGATE.test(s)) throw new ReportError(`cannot canonicalise ${at}: string holds a lone UTF-16 surrogate`);
  return JSON.stringify(s);
}

function ser(v: unknown, at: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new ReportError(`cannot canonicalise ${at}: ${v} is not a JSON number`);
      return JSON.stringify(v);
    case 'string':
      return str(v, at);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x, i) => ser(x, `${at}/${i}`)).join(',')}]`;
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${str(k, at)}:${ser(obj[k], `${at}/${k}`)}`).join(',')}}`;
    }
    default:
      throw new ReportError(`cannot canonicalise ${at || '/'}: ${typeof v} is not JSON`);
  }
}

/** The JCS text of a JSON value (undefined members are dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return ser(value, '');
}

/** The JCS bytes (UTF-8) of a JSON value: what signatures cover. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
