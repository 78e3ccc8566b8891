import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { tenants } from '../../migrations/schema/index.ts';
import { createFaqEntry } from '../faq/faq-store.ts';
import { analyzeQuery } from './analyze-query.ts';
import { WordAnalysisCache } from './word-analysis-cache.ts';

const SHOP = '77777777-7777-4777-8777-777777777777';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await withTenant(testDb.database.db, SHOP, (tx) =>
    tx.insert(tenants).values({ id: SHOP, slug: 'shop', name: 'Shop' }),
  );
});
afterAll(async () => {
  await testDb?.destroy();
});

const analyze = (query: string, lang: 'fr' | 'en' | undefined, cache: WordAnalysisCache) =>
  withTenant(testDb.database.db, SHOP, (tx) => analyzeQuery(tx, query, lang, cache));

describe('analyzeQuery', () => {
  it('reads a question the same with the words cached as without', async () => {
    const questions: [string, 'fr' | 'en' | undefined][] = [
      ['Combien de temps prend la livraison ?', 'fr'],
      ['How long does delivery take? delivery!', 'en'],
      ['Quels moyens de paiement acceptez-vous', undefined],
      ['le la les', 'fr'],
    ];
    const warm = new WordAnalysisCache();
    for (const [question, lang] of questions) {
      const cold = await analyze(question, lang, new WordAnalysisCache());
      await analyze(question, lang, warm);
      const cached = await analyze(question, lang, warm);
      expect(cached).toEqual(cold);
    }
    // Stop words are dropped in their own language only, and implied topic words come last.
    const delivery = await analyze('How long does delivery take?', 'en', warm);
    expect(delivery.words.map((w) => w.word)).toContain('delivery');
    const implied = delivery.words.findIndex((w) => w.implied);
    if (implied >= 0) expect(delivery.words.slice(implied).every((w) => w.implied)).toBe(true);
    expect((await analyze('the', 'en', warm)).words).toEqual([]);
    expect((await analyze('the', 'fr', warm)).words.map((w) => w.word)).toEqual(['the']);
  });

  it('reports the current knowledge revision even when every word is cached', async () => {
    const cache = new WordAnalysisCache();
    const before = await analyze('livraison rapide', 'fr', cache);
    expect(cache.get('livraison')).toBeDefined();
    await withTenant(testDb.database.db, SHOP, (tx) =>
      createFaqEntry(tx, SHOP, { lang: 'fr', question: 'Livraison ?', answer: 'En 48 heures.' }),
    );
    const after = await analyze('livraison rapide', 'fr', cache);
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.words).toEqual(before.words);
  });
});

describe('WordAnalysisCache', () => {
  it('keeps at most its bound, dropping the least recently used word', () => {
    const cache = new WordAnalysisCache(2);
    const analysis = { stopFr: false, stopEn: false, lexemes: ['x'] };
    cache.set('a', analysis);
    cache.set('b', analysis);
    expect(cache.get('a')).toBe(analysis);
    cache.set('c', analysis);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(analysis);
    expect(cache.get('c')).toBe(analysis);
  });
});
