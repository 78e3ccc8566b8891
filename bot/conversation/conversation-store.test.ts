import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { handOverToHuman } from '../escalation/handoff.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import {
  appendMessage,
  appendMessages,
  appendReplies,
  getConversations,
  messagesAfter,
  openConversation,
  recentMessages,
} from './conversation-store.ts';

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
  tenantId = (await createTenant(testDb.database.db, { slug: 'store', name: 'Store' })).id;
});

const inTenant = <T>(work: Parameters<typeof withTenant<T>>[2]) =>
  withTenant(testDb.database.db, tenantId, work);

describe('conversations', () => {
  it('opens one conversation per (tenant, user, channel)', async () => {
    const first = await inTenant((tx) => openConversation(tx, tenantId, 'visitor-1', 'widget'));
    const again = await inTenant((tx) => openConversation(tx, tenantId, 'visitor-1', 'widget'));
    const otherChannel = await inTenant((tx) => openConversation(tx, tenantId, 'visitor-1', 'whatsapp'));
    expect(again.id).toBe(first.id);
    expect(otherChannel.id).not.toBe(first.id);
    expect(first.status).toBe('open');
  });
});

describe('messages', () => {
  it('stores messages of many conversations in one call, each numbered in its own conversation', async () => {
    const [a, b] = await Promise.all(
      ['a', 'b'].map((user) => inTenant((tx) => openConversation(tx, tenantId, user, 'widget'))),
    );
    await inTenant((tx) =>
      appendMessage(tx, { tenantId, conversationId: a!.id, role: 'user', content: 'a1' }),
    );
    const results = await inTenant((tx) =>
      appendMessages(tx, tenantId, [
        { tenantId, conversationId: a!.id, role: 'user', content: 'a2', clientId: 'ca2' },
        { tenantId, conversationId: b!.id, role: 'agent', content: 'b1', metadata: { k: 1 } },
      ]),
    );
    expect(results.map((r) => [r.message.content, r.message.seq, r.duplicate, r.lastSeq])).toEqual([
      ['a2', 2, false, 2],
      ['b1', 1, false, 1],
    ]);
    expect(results[1]!.message.metadata).toEqual({ k: 1 });
    // The same clientId again is the first copy; an unknown conversation fails the call.
    const again = await inTenant((tx) =>
      appendMessages(tx, tenantId, [
        { tenantId, conversationId: a!.id, role: 'user', content: 'a2', clientId: 'ca2' },
      ]),
    );
    expect(again[0]).toMatchObject({ duplicate: true, lastSeq: 2 });
    expect(again[0]!.message.id).toBe(results[0]!.message.id);
    await expect(
      inTenant((tx) =>
        appendMessages(tx, tenantId, [
          { tenantId, conversationId: '00000000-0000-4000-8000-000000000000', role: 'user', content: 'x' },
        ]),
      ),
    ).rejects.toThrow(/no conversation/);
    // A human's message moves answered_seq: the bot will not answer what came before it.
    const [conversation] = await inTenant((tx) => getConversations(tx, [b!.id]));
    expect(conversation?.answeredSeq).toBe(1);
  });

  it('numbers messages 1, 2, 3… with no gaps and returns them in order', async () => {
    const conversation = await inTenant((tx) => openConversation(tx, tenantId, 'v', 'widget'));
    for (const content of ['one', 'two', 'three']) {
      await inTenant((tx) =>
        appendMessage(tx, { tenantId, conversationId: conversation.id, role: 'user', content }),
      );
    }
    const all = await inTenant((tx) => messagesAfter(tx, conversation.id, 0, 100));
    expect(all.map((m) => [m.seq, m.content])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect((await inTenant((tx) => messagesAfter(tx, conversation.id, 2, 100))).map((m) => m.seq)).toEqual([
      3,
    ]);
    expect((await inTenant((tx) => recentMessages(tx, conversation.id, 2))).map((m) => m.seq)).toEqual([
      2, 3,
    ]);
  });

  it('stores a message with an already used clientId once and returns the first copy', async () => {
    const conversation = await inTenant((tx) => openConversation(tx, tenantId, 'v', 'widget'));
    const first = await inTenant((tx) =>
      appendMessage(tx, {
        tenantId,
        conversationId: conversation.id,
        role: 'user',
        content: 'hi',
        clientId: 'abc',
      }),
    );
    const again = await inTenant((tx) =>
      appendMessage(tx, {
        tenantId,
        conversationId: conversation.id,
        role: 'user',
        content: 'hi',
        clientId: 'abc',
      }),
    );
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ message: first.message, duplicate: true, lastSeq: 1 });
    expect(await inTenant((tx) => messagesAfter(tx, conversation.id, 0, 10))).toHaveLength(1);
  });

  it('numbers concurrent appends without collisions', async () => {
    const conversation = await inTenant((tx) => openConversation(tx, tenantId, 'v', 'widget'));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTenant((tx) =>
          appendMessage(tx, { tenantId, conversationId: conversation.id, role: 'user', content: `m${i}` }),
        ),
      ),
    );
    const seqs = (await inTenant((tx) => messagesAfter(tx, conversation.id, 0, 100))).map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('appendReplies', () => {
  const customerMessage = async (conversationId: string, content = 'Combien de temps prend la livraison ?') =>
    (await inTenant((tx) => appendMessage(tx, { tenantId, conversationId, role: 'user', content }))).message;
  const reply = (conversationId: string, answers: { id: string; seq: number }) =>
    inTenant(async (tx) => {
      const [result] = await appendReplies(tx, tenantId, [
        {
          tenantId,
          conversationId,
          answers,
          answeredMetadata: { intent: 'delivery' },
          role: 'assistant',
          content: '3 à 5 jours.',
          metadata: { reply_to: answers.id },
        },
      ]);
      return result!;
    });

  it('stores the reply after the message, adds the analysis to the message and returns the conversation', async () => {
    const conversation = await inTenant((tx) => openConversation(tx, tenantId, 'v', 'widget'));
    const asked = await customerMessage(conversation.id);
    const result = await reply(conversation.id, asked);
    expect(result.stored?.seq).toBe(2);
    expect(result.stored?.metadata['reply_to']).toBe(asked.id);
    expect(result.conversation).toMatchObject({
      id: conversation.id,
      lastSeq: 2,
      answeredSeq: 1,
      status: 'open',
    });
    expect(result.conversation?.createdAt).toBeInstanceOf(Date);
    const [stored] = await inTenant((tx) => messagesAfter(tx, conversation.id, 0, 1));
    expect(stored?.metadata['intent']).toBe('delivery');
  });

  it('stores one reply per message, however often it is answered', async () => {
    const conversation = await inTenant((tx) => openConversation(tx, tenantId, 'v', 'widget'));
    const asked = await customerMessage(conversation.id);
    const [a, b] = await Promise.all([reply(conversation.id, asked), reply(conversation.id, asked)]);
    expect([a.stored, b.stored].filter(Boolean)).toHaveLength(1);
    expect((await reply(conversation.id, asked)).stored).toBeUndefined();
    // A later message is answered as usual.
    const next = await customerMessage(conversation.id, 'Et en Belgique ?');
    expect((await reply(conversation.id, next)).stored?.seq).toBe(4);
  });

  it('stores nothing once a human wrote after the message, or owns the conversation', async () => {
    const conversation = await inTenant((tx) => openConversation(tx, tenantId, 'v', 'widget'));
    const asked = await customerMessage(conversation.id);
    await inTenant((tx) =>
      appendMessage(tx, { tenantId, conversationId: conversation.id, role: 'agent', content: 'Je regarde.' }),
    );
    const dropped = await reply(conversation.id, asked);
    expect(dropped.stored).toBeUndefined();
    // The analysis is kept whatever becomes of the reply.
    const [message] = await inTenant((tx) => messagesAfter(tx, conversation.id, 0, 1));
    expect(message?.metadata['intent']).toBe('delivery');

    const later = await customerMessage(conversation.id, 'Merci');
    await inTenant((tx) => handOverToHuman(tx, conversation.id));
    expect((await reply(conversation.id, later)).stored).toBeUndefined();
  });

  it('stores replies of many conversations together, each as alone, and refuses two for one', async () => {
    const open = await Promise.all(
      ['a', 'b', 'c'].map((user) => inTenant((tx) => openConversation(tx, tenantId, user, 'widget'))),
    );
    const asked = await Promise.all(open.map((c) => customerMessage(c.id)));
    await inTenant((tx) => handOverToHuman(tx, open[1]!.id));
    const results = await inTenant((tx) =>
      appendReplies(
        tx,
        tenantId,
        open.map((c, i) => ({
          tenantId,
          conversationId: c.id,
          answers: asked[i]!,
          answeredMetadata: { n: i },
          role: 'assistant' as const,
          content: `réponse ${i}`,
          metadata: {},
        })),
      ),
    );
    expect(results.map((r) => r.stored?.content)).toEqual(['réponse 0', undefined, 'réponse 2']);
    expect(results.map((r) => r.conversation?.id)).toEqual([open[0]!.id, undefined, open[2]!.id]);
    await expect(
      inTenant((tx) =>
        appendReplies(
          tx,
          tenantId,
          [0, 1].map(() => ({
            tenantId,
            conversationId: open[0]!.id,
            answers: asked[0]!,
            answeredMetadata: {},
            role: 'assistant' as const,
            content: 'x',
            metadata: {},
          })),
        ),
      ),
    ).rejects.toThrow(/one reply per conversation/);
  });

  it('drops a reply when a human message commits while the reply waits for the conversation', async () => {
    const conversation = await inTenant((tx) => openConversation(tx, tenantId, 'v', 'widget'));
    const asked = await customerMessage(conversation.id);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let humanStored!: () => void;
    const stored = new Promise<void>((resolve) => {
      humanStored = resolve;
    });
    // The human's transaction holds the conversation's row, uncommitted, while the reply starts.
    const human = inTenant(async (tx) => {
      await appendMessage(tx, {
        tenantId,
        conversationId: conversation.id,
        role: 'agent',
        content: 'Bonjour !',
      });
      humanStored();
      await held;
    });
    await stored;
    const bot = reply(conversation.id, asked);
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await human;
    expect((await bot).stored).toBeUndefined();
    const messages = await inTenant((tx) => messagesAfter(tx, conversation.id, 0, 10));
    expect(messages.map((m) => m.role)).toEqual(['user', 'agent']);
  });
});
