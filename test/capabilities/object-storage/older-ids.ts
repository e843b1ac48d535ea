/** Object-storage checks only the guidelines 2015.03 … 2017.01 require (older.test.ts). */
export const OLDER_OBJECT_IDS: ReadonlySet<string> = new Set([
  'cf9e21f5-3aa4-41b1-9462-28ac550d8d3f',
  '07c9cf95-c0d4-4b49-b9c8-0ef2c9b27193',
  '54e2a2fe-42dc-491b-8270-8e4217dd4cdc',
]);
