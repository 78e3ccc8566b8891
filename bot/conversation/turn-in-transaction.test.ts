import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { createLexicalRetriever } from '../../knowledge/retrieve/lexical-retriever.ts';
import { leadScores, leads, notifications } from '../../migrations/schema/index.ts';
import { systemClock } from '../clock.ts';
import { handOverToHuman } from '../escalation/handoff.ts';
import { createIntentDetector, type IntentDetector } from '../intents/intent-detector.ts';
import { createLeadTracker } from '../leads/lead-tracker.ts';
import { silentLogger } from '../logger.ts';
import { createOfflineResponder } from '../offline/offline-responder.ts';
import type { Responder } from '../responder.ts';
import { createTenant, updateBusinessProfile } from '../tenants/tenant-store.ts';
import { type ConversationEvent, createLocalConversationEvents } from './conversation-events.ts';
import { getConversation, messagesAfter, openConversation } from './conversation-store.ts';
import { createTurnHandler, type TurnHandler } from './turn-handler.ts';

/**
 * The offline bot answers a message in the transaction that stores it. These tests hold that it
 * is the same answer, with the same leads, escalations and order, as when it is answered after
 * the message is committed (turn-handler.test.ts), and that a failure there loses nothing.
 */
let testDb: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  const db = testDb.database.db;
  tenantId = (await createTenant(db, { slug: 'boutique', name: 'La Boutique' })).id;
  await withTenant(db, tenantId, async (tx) => {
    await updateBusinessProfile(tx, tenantId, { escalationEmail: 'equipe@boutique.fr' });
    await createFaqEntry(tx, tenantId, {
      lang: 'fr',
      question: 'Quels sont les délais de livraison ?',
      answer: 'La livraison prend 3 à 5 jours ouvrés.',
    });
  });
});

/** The database, counting the transactions begun through it. */
function counting(db: Db): { db: Db; transactions: () => number } {
  let begun = 0;
  const counted = Object.create(db) as Db;
  counted.transaction = ((...args: Parameters<Db['transaction']>) => {
    begun++;
    return db.transaction(...args);
  }) as Db['transaction'];
  return { db: counted, transactions: () => begun };
}

function offlineBot(
  options: {
    db?: Db;
    responder?: (offline: Responder) => Responder;
    kicks?: { count: number };
    intents?: IntentDetector;
  } = {},
) {
  const db = options.db ?? testDb.database.db;
  const events = createLocalConversationEvents();
  const published: ConversationEvent[] = [];
  const notifier = {
    kick() {
      if (options.kicks) options.kicks.count++;
    },
  };
  const offline = createOfflineResponder({ db, retriever: createLexicalRetriever(db) });
  const turns = createTurnHandler({
    db,
    responder: options.responder ? options.responder(offline) : offline,
    events,
    log: silentLogger,
    notifier,
    leads: createLeadTracker({ db, clock: systemClock, log: silentLogger, notifier }),
    ...(options.intents ? { intents: options.intents } : {}),
  });
  const watch = (conversationId: string) =>
    events.subscribe(conversationId, (event) => published.push(event));
  return { turns, published, watch };
}

async function open(visitor: string): Promise<string> {
  const conversation = await withTenant(testDb.database.db, tenantId, (tx) =>
    openConversation(tx, tenantId, visitor, 'widget'),
  );
  return conversation.id;
}

const stored = (conversationId: string) =>
  withTenant(testDb.database.db, tenantId, (tx) => messagesAfter(tx, conversationId, 0, 100));

const lines = async (conversationId: string) =>
  (await stored(conversationId)).map((m) => `${m.seq} ${m.role} ${m.content.split('\n')[0]}`);

function send(turns: TurnHandler, conversationId: string, text: string) {
  return turns.receive({ tenantId, conversationId, channel: 'widget', text });
}

