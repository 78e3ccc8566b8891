import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { tenants } from '../../migrations/schema/index.ts';
import { createFaqEntry } from '../faq/faq-store.ts';
import { LexicalIndex } from './lexical-index.ts';
import { LexicalIndexCache, parseTsvector } from './lexical-index-cache.ts';
import { readSnapshot, writeSnapshot } from './lexical-index-snapshot.ts';
import { warmLexicalIndexes } from './warm-lexical-indexes.ts';

describe('parseTsvector', () => {
  it('reads lexemes with their title and body counts from the text form', () => {
    expect(parseTsvector("'livraison':1A,7,12 'gratuit':9B 'l''été':3 'c\\\\d':4A 'sans'")).toEqual([
      ['livraison', 1, 2],
      ['gratuit', 0, 1],
      ["l'été", 0, 1],
      ['c\\d', 1, 0],
      ['sans', 0, 1],
    ]);
    expect(parseTsvector('')).toEqual([]);
  });
});

describe('LexicalIndexCache snapshots', () => {
  const TENANT = '99999999-9999-4999-8999-999999999999';
  let testDb: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'causette-lexical-'));
    const db = testDb.database.db;
    await withTenant(db, TENANT, async (tx) => {
      await tx.insert(tenants).values({ id: TENANT, slug: 'snap', name: 'Snap' });
      await createFaqEntry(tx, TENANT, {
        lang: 'fr',
        question: 'Vendez-vous des cartes cadeaux ?',
        answer: 'Oui, de 25 € à 200 €, valables un an.',
      });
      await createFaqEntry(tx, TENANT, {
        lang: 'fr',
        question: 'Quels sont les délais de livraison ?',
        answer: 'La livraison prend 3 à 5 jours ouvrés.',
      });
    });
  });
  afterAll(async () => {
    await testDb.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const indexOf = (cache: LexicalIndexCache) =>
    withTenant(testDb.database.db, TENANT, async (tx) => {
      const [row] = await queryRows<{ revision: string | number }>(
        tx,
        sql`select revision from knowledge_revisions`,
      );
      return cache.get(tx, TENANT, Number(row?.revision ?? 0));
    });

  it('loads a restarted process from disk, then catches up on what changed meanwhile', async () => {
    const before = new LexicalIndexCache({ snapshotDir: dir });
    await indexOf(before);
    await before.flush();
    // Marked so that the test can tell an index read from disk from one rebuilt from the table.
    const state = await readSnapshot(dir, TENANT);
    expect(state?.ids).toHaveLength(2);
    await writeSnapshot(dir, TENANT, { ...state!, titles: state!.titles.map(() => 'from disk') });
    await withTenant(testDb.database.db, TENANT, (tx) =>
      createFaqEntry(tx, TENANT, {
        lang: 'fr',
        question: "Quels sont vos horaires d'ouverture ?",
        answer: 'Du lundi au samedi, de 10 h à 19 h.',
      }),
    );

    const after = new LexicalIndexCache({ snapshotDir: dir });
    const index = await indexOf(after);
    expect(index.size).toBe(3);
    expect(index.search([{ lexemes: ['cadeau', 'cadeaux'] }], 5)[0]?.title).toBe('from disk');
    expect(index.search([{ lexemes: ['horair', 'horaires'] }], 5)[0]?.title).toContain('horaires');
    expect(after.vocabulary(TENANT)?.closest('horraires')).toBe('horaires');
  });

  it('rebuilds from the table when the snapshot does not hold what the table holds', async () => {
    const current = await indexOf(new LexicalIndexCache());
    const stray = new LexicalIndex();
    stray.add({ id: '00000000-0000-4000-8000-000000000000', title: 'stray', terms: [['stray', 1, 0]] });
    stray.revision = current.revision;
    await writeSnapshot(dir, TENANT, stray.exportState());

    const index = await indexOf(new LexicalIndexCache({ snapshotDir: dir }));
    expect(index.size).toBe(3);
    expect(index.frequency('stray')).toBe(0);
    expect(index.search([{ lexemes: ['cadeau', 'cadeaux'] }], 5)[0]?.title).toContain('cartes cadeaux');
  });

  it('loads the indexes of the tenants named ahead of their first question', async () => {
    const cache = new LexicalIndexCache();
    const db = testDb.database.db;
    const stopped = new AbortController();
    stopped.abort();
    expect(await warmLexicalIndexes({ db, cache, tenantIds: [TENANT], signal: stopped.signal })).toBe(0);
    expect(cache.vocabulary(TENANT)).toBeUndefined();
    expect(await warmLexicalIndexes({ db, cache, tenantIds: [TENANT] })).toBe(1);
    expect(cache.vocabulary(TENANT)?.closest('livrasion')).toBe('livraison');
  });
});
