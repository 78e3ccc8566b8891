import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.ts';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { seedCustomerMessages } from '../../bot/topics/seed-day.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import type { Embedder } from '../../knowledge/embed/embedder.ts';
import { createHashedEmbedder } from '../../knowledge/embed/hashed-embedder.ts';
import { createDailyTopics } from './create-daily-topics.ts';

let testDb: TestDatabase;
let tenantId: string;
const clock = { now: () => new Date('2026-11-22T06:00:00Z') };

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  tenantId = (await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' })).id;
  await seedCustomerMessages(
    testDb.database.db,
    tenantId,
    ['Où est mon colis ?', 'Mon colis est en retard', 'Suivi de mon colis ?'].map((text, i) => ({
      text,
      at: new Date(Date.UTC(2026, 10, 21, 9, i)),
    })),
  );
});

function embedder(model: string, fail: boolean): Embedder & { used: number } {
  const fake = {
    model,
    dimensions: 2,
    fusionWeight: 1,
    used: 0,
    async embedChunks(chunks: { content: string }[]) {
      fake.used += 1;
      if (fail) throw new Error('503');
      return chunks.map(() => [1, 0]);
    },
    async embedQuery() {
      return [1, 0];
    },
    relevance: (cosine: number) => cosine,
  };
  return fake;
}

describe('createDailyTopics', () => {
  it('uses the configured embedding model', async () => {
    const model = embedder('text-embedding-3-small', false);
    const topics = createDailyTopics({ db: testDb.database.db, embedder: model, log: silentLogger, clock });
    expect(await topics.run(tenantId, '2026-11-21')).toMatchObject({
      method: 'text-embedding-3-small',
      topicCount: 1,
    });
    expect(model.used).toBe(1);
  });

  it('falls back to TF-IDF when the model fails', async () => {
    const model = embedder('text-embedding-3-small', true);
    const topics = createDailyTopics({ db: testDb.database.db, embedder: model, log: silentLogger, clock });
    expect(await topics.run(tenantId, '2026-11-21')).toMatchObject({ method: 'tfidf', topicCount: 1 });
    expect(model.used).toBeGreaterThan(0);
  });

  it('prefers TF-IDF over the offline hashed embedder, and with no embedder', async () => {
    for (const choice of [createHashedEmbedder(), undefined]) {
      const topics = createDailyTopics({
        db: testDb.database.db,
        ...(choice ? { embedder: choice } : {}),
        log: silentLogger,
        clock,
      });
      expect(await topics.run(tenantId, '2026-11-21')).toMatchObject({ method: 'tfidf', topicCount: 1 });
    }
  });
});
