/** The cloud layer's public surface, for the CLI and runner. */
export { CloudError } from './types.js';
export type { AuthIdentity, CloudClient, ExchangeRecorder, HttpMethod, HttpResponse, RequestOptions } from './types.js';
export { listClouds, loadCloudConfig, type CloudConfig, type LoadCloudConfigOptions } from './config.js';
export { openAccounts, resolveAccounts, type AccountsConfig, type AccountFlags, type ResolveAccountsOptions } from './accounts.js';
export { createCloudClient, openCloud, type CloudSession, type OpenCloudOptions } from './session.js';
export { MemoryRecorder } from './recorder.js';
export { Redactor, REDACTED } from './redact.js';
