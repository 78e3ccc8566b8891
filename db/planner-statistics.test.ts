import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeChunks, tenants } from '../migrations/schema/index.ts';
import { queryRows } from './database.ts';
import { KNOWLEDGE_TABLES, refreshPlannerStatistics } from './planner-statistics.ts';
import { withTenant } from './tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-database.ts';

const SHOP = '88888888-8888-4888-8888-888888888888';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.destroy();
});

async function analysedRows(): Promise<number> {
  // What the planner believes the table holds: its statistics, not a count.
  const [row] = await queryRows<{ tuples: number | string }>(
    testDb.database.db,
    sql`select reltuples as tuples from pg_class where relname = 'knowledge_chunks'`,
  );
  return Number(row?.tuples ?? 0);
}

describe('refreshPlannerStatistics', () => {
  it('analyses the knowledge tables once they changed by more than a tenth, and not before', async () => {
    const db = testDb.database.db;
    await withTenant(db, SHOP, async (tx) => {
      await tx.insert(tenants).values({ id: SHOP, slug: 'shop', name: 'Shop' });
      await tx.insert(knowledgeChunks).values(
        Array.from({ length: 400 }, (_, i) => ({
          tenantId: SHOP,
          sourceType: 'faq',
          title: `Question ${i}`,
          content: `Réponse numéro ${i} sur la livraison et les retours.`,
          lang: 'fr',
        })),
      );
    });
    // The statistics collector may lag a moment behind the commit.
    let analysed: string[] = [];
    for (let attempt = 0; attempt < 20 && !analysed.includes('knowledge_chunks'); attempt++) {
      analysed = await refreshPlannerStatistics(testDb.database, { tables: KNOWLEDGE_TABLES });
      if (!analysed.includes('knowledge_chunks')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(analysed).toContain('knowledge_chunks');
    expect(await analysedRows()).toBe(400);

    // Ten more rows are below the threshold: nothing to do.
    await withTenant(db, SHOP, (tx) =>
      tx.insert(knowledgeChunks).values(
        Array.from({ length: 10 }, (_, i) => ({
          tenantId: SHOP,
          sourceType: 'faq',
          title: `Extra ${i}`,
          content: 'Encore une réponse.',
          lang: 'fr',
        })),
      ),
    );
    expect(await refreshPlannerStatistics(testDb.database, { tables: KNOWLEDGE_TABLES })).not.toContain(
      'knowledge_chunks',
    );
    expect(await analysedRows()).toBe(400);

    // As the server keeps them: once the table has doubled, and never for updates alone.
    const keep = () =>
      refreshPlannerStatistics(testDb.database, { tables: ['knowledge_chunks'], analyzeOnGrowth: 2 });
    const more = (count: number) =>
      withTenant(db, SHOP, (tx) =>
        tx.insert(knowledgeChunks).values(
          Array.from({ length: count }, (_, i) => ({
            tenantId: SHOP,
            sourceType: 'faq',
            title: `More ${count} ${i}`,
            content: 'Une autre réponse.',
            lang: 'fr',
          })),
        ),
      );
    await more(100);
    await withTenant(db, SHOP, (tx) => tx.execute(sql`update knowledge_chunks set title = title || '?'`));
    await new Promise((r) => setTimeout(r, 500));
    expect(await keep()).toEqual([]);
    await more(400);
    let doubled: string[] = [];
    for (let attempt = 0; attempt < 20 && doubled.length === 0; attempt++) {
      doubled = await keep();
      if (doubled.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(doubled).toEqual(['knowledge_chunks']);
    expect(await analysedRows()).toBe(910);
  });

  it('gathers no statistics of the messages’ text and metadata, only of the columns plans use', async () => {
    const db = testDb.database.db;
    await db.execute(sql`analyze conversation_messages`);
    const targets = await queryRows<{ column: string; target: number | string | null }>(
      db,
      sql`select attname as column, attstattarget as target from pg_attribute
          where attrelid = 'conversation_messages'::regclass and attname in ('content', 'metadata', 'conversation_id')
          order by attname`,
    );
    // -1 (or null, from Postgres 17 on) is the default target.
    expect(targets.map((t) => [t.column, t.target === null ? -1 : Number(t.target)])).toEqual([
      ['content', 0],
      ['conversation_id', -1],
      ['metadata', 0],
    ]);
  });

  it('vacuums a table whose dead rows pile up, when asked to (embedded Postgres has no autovacuum)', async () => {
    const db = testDb.database.db;
    const dead = async () => {
      const [row] = await queryRows<{ dead: number | string }>(
        db,
        sql`select n_dead_tup as dead from pg_stat_user_tables where relname = 'knowledge_chunks'`,
      );
      return Number(row?.dead ?? 0);
    };
    for (let i = 0; i < 3; i++) {
      await withTenant(db, SHOP, (tx) => tx.execute(sql`update knowledge_chunks set title = title || '!'`));
    }
    for (let attempt = 0; attempt < 20 && (await dead()) < 1000; attempt++) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await dead()).toBeGreaterThanOrEqual(1000);
    await refreshPlannerStatistics(testDb.database, { tables: ['knowledge_chunks'] });
    expect(await dead()).toBeGreaterThanOrEqual(1000);
    await refreshPlannerStatistics(testDb.database, { tables: ['knowledge_chunks'], vacuum: true });
    for (let attempt = 0; attempt < 20 && (await dead()) > 0; attempt++) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await dead()).toBe(0);
  });
});
