/**
 * Keystone v3 token operations (Identity API v3, "Authentication and token
 * management": https://docs.openstack.org/api-ref/identity/v3/#authentication-and-token-management):
 * issue a token with a password, validate it (GET), check it (HEAD) and revoke it
 * (DELETE). The caller's session token authorises the X-Subject-Token operations,
 * as a user may inspect and revoke their own tokens. Methods return the response
 * whatever its status.
 */
import type { CloudClient, HttpMethod, HttpResponse } from '../cloud/types.js';
import { versionedBase } from './endpoint.js';

/** A response that also names its method, for assertion messages. */
export type TokenResponse<T = unknown> = HttpResponse<T> & { method: HttpMethod };

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

/** Token operations for one session (see the module comment). */
export class IdentityTokensClient {
  private base?: Promise<string>;

  constructor(private readonly cloud: CloudClient) {}

  /** True when the session can issue fresh password tokens (see CloudClient.authenticateWithPassword). */
  canIssueTokens(): boolean {
    return typeof this.cloud.authenticateWithPassword === 'function';
  }

  /** POST /v3/auth/tokens with the configured password credentials (201, token in X-Subject-Token). */
  async createToken(options: { unscoped?: boolean } = {}): Promise<TokenResponse<TokenBody>> {
    if (!this.cloud.authenticateWithPassword) throw new Error('this cloud session cannot issue password tokens');
    const res = (await this.cloud.authenticateWithPassword(options)) as HttpResponse<TokenBody>;
    return { ...res, method: 'POST' };
  }

  /** GET /v3/auth/tokens: validate a token and show its body (200). */
  showToken(subjectToken: string): Promise<TokenResponse<TokenBody>> {
    return this.send<TokenBody>('GET', subjectToken);
  }

  /** HEAD /v3/auth/tokens: check a token (200, 404 once revoked). */
  checkToken(subjectToken: string): Promise<TokenResponse> {
    return this.send('HEAD', subjectToken);
  }

  /** DELETE /v3/auth/tokens: revoke a token (204). */
  revokeToken(subjectToken: string): Promise<TokenResponse> {
    return this.send('DELETE', subjectToken);
  }

  private async send<T = unknown>(method: HttpMethod, subjectToken: string): Promise<TokenResponse<T>> {
    this.base ??= this.cloud.endpoint('identity').then((e) => versionedBase(e, 'v3'));
    const url = `${await this.base}/auth/tokens`;
    const res = await this.cloud.request<T>({ method, url, headers: { 'X-Subject-Token': subjectToken } });
    return { ...res, method };
  }
}
