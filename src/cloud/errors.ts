/** Maps transport failures (Node/axios errors) to one-line CloudErrors naming the endpoint. */
import { CloudError } from './types.js';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name resolution failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  EADDRNOTAVAIL: 'address not available',
};

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && e.code !== 'ERR_BAD_REQUEST' && e.code !== 'ERR_BAD_RESPONSE') {
    return e.code;
  }
  return errorCode(e.cause);
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? '';
  return String(err);
}

/** True when the error is a connection dropped by the peer (what keep-alive races look like). */
export function isConnectionReset(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(errorMessage(err));
}

/**
 * Converts whatever a request threw into a CloudError: `cloud <name>: <what> <url>: <reason>`.
 * CloudErrors pass through unchanged.
 */
export function toCloudError(err: unknown, url: string, cloud?: string): CloudError {
  if (err instanceof CloudError) return err;
  const prefix = cloud ? `cloud ${cloud}: ` : '';
  const code = errorCode(err);
  const msg = errorMessage(err);
  const detail = { url, ...(cloud ? { cloud } : {}) };
  if (code === 'ERR_CANCELED' || (err instanceof Error && err.name === 'AbortError')) {
    return new CloudError(`${prefix}request to ${url} was aborted`, 'timeout', detail);
  }
  const tooLarge = /maxContentLength size of (\d+) exceeded/.exec(msg);
  if (tooLarge) {
    const limit = Number(tooLarge[1]);
    return new CloudError(`${prefix}the response from ${url} is larger than ${limit >= 1048576 ? `${Math.round(limit / 1048576)} MiB` : `${limit} bytes`}: refused without reading it (raise the limit with --max-response-mb)`, 'http', detail);
  }
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout of \d+ms exceeded/.test(msg)) {
    return new CloudError(`${prefix}no response from ${url} in time (${msg})`, 'timeout', detail);
  }
  if ((code && (TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) ||
      /certificate|SSL routines|self[- ]signed/i.test(msg)) {
    return new CloudError(`${prefix}TLS failure talking to ${url}: ${msg}${code ? ` (${code})` : ''}`, 'tls', detail);
  }
  if (err instanceof Error && err.name === 'NetConnectNotAllowedError') {
    // nock in a unit test refused a request nothing mocked: say so instead of "network unreachable".
    return new CloudError(`${prefix}request to ${url} not mocked (nock: ${msg})`, 'unreachable', detail);
  }
  if (code && UNREACHABLE[code]) {
    return new CloudError(`${prefix}cannot reach ${url}: ${UNREACHABLE[code]} (${code})`, 'unreachable', detail);
  }
  if (/socket hang up/i.test(msg)) {
    return new CloudError(`${prefix}cannot reach ${url}: connection closed before a response (socket hang up)`, 'unreachable', detail);
  }
  return new CloudError(`${prefix}request to ${url} failed: ${msg}${code ? ` (${code})` : ''}`, 'unreachable', detail);
}
