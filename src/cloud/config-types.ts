/**
 * The shape of a cloud's configuration, once read and normalised. Its own module so
 * that config.ts (finding and loading clouds) and config-normalise.ts (turning the
 * raw YAML or OS_* variables into it) both import it instead of each other.
 */
import type { EndpointInterface } from './catalog.js';

/** Supported Keystone auth plugins (openstacksdk `auth_type`, normalised). */
export type AuthType = 'password' | 'token' | 'v3applicationcredential';

/** The `auth:` section, camel-cased. Secrets live here and nowhere else. */
export interface CloudAuth {
  /** Keystone URL ending in /v3 (a bare host URL gets /v3 appended). */
  authUrl: string;
  username?: string;
  userId?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  domainName?: string;
  domainId?: string;
  token?: string;
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  applicationCredentialSecret?: string;
}

/** One cloud, ready to authenticate. */
export interface CloudConfig {
  name: string;
  authType: AuthType;
  auth: CloudAuth;
  regionName?: string;
  interface: EndpointInterface;
  /** false: do not verify TLS certificates (`verify: false`, `insecure: true`, OS_INSECURE). */
  verify: boolean;
  /** Paths (as configured, `~` expanded). */
  cacert?: string;
  cert?: string;
  key?: string;
  apiTimeoutMs?: number;
  /** Where it came from: a file path or `environment`. */
  source: string;
}
