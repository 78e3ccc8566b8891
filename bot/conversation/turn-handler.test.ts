import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { conversations } from '../../migrations/schema/index.ts';
import { silentLogger } from '../logger.ts';
import type { Responder, TurnContext } from '../responder.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { type ConversationEvent, createLocalConversationEvents } from './conversation-events.ts';
import { messagesAfter, openConversation } from './conversation-store.ts';
import { createTurnHandler, type OutboundDelivery } from './turn-handler.ts';

let testDb: TestDatabase;
let tenantId: string;
let conversationId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  tenantId = (await createTenant(testDb.database.db, { slug: 'turns', name: 'Turns' })).id;
  conversationId = (
    await withTenant(testDb.database.db, tenantId, (tx) =>
      openConversation(tx, tenantId, 'visitor', 'widget'),
    )
  ).id;
});

/** A responder that echoes, after a delay chosen per message, recording what it saw. */
function echoResponder(delays: Record<string, number> = {}) {
  const seen: TurnContext[] = [];
  const responder: Responder = {
    async respond(context, stream) {
      seen.push(context);
      stream?.delta('thinking');
      await new Promise((resolve) => setTimeout(resolve, delays[context.message.content] ?? 0));
      return {
        text: `echo: ${context.message.content}`,
        citations: [{ title: 'Doc' }],
        metadata: { source: 'test' },
      };
    },
  };
  return { responder, seen };
}

const stored = () =>
  withTenant(testDb.database.db, tenantId, (tx) => messagesAfter(tx, conversationId, 0, 100)).then(
    (messages) => messages.map((m) => `${m.seq} ${m.role} ${m.content}`),
  );

