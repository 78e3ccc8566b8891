import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../migrations/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../migrations/test-database.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { appendMessage, messagesAfter, openConversation, recentMessages } from './conversation-store.ts';

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
