import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { createLexicalRetriever } from '../../knowledge/retrieve/lexical-retriever.ts';
import type { StoredMessage } from '../conversation/conversation-store.ts';
import type { BotReply, Responder } from '../responder.ts';
import { createTenant, updateBusinessProfile } from '../tenants/tenant-store.ts';
import { createOfflineResponder } from './offline-responder.ts';

let testDb: TestDatabase;
let shop: string;
let empty: string;
let responder: Responder;
const weekdays: [string, string][] = [['09:00', '18:00']];

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.database.db;
  shop = (await createTenant(db, { slug: 'shop', name: 'La Boutique' })).id;
  empty = (await createTenant(db, { slug: 'empty', name: 'Rien' })).id;
  await withTenant(db, shop, async (tx) => {
    await updateBusinessProfile(tx, shop, { phone: '+33 1 00 00 00 00', language: 'fr' });
    const faq = [
      [
        'fr',
        'Quels sont les délais de livraison en France ?',
        'En France, la livraison prend 3 à 5 jours ouvrés.',
      ],
      ['fr', 'Livrez-vous en Europe ?', 'Oui, nous livrons dans toute l’Europe en 5 à 8 jours ouvrés.'],
      ['en', 'How long does delivery take in France?', 'Delivery in France takes 3 to 5 business days.'],
      ['en', 'Do you deliver to Europe?', 'Yes, we deliver across Europe in 5 to 8 business days.'],
      ['fr', 'Comment retourner un article ?', 'Vous avez 30 jours pour nous retourner un article.'],
    ] as const;
    for (const [lang, question, answer] of faq) await createFaqEntry(tx, shop, { lang, question, answer });
  });
  await withTenant(db, empty, (tx) =>
    updateBusinessProfile(tx, empty, {
      phone: '+33 9 99 99 99 99',
      email: 'hello@rien.fr',
      timezone: 'Europe/Paris',
      supportHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
    }),
  );
  responder = createOfflineResponder({
    db,
    retriever: createLexicalRetriever(db),
    clock: { now: () => new Date('2026-12-08T11:00:00+01:00') },
  });
});
afterAll(async () => {
  await testDb.destroy();
});

type Turn = string | { reply: BotReply };

/** Asks `text` after `turns` (the customer's words, and the bot's replies as it stored them). */
function ask(tenantId: string, text: string, turns: Turn[] = []): Promise<BotReply | null> {
  const message = (content: string, seq: number, reply?: BotReply): StoredMessage => ({
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: '00000000-0000-4000-8000-000000000000',
    tenantId,
    seq,
    role: reply ? 'assistant' : 'user',
    content: reply ? reply.text : content,
    clientId: null,
    metadata: reply ? reply.metadata : {},
    createdAt: new Date(),
  });
  const history = turns.map((turn, i) =>
    typeof turn === 'string' ? message(turn, i + 1) : message('', i + 1, turn.reply),
  );
  return responder.respond({
    tenantId,
    conversationId: '00000000-0000-4000-8000-000000000000',
    channel: 'widget',
    message: message(text, turns.length + 1),
    history,
  });
}

describe('bad input never gets an unrelated answer', () => {
  it.each([
    ['another script', 'Сколько стоит доставка во Францию?'],
    ['another script', '送货到法国需要多长时间？'],
    ['only emoji', '🙂🙂🙂'],
    ['another language', 'Wie lange dauert der Versand nach Deutschland?'],
  ])('%s (%s) gets a polite "I can\'t answer that" or an offer of a person', async (_kind, text) => {
    const reply = await ask(shop, text);
    expect(reply?.metadata['source']).not.toBe('knowledge');
    expect(reply?.citations).toEqual([]);
    expect(reply?.text).toMatch(/conseiller|person|compris|understand/i);
  });

  it('gets that for 4 KiB of noise too', async () => {
    const noise = randomBytes(3072)
      .toString('base64')
      .replace(/(.{7})/g, '$1 ');
    const reply = await ask(shop, noise);
    expect(reply?.metadata['source']).not.toBe('knowledge');
    expect(reply?.citations).toEqual([]);
  });

  it('answers a message in another script in both languages it speaks', async () => {
    const reply = await ask(shop, 'Сколько стоит доставка?');
    expect(reply?.text).toContain('French or English');
    expect(reply?.text).toContain('français');
  });
});

describe('a tenant with no knowledge at all', () => {
  it('still answers from its profile: the phone number, customer service hours', async () => {
    expect((await ask(empty, 'can I call you?'))?.text).toContain('+33 9 99 99 99 99');
    expect((await ask(empty, 'le service client répond quand ?'))?.text).toBe(
      'Le service client répond du lundi au vendredi, 09:00–18:00.',
    );
  });

  it('offers a person for anything else', async () => {
    const reply = await ask(empty, 'Do you ship to Italy?');
    expect(reply?.metadata).toMatchObject({ abstained: true });
    expect(reply?.text).toMatch(/talk to a person/);
  });
});

describe('a conversation', () => {
  it('reads a follow-up with the topic of the previous turn, as the reply stored it', async () => {
    const first = (await ask(shop, 'Quels sont les délais de livraison à Lyon ?'))!;
    expect(first.text).toContain('3 à 5');
    expect(first.metadata['topic']).toMatchObject({
      subjects: expect.arrayContaining(['delivery']),
      places: ['lyon'],
    });
    const second = await ask(shop, 'Et pour la Belgique ?', [
      'Quels sont les délais de livraison à Lyon ?',
      { reply: first },
    ]);
    expect(second?.text).toContain('5 à 8');
    expect(second?.metadata).toMatchObject({ follow_up: true });
  });

  it('answers each message in its own language', async () => {
    const reply = await ask(shop, 'And how long to Spain?', ['Combien de temps pour Lyon ?']);
    expect(reply?.metadata['lang']).toBe('en');
    expect(reply?.text).toContain('5 to 8');
  });
});