describe('turn handler', () => {
  it('stores the message, then the answer, publishing both with typing and deltas', async () => {
    const events = createLocalConversationEvents();
    const published: ConversationEvent[] = [];
    events.subscribe(conversationId, (event) => published.push(event));
    const { responder, seen } = echoResponder();
    const turns = createTurnHandler({ db: testDb.database.db, responder, events, log: silentLogger });
    const { message, duplicate } = await turns.receive({
      tenantId,
      conversationId,
      channel: 'widget',
      text: 'hello',
    });
    expect(duplicate).toBe(false);
    expect(message.seq).toBe(1);
    await turns.drain();
    expect(await stored()).toEqual(['1 user hello', '2 assistant echo: hello']);
    expect(published.map((e) => e.type)).toEqual(['message', 'typing', 'delta', 'typing', 'message']);
    const reply = published.at(-1);
    expect(reply?.type === 'message' && reply.message.metadata).toMatchObject({
      citations: [{ title: 'Doc' }],
      reply_to: message.id,
      stream_id: message.id,
      source: 'test',
    });
    expect(seen[0]?.history).toEqual([]);
  });

  it('says the bot is writing only for an answer that takes more than a moment', async () => {
    const events = createLocalConversationEvents();
    const published: ConversationEvent[] = [];
    events.subscribe(conversationId, (event) => published.push(event));
    const answersAfter = (ms: number): Responder => ({
      async respond(context) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return { text: `echo: ${context.message.content}`, citations: [], metadata: {} };
      },
    });
    const quick = createTurnHandler({
      db: testDb.database.db,
      responder: answersAfter(0),
      events,
      log: silentLogger,
      typingDelayMs: 200,
    });
    await quick.receive({ tenantId, conversationId, channel: 'widget', text: 'quick' });
    await quick.drain();
    expect(published.map((e) => e.type)).toEqual(['message', 'message']);

    published.length = 0;
    const slow = createTurnHandler({
      db: testDb.database.db,
      responder: answersAfter(400),
      events,
      log: silentLogger,
      typingDelayMs: 200,
    });
    await slow.receive({ tenantId, conversationId, channel: 'widget', text: 'slow' });
    await slow.drain();
    expect(published.map((e) => (e.type === 'typing' ? `typing ${e.active}` : e.type))).toEqual([
      'message',
      'typing true',
      'typing false',
      'message',
    ]);
  });

  it('answers the messages of one conversation in the order they arrived, even if later ones are quicker', async () => {
    const { responder } = echoResponder({ slow: 50, fast: 0 });
    const turns = createTurnHandler({
      db: testDb.database.db,
      responder,
      events: createLocalConversationEvents(),
      log: silentLogger,
    });
    await turns.receive({ tenantId, conversationId, channel: 'widget', text: 'slow' });
    await turns.receive({ tenantId, conversationId, channel: 'widget', text: 'fast' });
    await turns.drain();
    expect(await stored()).toEqual([
      '1 user slow',
      '2 user fast',
      '3 assistant echo: slow',
      '4 assistant echo: fast',
    ]);
  });

  it('gives the responder the earlier messages as history', async () => {
    const { responder, seen } = echoResponder();
    const turns = createTurnHandler({
      db: testDb.database.db,
      responder,
      events: createLocalConversationEvents(),
      log: silentLogger,
    });
    await turns.receive({ tenantId, conversationId, channel: 'widget', text: 'first' });
    await turns.drain();
    await turns.receive({ tenantId, conversationId, channel: 'widget', text: 'second' });
    await turns.drain();
    expect(seen[1]?.history.map((m) => m.content)).toEqual(['first', 'echo: first']);
  });

  it('stores and answers a resent clientId once', async () => {
    const { responder, seen } = echoResponder();
    const turns = createTurnHandler({
      db: testDb.database.db,
      responder,
      events: createLocalConversationEvents(),
      log: silentLogger,
    });
    const input = { tenantId, conversationId, channel: 'widget' as const, text: 'once', clientId: 'c-1' };
    const [a, b] = await Promise.all([turns.receive(input), turns.receive(input)]);
    await turns.drain();
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.message.id).toBe(b.message.id);
    expect(seen).toHaveLength(1);
    expect(await stored()).toEqual(['1 user once', '2 assistant echo: once']);
  });

  it('answers a message whose answer was lost (stored, then a crash) when it is sent again', async () => {
    const silent: Responder = { respond: async () => null };
    const crashed = createTurnHandler({
      db: testDb.database.db,
      responder: silent,
      events: createLocalConversationEvents(),
      log: silentLogger,
    });
    await crashed.receive({ tenantId, conversationId, channel: 'widget', text: 'lost?', clientId: 'c-9' });
    await crashed.drain();
    const { responder } = echoResponder();
    const restarted = createTurnHandler({
      db: testDb.database.db,
      responder,
      events: createLocalConversationEvents(),
      log: silentLogger,
    });
    const again = await restarted.receive({
      tenantId,
      conversationId,
      channel: 'widget',
      text: 'lost?',
      clientId: 'c-9',
    });
    await restarted.drain();
    expect(again.duplicate).toBe(true);
    expect(await stored()).toEqual(['1 user lost?', '2 assistant echo: lost?']);
  });

  it('stays silent while a human owns the conversation', async () => {
    await withTenant(testDb.database.db, tenantId, (tx) =>
      tx.update(conversations).set({ status: 'escalated' }).where(eq(conversations.id, conversationId)),
    );
    const { responder, seen } = echoResponder();
    const turns = createTurnHandler({
      db: testDb.database.db,
      responder,
      events: createLocalConversationEvents(),
      log: silentLogger,
    });
    await turns.receive({ tenantId, conversationId, channel: 'widget', text: 'anyone?' });
    await turns.drain();
    expect(seen).toEqual([]);
    expect(await stored()).toEqual(['1 user anyone?']);
  });

  it('apologises in the visitor’s language when the responder fails, and logs the failure', async () => {
    const failing: Responder = {
      respond: async () => {
        throw new Error('model exploded');
      },
    };
    const logged: object[] = [];
    const turns = createTurnHandler({
      db: testDb.database.db,
      responder: failing,
      events: createLocalConversationEvents(),
      log: { ...silentLogger, error: (object) => logged.push(object) },
    });
    await turns.receive({
      tenantId,
      conversationId,
      channel: 'widget',
      text: 'Bonjour, où est ma commande ?',
    });
    await turns.drain();
    const [, answer] = await stored();
    expect(answer).toMatch(/^2 assistant Désolé/);
    expect(answer).not.toContain('exploded');
    expect(logged).toHaveLength(1);
  });

  it('queues each reply for outbound delivery in the transaction that stores it', async () => {
    const queued: { conversation: string; message: string }[] = [];
    const delivery: OutboundDelivery = {
      async enqueue(_tx, conversation, message) {
        queued.push({ conversation: conversation.id, message: message.content });
      },
    };
    const { responder } = echoResponder();
    const turns = createTurnHandler({
      db: testDb.database.db,
      responder,
      events: createLocalConversationEvents(),
      log: silentLogger,
      delivery,
    });
    await turns.receive({ tenantId, conversationId, channel: 'whatsapp', text: 'hi' });
    await turns.drain();
    expect(queued).toEqual([{ conversation: conversationId, message: 'echo: hi' }]);
  });

  it('stores no reply when queueing it for delivery fails', async () => {
    const failing: OutboundDelivery = {
      enqueue: async () => {
        throw new Error('outbox unavailable');
      },
    };
    const { responder } = echoResponder();
    const turns = createTurnHandler({
      db: testDb.database.db,
      responder,
      events: createLocalConversationEvents(),
      log: silentLogger,
      delivery: failing,
    });
    await turns.receive({ tenantId, conversationId, channel: 'whatsapp', text: 'hi' });
    await turns.drain();
    expect(await stored()).toEqual(['1 user hi']);
  });
});
