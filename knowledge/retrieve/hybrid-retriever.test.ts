import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createFaqEntry } from '../faq/faq-store.ts';
import { createKnowledgeTestbed, type KnowledgeTestbed } from '../testing/knowledge-testbed.ts';
import { ChunkRowCache } from './chunk-row-cache.ts';
import { createHybridRetriever } from './hybrid-retriever.ts';
import { LexicalIndexCache } from './lexical-index-cache.ts';
import type { ChunkRow } from './read-hits.ts';

let testbed: KnowledgeTestbed;
let shop: string;
let rival: string;

const QUESTIONS: [string, 'fr' | 'en'][] = [
  ['Combien de temps prend la livraison ?', 'fr'],
  ['Which payment methods do you accept?', 'en'],
  ['Vendez-vous des cartes cadeaux ?', 'fr'],
  ['Proposez-vous la livraison express ?', 'fr'],
  ['Do you repair bicycles?', 'en'],
  ['livrasion', 'fr'],
];

beforeAll(async () => {
  testbed = await createKnowledgeTestbed();
  shop = await testbed.createTenant('shop');
  rival = await testbed.createTenant('rival');
  await withTenant(testbed.db, shop, async (tx) => {
    for (const entry of [
      {
        lang: 'fr',
        question: 'Quels sont les délais de livraison ?',
        answer: 'La livraison prend 3 à 5 jours.',
      },
      { lang: 'en', question: 'Which payment methods do you accept?', answer: 'Card, PayPal and Apple Pay.' },
      { lang: 'fr', question: 'Vendez-vous des cartes cadeaux ?', answer: 'Oui, de 25 € à 200 €.' },
      { lang: 'fr', question: 'Proposez-vous la livraison express ?', answer: 'Oui, en 24 h pour 12 €.' },
    ] as const) {
      await createFaqEntry(tx, shop, entry);
    }
  });
  await withTenant(testbed.db, rival, (tx) =>
    createFaqEntry(tx, rival, {
      lang: 'fr',
      question: 'Quels sont les délais de livraison chez le concurrent ?',
      answer: 'Secret du concurrent : livraison en 24 heures.',
    }),
  );
  await testbed.deps.runner.close();
});
afterAll(async () => {
  await testbed?.destroy();
});

