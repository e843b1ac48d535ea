/**
 * Keystone (Identity service) v3 client beyond tokens: version discovery, the
 * caller's catalog, the projects of a user and token rescoping, as in the Identity v3 API reference
 * (https://docs.openstack.org/api-ref/identity/v3/). Token operations live in
 * src/services/identity-tokens.ts. Methods return the response whatever its
 * status; checks assert with src/check/expect.ts against
 * src/services/schemas/identity/.
 */
import type { CloudClient, HttpMethod, HttpResponse } from '../cloud/types.js';
import { unversionedBase, versionedBase } from './endpoint.js';

/** A response that also names its request method, for assertion messages. */
export type IdentityResponse<T = unknown> = HttpResponse<T> & { method: HttpMethod };

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

export class IdentityClient {
  private base?: Promise<string>;

  constructor(private readonly cloud: CloudClient) {}

  /** GET / (unversioned): the list of API versions, answered with 300 Multiple Choices. */
  async listVersions(): Promise<IdentityResponse> {
    const url = unversionedBase(await this.cloud.endpoint('identity'));
    return this.send('GET', url, false);
  }

  /** GET /v3: describes the v3 API (id, status, updated, links, media-types) (200). */
  async showApiDescription(): Promise<IdentityResponse<ApiVersionDescription>> {
    return this.send<ApiVersionDescription>('GET', await this.v3(''), true);
  }

  /** GET /v3/auth/catalog: the catalog of the caller's token (200). */
  async showCatalog(): Promise<IdentityResponse<{ catalog: CatalogEntry[] }>> {
    return this.send('GET', await this.v3('auth/catalog'), true);
  }

  /** GET /v3/users/{user_id}/projects: projects where the user holds a role (200). */
  async listUserProjects(userId: string): Promise<IdentityResponse<{ projects: ProjectRef[] }>> {
    return this.send('GET', await this.v3(`users/${encodeURIComponent(userId)}/projects`), true);
  }

  /**
   * POST /v3/auth/tokens with the `token` method: a token for a project (by id, or
   * by name within a domain) obtained with an existing unscoped token (201, new
   * token in X-Subject-Token; 401 when the user holds no role on the project).
   */
  async scopeTokenToProject(token: string, project: ProjectScope): Promise<IdentityResponse<ScopedTokenBody>> {
    const scope = 'id' in project ? { id: project.id } : { name: project.name, domain: { id: project.domainId } };
    const body = { auth: { identity: { methods: ['token'], token: { id: token } }, scope: { project: scope } } };
    const res = await this.cloud.request<ScopedTokenBody>({ method: 'POST', url: await this.v3('auth/tokens'), body, auth: false });
    return { ...res, method: 'POST' };
  }

  /** The v3 base of the catalog's identity endpoint, as Tempest's clients use it. */
  private async v3(path: string): Promise<string> {
    this.base ??= this.cloud.endpoint('identity').then((e) => versionedBase(e, 'v3'));
    const base = await this.base;
    return path ? `${base}/${path}` : base;
  }

  private async send<T = unknown>(method: HttpMethod, url: string, auth: boolean): Promise<IdentityResponse<T>> {
    const res = await this.cloud.request<T>({ method, url, auth });
    return { ...res, method };
  }
}
