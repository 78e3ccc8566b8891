import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { silentLogger } from '../logger.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { createIntentDetector } from './intent-detector.ts';
import { saveIntent } from './intent-store.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
});

const tenant = async (slug: string) => (await createTenant(testDb.database.db, { slug, name: slug })).id;

describe('the intent detector', () => {
  it('trains the model of untouched intents once, ahead of traffic, and every such tenant uses it', async () => {
    const detector = createIntentDetector({ db: testDb.database.db, log: silentLogger });
    const warmed = await detector.warm();
    const [a, b] = [await tenant('shop-a'), await tenant('shop-b')];
    expect(await detector.classifierFor(a)).toBe(warmed);
    expect(await detector.classifierFor(b)).toBe(warmed);
    expect((await detector.detect(a, 'Où en est ma commande ?')).intent).toBe(
      (await detector.detect(b, 'Où en est ma commande ?')).intent,
    );
  });

  it('gives a tenant that changes its intents a model of its own, and leaves the others theirs', async () => {
    const detector = createIntentDetector({ db: testDb.database.db, log: silentLogger });
    const shared = await detector.warm();
    const [a, b] = [await tenant('shop-a'), await tenant('shop-b')];
    const question = 'Proposez-vous un service de gravure sur les bijoux ?';
    expect((await detector.detect(a, question)).intent).not.toBe('engraving');
    await withTenant(testDb.database.db, a, (tx) =>
      saveIntent(tx, a, 'engraving', {
        description: 'Engraving of jewellery',
        examples: [
          { text: 'Faites-vous la gravure de bijoux ?', lang: 'fr' },
          { text: 'Puis-je faire graver ma bague ?', lang: 'fr' },
          { text: 'Gravure personnalisée sur un bracelet', lang: 'fr' },
          { text: 'Do you engrave jewellery?', lang: 'en' },
          { text: 'Can I have my ring engraved?', lang: 'en' },
          { text: 'Custom engraving on a bracelet', lang: 'en' },
        ],
        enabled: true,
      }),
    );
    const own = await detector.classifierFor(a);
    expect(own).not.toBe(shared);
    expect(own.intents).toContain('engraving');
    expect((await detector.detect(a, question)).intent).toBe('engraving');
    expect(await detector.classifierFor(b)).toBe(shared);
    expect((await detector.detect(b, question)).intent).not.toBe('engraving');
  });

  it('shares a changed model between tenants that made the same change', async () => {
    const detector = createIntentDetector({ db: testDb.database.db, log: silentLogger });
    const shared = await detector.warm();
    const [a, b] = [await tenant('shop-a'), await tenant('shop-b')];
    for (const id of [a, b]) {
      await withTenant(testDb.database.db, id, (tx) => saveIntent(tx, id, 'greeting', { enabled: false }));
    }
    const modelA = await detector.classifierFor(a);
    expect(modelA).not.toBe(shared);
    expect(modelA.intents).not.toContain('greeting');
    expect(await detector.classifierFor(b)).toBe(modelA);
  });
});