describe('hybrid retrieval in batches', () => {
  it('answers questions asked together exactly as it answers them one by one', async () => {
    const one = (tenantId: string) =>
      createHybridRetriever({
        db: testbed.db,
        embedder: testbed.deps.embedder,
        vectors: testbed.deps.vectors,
        lexicalIndexes: new LexicalIndexCache(),
      }).retrieve.bind(null, tenantId);
    const alone = one(shop);
    const sequential = [];
    for (const [question, lang] of QUESTIONS) sequential.push(await alone(question, { lang, limit: 3 }));

    const together = createHybridRetriever({
      db: testbed.db,
      embedder: testbed.deps.embedder,
      vectors: testbed.deps.vectors,
      lexicalIndexes: new LexicalIndexCache(),
    });
    // Asked at once, two tenants mixed: the later questions of each tenant share a batch.
    const asked = await Promise.all([
      ...QUESTIONS.map(([question, lang]) => together.retrieve(shop, question, { lang, limit: 3 })),
      ...QUESTIONS.map(([question, lang]) => together.retrieve(rival, question, { lang, limit: 3 })),
    ]);
    const forShop = asked.slice(0, QUESTIONS.length);
    const forRival = asked.slice(QUESTIONS.length);
    expect(forShop.map((hits) => hits.map((h) => [h.chunkId, h.score]))).toEqual(
      sequential.map((hits) => hits.map((h) => [h.chunkId, h.score])),
    );
    expect(forShop[0]![0]?.content).toContain('3 à 5 jours');
    expect(forShop[4]).toEqual([]);
    // Neither tenant ever sees the other's passages, batch or not.
    expect(forShop.flat().some((hit) => hit.content.includes('concurrent'))).toBe(false);
    expect(forRival.flat().every((hit) => hit.content.includes('concurrent'))).toBe(true);
    expect(forRival[0]?.length).toBe(1);
  });

  it('answers in a caller’s transaction exactly as on its own, questions asked together searched together', async () => {
    const retriever = createHybridRetriever({
      db: testbed.db,
      embedder: testbed.deps.embedder,
      vectors: testbed.deps.vectors,
    });
    const own = [];
    for (const [question, lang] of QUESTIONS)
      own.push(await retriever.retrieve(shop, question, { lang, limit: 3 }));
    let statements = 0;
    const inTransaction = await withTenant(testbed.db, shop, (tx) => {
      const counted = Object.create(tx) as typeof tx;
      counted.execute = ((query: Parameters<typeof tx.execute>[0]) => {
        statements++;
        return tx.execute(query);
      }) as typeof tx.execute;
      return Promise.all(
        QUESTIONS.map(([question, lang]) =>
          retriever.retrieveIn!(counted, shop, question, { lang, limit: 3 }),
        ),
      );
    });
    expect(inTransaction.map((hits) => hits.map((h) => [h.chunkId, h.score]))).toEqual(
      own.map((hits) => hits.map((h) => [h.chunkId, h.score])),
    );
    // For all six at once: the planner settings, one analysis, one vector search, one typo
    // lookup (the cached passages are not read again); asked apart, each would cost three or more.
    expect(statements).toBeLessThanOrEqual(4);
  });

  it('offers retrieval in a caller’s transaction only when nothing of it leaves the process', () => {
    const lexical = createHybridRetriever({ db: testbed.db });
    const local = createHybridRetriever({
      db: testbed.db,
      embedder: testbed.deps.embedder,
      vectors: testbed.deps.vectors,
    });
    const remoteEmbedder = createHybridRetriever({
      db: testbed.db,
      embedder: { ...testbed.deps.embedder!, local: false },
      vectors: testbed.deps.vectors,
    });
    const remoteStore = createHybridRetriever({
      db: testbed.db,
      embedder: testbed.deps.embedder,
      vectors: { ...testbed.deps.vectors!, kind: 'qdrant' },
    });
    expect([lexical, local, remoteEmbedder, remoteStore].map((r) => typeof r.retrieveIn)).toEqual([
      'function',
      'function',
      'undefined',
      'undefined',
    ]);
  });

  it('answers the other questions of a batch when one of them fails', async () => {
    const failing = createHybridRetriever({
      db: testbed.db,
      embedder: {
        ...testbed.deps.embedder!,
        embedQuery: async (text) => {
          if (text.startsWith('Quels sont')) throw new Error('embedding service down');
          return testbed.deps.embedder!.embedQuery(text);
        },
      },
      vectors: testbed.deps.vectors,
    });
    const [broken, fine] = await Promise.all([
      failing.retrieve(shop, 'Quels sont les délais de livraison ?', { lang: 'fr' }),
      failing.retrieve(shop, 'cartes cadeaux', { lang: 'fr' }),
    ]);
    // A failed embedding leaves the lexical side to answer, for that question only.
    expect(broken[0]?.content).toContain('livraison');
    expect(fine[0]?.content).toContain('25 €');
  });

  it('reads a cached passage again once the knowledge changed, and never serves a deleted one', async () => {
    const chunkRows = new ChunkRowCache<ChunkRow>();
    const retriever = createHybridRetriever({
      db: testbed.db,
      embedder: testbed.deps.embedder,
      vectors: testbed.deps.vectors,
      chunkRows,
    });
    const ask = () => retriever.retrieve(shop, 'Vendez-vous des cartes cadeaux ?', { lang: 'fr', limit: 1 });
    const [first] = await ask();
    expect(first?.content).toContain('25 €');
    expect(chunkRows.size).toBeGreaterThan(0);
    expect((await ask())[0]).toEqual(first);

    await withTenant(testbed.db, shop, (tx) =>
      tx.execute(
        sql`update knowledge_chunks set content = replace(content, '25 €', '30 €') where id = ${first!.chunkId}`,
      ),
    );
    const [rewritten] = await ask();
    expect(rewritten?.chunkId).toBe(first!.chunkId);
    expect(rewritten?.content).toContain('30 €');

    await withTenant(testbed.db, shop, (tx) =>
      tx.execute(sql`delete from knowledge_chunks where id = ${first!.chunkId}`),
    );
    expect((await ask()).map((hit) => hit.chunkId)).not.toContain(first!.chunkId);
    // The rival's questions never reach the shop's cached passages.
    const rivals = await retriever.retrieve(rival, 'livraison', { lang: 'fr', limit: 5 });
    expect(rivals.every((hit) => hit.content.includes('concurrent'))).toBe(true);
  });
});
