/** Network checks only the guidelines 2016.08 … 2018.02 require (older-network-checks.test.ts). */
export const OLDER_NETWORK_IDS: ReadonlySet<string> = new Set([
  '13e95171-6cbd-489c-9d7c-3f9c58215c18',
  '4179dcb9-1382-4ced-84fe-1b91c54f5735',
  'f2faf994-97f4-410b-a831-9bc977b64374',
]);
