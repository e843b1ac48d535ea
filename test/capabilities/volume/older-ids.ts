/** Volume checks of guidelines 2016.08 … 2018.02 tested in older-volume-checks.test.ts. */
export const OLDER_VOLUME_IDS: ReadonlySet<string> = new Set([
  'fff42874-7db5-4487-a8e1-ddda5fb5288d',
  '9516a2c8-9135-488c-8dd6-5677a7e5f371',
  '92c4ef64-51b2-40c0-9f7e-4749fbaaba33',
  '774d2918-9beb-4f30-b3d1-2a4e8179ec0a',
  'ac6084c0-0546-45f9-b284-38a367e0e0e2',
  'eb467654-3dc1-4a72-9b46-47c29d22654c',
  '9f9c24e4-011d-46b5-b992-952140ce237a',
  '449c4ed2-ecdd-47bb-98dc-072aeccf158c',
  'f5e56b0a-5d02-43c1-a2a7-c9b792c2e3f6',
]);
