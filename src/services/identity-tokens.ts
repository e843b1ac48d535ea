/**
 * Keystone v3 token operations (Identity API v3, "Authentication and token
 * management": https://docs.openstack.org/api-ref/identity/v3/#authentication-and-token-management):
 * issue a token with a password, validate it (GET), check it (HEAD) and revoke it
 * (DELETE). The caller's session token authorises the X-Subject-Token operations,
 * as a user may inspect and revoke their own tokens. Each method declares the
 * status Tempest's token client expects and, for token bodies, the schema
 * identity/v3/token; an issued token must also come in X-Subject-Token. Answers
 * are validated (see protocol.ts) or a ProtocolFailure is thrown.
 */
import type { CloudClient } from '../cloud/types.js';
import { versionedBase } from './endpoint.js';
import { ProtocolClient, ProtocolFailure, describeReply, judge, type Operation, type Reply } from './protocol.js';

/** The token body's parts the checks read. */
export interface TokenBody {
  token: {
    methods: string[];
    user: { id: string; name: string; domain?: { id?: string; name?: string } };
    expires_at: string;
    issued_at: string;
    [key: string]: unknown;
  };
}

/** An issued token: the validated answer and the token itself (X-Subject-Token). */
export type TokenReply<T = TokenBody> = Reply<T> & { subjectToken: string };

/** The token an answer issued, from X-Subject-Token; its absence breaks the protocol. */
export function subjectTokenOf(reply: Reply<unknown>): string {
  const token = reply.headers['x-subject-token'];
  if (token === undefined) throw new ProtocolFailure(`${describeReply(reply)}: response header x-subject-token is missing`, reply);
  return token;
}

/**
 * Judges an issuing answer in the order the checks asserted it: the status, then
 * the X-Subject-Token header, then the body's schema.
 */
export function judgeIssued<T>(op: Pick<Operation, 'method' | 'status' | 'schema'>, res: Parameters<typeof judge>[1]): TokenReply<T> {
  const subjectToken = subjectTokenOf(judge({ method: op.method, status: op.status }, res));
  return { ...judge<T>(op, res), subjectToken };
}

/** Token operations for one session (see the module comment). */
export class IdentityTokensClient extends ProtocolClient {
  constructor(cloud: CloudClient, signal?: AbortSignal) {
    super(cloud, signal);
  }

  protected async resolveBase(): Promise<string> {
    return versionedBase(await this.cloud.endpoint('identity'), 'v3');
  }

  /** True when the session can issue fresh password tokens (see CloudClient.authenticateWithPassword). */
  canIssueTokens(): boolean {
    return typeof this.cloud.authenticateWithPassword === 'function';
  }

  /** POST /v3/auth/tokens with the configured password credentials (201, token in X-Subject-Token, a token body). */
  async createToken(options: { unscoped?: boolean } = {}): Promise<TokenReply> {
    if (!this.cloud.authenticateWithPassword) throw new Error('this cloud session cannot issue password tokens');
    // The session performs the login (it holds the credentials); the answer is judged here.
    const res = await this.cloud.authenticateWithPassword(options);
    return judgeIssued<TokenBody>({ method: 'POST', status: 201, schema: 'identity/v3/token' }, res);
  }

  /** GET /v3/auth/tokens: validate a token and show its body (200). */
  showToken(subjectToken: string): Promise<Reply<TokenBody>> {
    return this.send({ method: 'GET', path: 'auth/tokens', headers: { 'X-Subject-Token': subjectToken }, status: 200, schema: 'identity/v3/token' });
  }

  /** HEAD /v3/auth/tokens: check a token (200, 404 once revoked). */
  checkToken(subjectToken: string): Promise<Reply<unknown>> {
    return this.send({ method: 'HEAD', path: 'auth/tokens', headers: { 'X-Subject-Token': subjectToken }, status: 200 });
  }

  /** DELETE /v3/auth/tokens: revoke a token (204). */
  revokeToken(subjectToken: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: 'auth/tokens', headers: { 'X-Subject-Token': subjectToken }, status: 204 });
  }
}
