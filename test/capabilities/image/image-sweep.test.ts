/** The image sweeper removes exactly the caller's images named with the prefix. */
import assert from 'node:assert/strict';
import nock from 'nock';
import { sweepImages } from '../../../src/services/image-sweep.js';
import { nockCloud } from '../../helpers/cloud.js';
import { fakeGlance, imageRecord, OWNER } from '../../fakes/fake-glance.js';

const ORIGIN = 'http://127.0.0.1:9292';

describe('image sweep (unit, fake Glance)', () => {
  afterEach(() => nock.cleanAll());

  it('deletes prefixed images of the project, protected ones included, and nothing else', async () => {
    const fake = fakeGlance(ORIGIN);
    const mine = [imageRecord({ name: 'defcore-abc123-image-1' }), imageRecord({ name: 'defcore-abc123-image-2', protected: true })];
    const keep = [imageRecord({ name: 'defcore-zzz999-image-1' }), imageRecord({ name: 'production' }), imageRecord({ name: null })];
    for (const i of [...mine, ...keep]) fake.images.set(String(i.id), i);
    const client = nockCloud({ catalog: { image: ORIGIN }, projectId: OWNER });
    try {
      const removed = await sweepImages(client, 'defcore-abc123-');
      assert.equal(removed.length, 2);
      const left = [...fake.images.values()].map((i) => i.name);
      assert.deepEqual(left.filter((n) => String(n).startsWith('defcore-abc123-')), []);
      for (const k of keep) assert.ok(fake.images.has(String(k.id)), `${String(k.name)} must be kept`);
      assert.ok(fake.log.some((l) => l.startsWith('PATCH ')), 'the protected image is unprotected first');
    } finally {
      client.close();
    }
  });

  it('reports images it could not delete', async () => {
    const fake = fakeGlance(ORIGIN, [{ method: 'DELETE', path: /^\/v2\/images\//, reply: () => ({ status: 409, body: 'in use' }) }]);
    const image = imageRecord({ name: 'defcore-abc123-image-1' });
    fake.images.set(String(image.id), image);
    const client = nockCloud({ catalog: { image: ORIGIN }, projectId: OWNER });
    try {
      await assert.rejects(sweepImages(client, 'defcore-abc123-'), /DELETE answered 409/);
    } finally {
      client.close();
    }
  });
});
