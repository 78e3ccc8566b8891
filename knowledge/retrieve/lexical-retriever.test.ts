import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { tenants } from '../../migrations/schema/index.ts';
import { createFaqEntry, deleteFaqEntry, type FaqInput } from '../faq/faq-store.ts';
import { createLexicalRetriever } from './lexical-retriever.ts';
import type { Retriever } from './retrieval-hit.ts';

const SHOP = '55555555-5555-4555-8555-555555555555';
const RIVAL = '66666666-6666-4666-8666-666666666666';

const shopFaq: FaqInput[] = [
  {
    lang: 'fr',
    groupKey: 'delivery',
    question: 'Quels sont les délais de livraison ?',
    answer: 'En France métropolitaine, la livraison prend 3 à 5 jours ouvrés.',
  },
  {
    lang: 'en',
    groupKey: 'delivery',
    question: 'How long does delivery take?',
    answer: 'Delivery to mainland France takes 3 to 5 business days.',
  },
  {
    lang: 'fr',
    groupKey: 'payment',
    question: 'Quels moyens de paiement acceptez-vous ?',
    answer: 'Carte bancaire, PayPal et Apple Pay. Paiement en 3 fois sans frais dès 100 €.',
  },
  {
    lang: 'en',
    groupKey: 'payment',
    question: 'Which payment methods do you accept?',
    answer: 'Card, PayPal and Apple Pay. Pay in 3 instalments with no fees from €100.',
  },
  {
    // Shorter, and sharing "livraison": it must not outrank the answer about delays.
    lang: 'fr',
    groupKey: 'express',
    question: 'Proposez-vous la livraison express en 24h ?',
    answer: 'Oui, la livraison express le lendemain est disponible pour 12 €.',
  },
  {
    lang: 'fr',
    groupKey: 'gift',
    question: 'Vendez-vous des cartes cadeaux ?',
    answer: 'Oui, de 25 € à 200 €, valables un an.',
  },
];

let testDb: TestDatabase;
let retriever: Retriever;
let giftId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.database.db;
  for (const [id, slug] of [
    [SHOP, 'shop'],
    [RIVAL, 'rival'],
  ] as const) {
    await withTenant(db, id, (tx) => tx.insert(tenants).values({ id, slug, name: slug }));
  }
  await withTenant(db, SHOP, async (tx) => {
    for (const entry of shopFaq) {
      const created = await createFaqEntry(tx, SHOP, entry);
      if (entry.groupKey === 'gift') giftId = created.id;
    }
  });
  await withTenant(db, RIVAL, (tx) =>
    createFaqEntry(tx, RIVAL, {
      lang: 'fr',
      question: 'Quels sont les délais de livraison chez le concurrent ?',
      answer: 'Secret du concurrent : livraison en 24 heures partout.',
    }),
  );
  retriever = createLexicalRetriever(db);
});
afterAll(async () => {
  await testDb.destroy();
});

describe('lexical retrieval', () => {
  it('finds the French passage for a French question, with its citation', async () => {
    const [best] = await retriever.retrieve(SHOP, 'Combien de temps prend la livraison ?', { lang: 'fr' });
    expect(best?.content).toContain('3 à 5 jours ouvrés');
    expect(best?.lang).toBe('fr');
    expect(best?.citation).toEqual({ title: 'Quels sont les délais de livraison ?' });
  });

  it('finds the English passage for the same question in English', async () => {
    const [best] = await retriever.retrieve(SHOP, 'How long will the delivery take?', { lang: 'en' });
    expect(best?.content).toContain('3 to 5 business days');
  });

  it('ignores accents and case', async () => {
    const [best] = await retriever.retrieve(SHOP, 'DELAIS LIVRAISON', { lang: 'fr' });
    expect(best?.content).toContain('3 à 5 jours');
  });

  it('corrects typos against the tenant vocabulary', async () => {
    const [best] = await retriever.retrieve(SHOP, 'délai de livrasion ?', { lang: 'fr' });
    expect(best?.content).toContain('3 à 5 jours');
  });

  it('matches inflected forms through stemming', async () => {
    const [best] = await retriever.retrieve(SHOP, 'vous acceptez quel moyen de paiement', { lang: 'fr' });
    expect(best?.content).toContain('PayPal');
  });

  it('returns nothing when the knowledge does not cover the question', async () => {
    expect(await retriever.retrieve(SHOP, 'Vendez-vous des voitures ?', { lang: 'fr' })).toEqual([]);
    expect(await retriever.retrieve(SHOP, 'What is the meaning of life?', { lang: 'en' })).toEqual([]);
    expect(await retriever.retrieve(SHOP, '🙂 ?!', {})).toEqual([]);
  });

  it('scores in [0, 1], best first', async () => {
    const hits = await retriever.retrieve(SHOP, 'paiement en plusieurs fois PayPal', {
      lang: 'fr',
      limit: 5,
    });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.score).toBeLessThanOrEqual(1);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it("never returns another tenant's chunks", async () => {
    const shopHits = await retriever.retrieve(SHOP, 'livraison concurrent 24 heures partout', {
      lang: 'fr',
      limit: 10,
    });
    expect(shopHits.map((h) => h.content).join(' ')).not.toContain('concurrent');
    const rivalHits = await retriever.retrieve(RIVAL, 'paiement PayPal Apple Pay', { lang: 'fr', limit: 10 });
    expect(rivalHits).toEqual([]);
  });

  it('forgets a deleted FAQ entry at once', async () => {
    expect((await retriever.retrieve(SHOP, 'cartes cadeaux', { lang: 'fr' }))[0]?.content).toContain('25 €');
    await withTenant(testDb.database.db, SHOP, (tx) => deleteFaqEntry(tx, giftId));
    expect(await retriever.retrieve(SHOP, 'cartes cadeaux', { lang: 'fr' })).toEqual([]);
  });
});
