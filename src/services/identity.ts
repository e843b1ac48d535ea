/**
 * Keystone (Identity service) v3 client beyond tokens: version discovery, the
 * caller's catalog, the projects of a user and token rescoping, as in the Identity v3 API reference
 * (https://docs.openstack.org/api-ref/identity/v3/). Token operations live in
 * src/services/identity-tokens.ts. Each method declares the status Tempest's
 * identity client expects and the answer's schema (src/services/schemas/identity/v3/),
 * validates the answer and returns it typed, or throws a ProtocolFailure (see protocol.ts).
 */
import type { CloudClient } from '../cloud/types.js';
import { unversionedBase, versionedBase } from './endpoint.js';
import { ProtocolClient, type Reply } from './protocol.js';
import { judgeIssued, type TokenReply } from './identity-tokens.js';

export interface ApiVersionDescription {
  version: {
    id: string;
    status: string;
    updated: string;
    links: { rel: string; href: string }[];
    'media-types': { base: string; type: string }[];
  };
}

export interface CatalogEntry {
  id: string;
  type: string;
  name?: string;
  endpoints: { id: string; interface: string; url: string; region?: string | null }[];
}

export interface ProjectRef {
  id: string;
  name: string;
  domain_id: string;
}

/** A project to scope to: by id, or by name within a domain. */
export type ProjectScope = { id: string } | { name: string; domainId: string };

/** The parts of a project-scoped token body the checks read. */
export interface ScopedTokenBody {
  token: {
    user: { id: string; name?: string };
    project?: { id: string; name: string; domain?: { id?: string; name?: string } };
    [key: string]: unknown;
  };
}

export class IdentityClient extends ProtocolClient {
  constructor(cloud: CloudClient, signal?: AbortSignal) {
    super(cloud, signal);
  }

  /** The v3 base of the catalog's identity endpoint, as Tempest's clients use it. */
  protected async resolveBase(): Promise<string> {
    return versionedBase(await this.cloud.endpoint('identity'), 'v3');
  }

  /** GET / (unversioned, without a token): the list of API versions, answered with 300 Multiple Choices. */
  async listVersions(): Promise<Reply<unknown>> {
    const url = unversionedBase(await this.cloud.endpoint('identity'));
    return this.send({ method: 'GET', path: url, auth: false, status: 300 });
  }

  /** GET /v3: describes the v3 API (id, status, updated, links, media-types) (200). */
  async showApiDescription(): Promise<Reply<ApiVersionDescription>> {
    // The base itself: `send` joins relative paths with a slash, which /v3 must not get.
    return this.send({ method: 'GET', path: await this.base(), status: 200, schema: 'identity/v3/show-api-description' });
  }

  /** GET /v3/auth/catalog: the catalog of the caller's token (200). */
  showCatalog(): Promise<Reply<{ catalog: CatalogEntry[] }>> {
    return this.send({ method: 'GET', path: 'auth/catalog', status: 200, schema: 'identity/v3/show-catalog' });
  }

  /** GET /v3/users/{user_id}/projects: projects where the user holds a role (200). */
  listUserProjects(userId: string): Promise<Reply<{ projects: ProjectRef[] }>> {
    return this.send({ method: 'GET', path: `users/${encodeURIComponent(userId)}/projects`, status: 200, schema: 'identity/v3/list-user-projects' });
  }

  /**
   * POST /v3/auth/tokens with the `token` method, without the session's token: a
   * token for a project (by id, or by name within a domain) obtained with an
   * existing unscoped token (201, the new token in X-Subject-Token, the body a
   * token; 401 when the user holds no role on the project).
   */
  async scopeTokenToProject(token: string, project: ProjectScope): Promise<TokenReply<ScopedTokenBody>> {
    const scope = 'id' in project ? { id: project.id } : { name: project.name, domain: { id: project.domainId } };
    const body = { auth: { identity: { methods: ['token'], token: { id: token } }, scope: { project: scope } } };
    // Sent for the status alone, then judged in the checks' order: status, X-Subject-Token, schema.
    const reply = await this.send<ScopedTokenBody>({ method: 'POST', path: 'auth/tokens', body, auth: false, status: 201 });
    return judgeIssued<ScopedTokenBody>({ method: 'POST', status: 201, schema: 'identity/v3/token' }, reply);
  }
}
