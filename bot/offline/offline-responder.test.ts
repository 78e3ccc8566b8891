import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { createLexicalRetriever } from '../../knowledge/retrieve/lexical-retriever.ts';
import type { StoredMessage } from '../conversation/conversation-store.ts';
import type { Responder } from '../responder.ts';
import { createTenant, updateBusinessProfile } from '../tenants/tenant-store.ts';
import { createOfflineResponder } from './offline-responder.ts';

let testDb: TestDatabase;
let tenantId: string;
let responder: Responder;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.database.db;
  tenantId = (await createTenant(db, { slug: 'boutique', name: 'La Boutique' })).id;
  await withTenant(db, tenantId, async (tx) => {
    await updateBusinessProfile(tx, tenantId, { email: 'aide@boutique.fr', phone: '+33 1 00 00 00 00' });
    await createFaqEntry(tx, tenantId, {
      lang: 'fr',
      question: 'Quels sont les délais de livraison ?',
      answer: 'La livraison prend 3 à 5 jours ouvrés.',
    });
    await createFaqEntry(tx, tenantId, {
      lang: 'en',
      question: 'How long does delivery take?',
      answer: 'Delivery takes 3 to 5 business days.',
    });
  });
  responder = createOfflineResponder({ db, retriever: createLexicalRetriever(db) });
});
afterAll(async () => {
  await testDb.destroy();
});

function ask(text: string, history: string[] = []) {
  const message = (content: string, seq: number): StoredMessage => ({
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: '00000000-0000-4000-8000-000000000000',
    tenantId,
    seq,
    role: 'user',
    content,
    clientId: null,
    metadata: {},
    createdAt: new Date(),
  });
  return responder.respond({
    tenantId,
    conversationId: '00000000-0000-4000-8000-000000000000',
    channel: 'widget',
    message: message(text, history.length + 1),
    history: history.map((content, i) => message(content, i + 1)),
  });
}

describe('the offline responder', () => {
  it('answers a question with the passage and cites its source', async () => {
    const reply = await ask('Quel est le délai de livraison ?');
    expect(reply?.text).toBe('La livraison prend 3 à 5 jours ouvrés.');
    expect(reply?.citations).toEqual([{ title: 'Quels sont les délais de livraison ?' }]);
    expect(reply?.metadata).toMatchObject({ source: 'knowledge', lang: 'fr' });
    expect(reply?.metadata['confidence']).toBeGreaterThan(0.45);
  });

  it('answers in English when asked in English', async () => {
    expect((await ask('How long will my delivery take?'))?.text).toBe('Delivery takes 3 to 5 business days.');
  });

  it('greets, thanks and says goodbye in the visitor’s language', async () => {
    expect((await ask('Bonjour'))?.text).toContain("Je suis l'assistant de La Boutique");
    expect((await ask('Hello'))?.text).toContain("I'm La Boutique's assistant");
    expect((await ask('merci !'))?.metadata).toMatchObject({ intent: 'thanks' });
    expect((await ask('bye'))?.metadata).toMatchObject({ intent: 'goodbye', lang: 'en' });
  });

  it('says honestly that it does not know, and offers a human with the contact details', async () => {
    const reply = await ask('Proposez-vous la location de robes de mariée ?');
    expect(reply?.text).toMatch(/pas trouvé de réponse sûre/);
    expect(reply?.text).toContain('aide@boutique.fr');
    expect(reply?.citations).toEqual([]);
    expect(reply?.metadata).toMatchObject({ abstained: true });
  });

  it('points to a human when asked for one', async () => {
    const reply = await ask('Je veux parler à un conseiller');
    expect(reply?.metadata).toMatchObject({ intent: 'human' });
    expect(reply?.text).toContain('+33 1 00 00 00 00');
  });

  it('keeps the conversation’s language for a message with no language clue', async () => {
    const reply = await ask('??', ['Bonjour, je suis perdu']);
    expect(reply?.metadata['lang']).toBe('fr');
  });
});
