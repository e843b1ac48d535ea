/**
 * Every identity and image check against the real dev cloud (scripts/dev-cloud):
 * each must pass, and no image named with the run prefix may remain afterwards.
 */
import assert from 'node:assert/strict';
import '../../../capabilities/identity/api-discovery.js';
import '../../../capabilities/identity/catalog.js';
import '../../../capabilities/identity/projects.js';
import '../../../capabilities/identity/token-validate.js';
import '../../../capabilities/image/list-user-images.js';
import '../../../capabilities/image/basic-operations.js';
import '../../../capabilities/image/images-negative.js';
import '../../../capabilities/image/images-tags.js';
import type { AccountRole } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { ImageClient } from '../../../src/services/image.js';
import { newPrefix, runCheck } from '../../helpers/check-harness.js';
import { devCloudClientsOrSkip } from '../../helpers/dev-cloud-clients.js';
import { checkById } from '../support.js';

/** The 26 ids of the compute program's identity-* and images-* tests covered here (2019.11, 2020.06). */
export const IDENTITY_IMAGE_IDS = [
  'b9232f5e-d9e5-4d97-b96c-28d3db4de1bd',
  '657c1970-4722-4189-8831-7325f3bc4265',
  '8879a470-abfb-47bb-bb8d-5a7fd279ad1e',
  '56b57ced-22b8-4127-9b8a-565dfb0207e2',
  '86128d46-e170-4644-866a-cc487f699e1d',
  'a9512ac3-3909-48a4-b395-11f438e16260',
  '1e341d7a-90a9-494c-b143-2cdf2aeb6aee',
  'f848bb94-1c6e-45a4-8726-39e3a5b23535',
  '32248db1-ab88-4821-9604-c7c369f1f88c',
  '6fe40f1c-57bd-4918-89cc-8500f850f3de',
  '39c023a2-325a-433a-9eea-649bf1414b19',
  '622b925c-479f-4736-860d-adeaf13bc371',
  '25c8d7b2-df21-460f-87ac-93130bcdc684',
  'e57fc127-7ba0-4693-92d7-1d8a05ebcba9',
  'ef45000d-0a72-4781-866d-4cb7bf2562ad',
  '668743d5-08ad-4480-b2b8-15da34f81d9f',
  '9959ca1d-1aa7-4b7a-a1ea-0fff0499b37e',
  '4a4735a7-f22f-49b6-b0d9-66e1ef7453eb',
  'e914a891-3cc8-4b40-ad32-e0a39ffbddbb',
  '4ad8c157-971a-4ba8-aa84-ed61154b1e7f',
  'cf1b9a48-8340-480e-af7b-fe7e17690876',
  '7fc9e369-0f58-4d05-9aa5-0969e2d59d15',
  '7a95bb92-d99e-4b12-9718-7bc6ab73e6d2',
  'f66891a7-a35c-41a8-b590-a065c2a1caa6',
  '10407036-6059-4f95-a2cd-cbbbee7ed329',
  '8cd30f82-6f9a-4c6e-8034-c1b51fba43d9',
];

/** Names of the images `client` can see that start with `prefix`, over every page. */
async function imagesWithPrefix(client: CloudSession, prefix: string): Promise<string[]> {
  const images = new ImageClient(client);
  const found: string[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await images.listImages({ limit: 100, ...(marker ? { marker } : {}) });
    assert.equal(res.status, 200, `GET /v2/images: ${res.status}`);
    for (const image of res.body.images) if (image.name?.startsWith(prefix)) found.push(`${image.name} (${image.id})`);
    const last = res.body.images[res.body.images.length - 1];
    if (!res.body.next || !last) break;
    marker = last.id;
  }
  return found;
}

describe('@cloud identity and image checks', function () {
  this.timeout(600_000);
  let clients: Partial<Record<AccountRole, CloudSession>> = {};
  const prefix = newPrefix();

  before(async function () {
    clients = await devCloudClientsOrSkip(this);
  });

  after(() => {
    for (const c of Object.values(clients)) c.close();
  });

  for (const id of IDENTITY_IMAGE_IDS) {
    const def = checkById(id);
    it(`${def.test.split('.').slice(-2).join('.')} (${id}) passes`, async () => {
      const result = await runCheck(def, { accounts: clients, prefix });
      assert.equal(result.status, 'pass', result.message);
      assert.deepEqual(result.cleanupErrors, []);
    });
  }

  it('leaves no image named with the run prefix', async () => {
    for (const role of ['primary', 'alt'] as const) {
      const client = clients[role];
      if (client) assert.deepEqual(await imagesWithPrefix(client, prefix), [], `images left for ${role}`);
    }
  });
});
