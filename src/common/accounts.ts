/** Accounts as Tempest's accounts.yaml had them: the roles a check may ask a client for. */
export type AccountRole = 'primary' | 'alt' | 'reseller' | 'admin';