describe('a turn answered in its message’s transaction', () => {
  it('is stored and published before receive() resolves, in one transaction', async () => {
    const { db, transactions } = counting(testDb.database.db);
    const { turns, published, watch } = offlineBot({ db });
    // The first turn fills the process's caches (intent model, lexical index).
    await send(turns, await open('warm-up'), 'Bonjour');
    await turns.drain();

    const conversationId = await open('visitor');
    watch(conversationId);
    const before = transactions();
    // The sender is acknowledged after its own message is published and before the reply is.
    let publishedWhenStored = -1;
    const { message } = await turns.receive(
      { tenantId, conversationId, channel: 'widget', text: 'Quels sont les délais de livraison ?' },
      () => {
        publishedWhenStored = published.length;
      },
    );
    expect(publishedWhenStored).toBe(1);
    expect(transactions() - before).toBe(1);
    expect(await lines(conversationId)).toEqual([
      '1 user Quels sont les délais de livraison ?',
      '2 assistant La livraison prend 3 à 5 jours ouvrés.',
    ]);
    expect(published.map((e) => (e.type === 'message' ? `${e.type} ${e.message.seq}` : e.type))).toEqual([
      'message 1',
      'message 2',
    ]);
    const [asked, reply] = await stored(conversationId);
    expect(asked?.metadata).toMatchObject({ intent: expect.any(String), sentiment: expect.any(Number) });
    expect(reply?.metadata).toMatchObject({
      source: 'knowledge',
      reply_to: message.id,
      stream_id: message.id,
      citations: [{ title: 'Quels sont les délais de livraison ?' }],
    });
    await turns.drain();
    expect(transactions() - before).toBe(1);
  });

  it('is answered after the commit when the intent comes from an LLM, which no transaction waits on', async () => {
    const { db, transactions } = counting(testDb.database.db);
    const asked: string[] = [];
    const intents = createIntentDetector({
      db,
      log: silentLogger,
      llm: async (text) => {
        asked.push(text);
        return { intent: 'shipping', confidence: 0.9 };
      },
    });
    const { turns } = offlineBot({ db, intents });
    const conversationId = await open('classified');
    const before = transactions();
    await send(turns, conversationId, 'Quels sont les délais de livraison ?');
    await turns.drain();
    expect(asked).toEqual(['Quels sont les délais de livraison ?']);
    expect((await stored(conversationId)).map((m) => m.role)).toEqual(['user', 'assistant']);
    // The message's own, then the retrieval's and the reply's.
    expect(transactions() - before).toBeGreaterThan(1);
  });

  it('opens and scores a lead in the same transaction', async () => {
    const { turns } = offlineBot();
    const conversationId = await open('buyer');
    await send(turns, conversationId, 'Je veux acheter 3 vélos, écrivez-moi à jean.dupont@exemple.fr');
    const db = testDb.database.db;
    const found = await withTenant(db, tenantId, (tx) => tx.select().from(leads));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ conversationId, email: 'jean.dupont@exemple.fr' });
    expect(found[0]?.score).not.toBeNull();
    const scores = await withTenant(db, tenantId, (tx) => tx.select().from(leadScores));
    expect(scores).toHaveLength(1);
  });

  it('escalates in the same transaction, and wakes the notifier once it has committed', async () => {
    const kicks = { count: 0 };
    const { turns } = offlineBot({ kicks });
    const conversationId = await open('angry');
    await send(turns, conversationId, 'Je veux parler à un humain');
    const db = testDb.database.db;
    const conversation = await withTenant(db, tenantId, (tx) => getConversation(tx, conversationId));
    expect(conversation?.status).toBe('escalated');
    const queued = await withTenant(db, tenantId, (tx) => tx.select().from(notifications));
    expect(queued.map((n) => n.event)).toEqual(['escalation.created']);
    expect(kicks.count).toBe(1);
    const [, reply] = await stored(conversationId);
    expect(reply?.metadata['escalation_reason']).toBe('requested_human');
  });

  it('says nothing while a human owns the conversation, and still stores the analysis', async () => {
    const { turns } = offlineBot();
    const conversationId = await open('handled');
    await withTenant(testDb.database.db, tenantId, (tx) => handOverToHuman(tx, conversationId));
    await send(turns, conversationId, 'Quels sont les délais de livraison ?');
    await turns.drain();
    const messages = await stored(conversationId);
    expect(messages.map((m) => m.role)).toEqual(['user']);
    expect(messages[0]?.metadata).toMatchObject({ intent: expect.any(String) });
  });

  it('rolls back all it wrote when a statement fails, and answers after the commit instead', async () => {
    const failing = (offline: Responder): Responder => ({
      respond: (context, stream) => offline.respond(context, stream),
      async respondInTransaction(tx) {
        await tx.execute(sql`select 1 / 0`);
        return { text: 'never', citations: [], metadata: {} };
      },
    });
    const { turns } = offlineBot({ responder: failing });
    const conversationId = await open('unlucky');
    const { message } = await send(turns, conversationId, 'Je veux acheter, mon email est lea@exemple.fr');
    expect(message.seq).toBe(1);
    await turns.drain();
    const messages = await stored(conversationId);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[1]?.content).not.toBe('never');
    expect(messages[1]?.metadata['reply_to']).toBe(message.id);
    // The lead the failed attempt wrote was rolled back: the answer after the commit wrote it once.
    const db = testDb.database.db;
    expect(await withTenant(db, tenantId, (tx) => tx.select().from(leads))).toHaveLength(1);
    expect(await withTenant(db, tenantId, (tx) => tx.select().from(leadScores))).toHaveLength(1);
  });

  it('answers a conversation’s messages of one batch after the commit, in order, and the others in it', async () => {
    const { turns } = offlineBot();
    const [x, y, z, w] = await Promise.all(['x', 'y', 'z', 'w'].map(open));
    // The first two batches take one message each; the next three arrive meanwhile and make one.
    const sent = await Promise.all([
      send(turns, x!, 'Bonjour'),
      send(turns, y!, 'Bonjour'),
      send(turns, z!, 'Bonjour'),
      send(turns, z!, 'Quels sont les délais de livraison ?'),
      send(turns, w!, 'Merci'),
    ]);
    // Answered in its message's transaction: stored already.
    expect((await stored(w!)).map((m) => m.role)).toEqual(['user', 'assistant']);
    await turns.drain();
    expect(await lines(z!)).toEqual([
      '1 user Bonjour',
      '2 user Quels sont les délais de livraison ?',
      expect.stringMatching(/^3 assistant /),
      '4 assistant La livraison prend 3 à 5 jours ouvrés.',
    ]);
    const replies = (await stored(z!)).filter((m) => m.role === 'assistant');
    expect(replies.map((m) => m.metadata['reply_to'])).toEqual([sent[2].message.id, sent[3].message.id]);
    for (const conversationId of [x!, y!, w!])
      expect((await stored(conversationId)).map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('stores and answers a message sent again once, and answers nothing twice', async () => {
    const { turns } = offlineBot();
    const conversationId = await open('retry');
    const first = await turns.receive({
      tenantId,
      conversationId,
      channel: 'widget',
      text: 'Bonjour',
      clientId: 'c-1',
    });
    const again = await turns.receive({
      tenantId,
      conversationId,
      channel: 'widget',
      text: 'Bonjour',
      clientId: 'c-1',
    });
    await turns.drain();
    expect(again).toMatchObject({ duplicate: true, message: { id: first.message.id } });
    expect((await stored(conversationId)).map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
