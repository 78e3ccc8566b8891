import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { conversations } from '../../migrations/schema/index.ts';
import {
  appendMessage,
  openConversation,
  recentMessages,
  type StoredMessage,
} from '../conversation/conversation-store.ts';
import { silentLogger } from '../logger.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { createConversationMemory, SUMMARY_STEP } from './conversation-memory.ts';

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
  tenantId = (await createTenant(testDb.database.db, { slug: 'memory', name: 'Memory' })).id;
  conversationId = (
    await withTenant(testDb.database.db, tenantId, (tx) =>
      openConversation(tx, tenantId, 'visitor', 'widget'),
    )
  ).id;
});

async function say(count: number) {
  await withTenant(testDb.database.db, tenantId, async (tx) => {
    const existing = await recentMessages(tx, conversationId, 1);
    const start = existing[0]?.seq ?? 0;
    for (let i = 1; i <= count; i += 1) {
      const seq = start + i;
      await appendMessage(tx, {
        tenantId,
        conversationId,
        role: seq % 2 === 1 ? 'user' : 'assistant',
        content: `message ${seq}`,
      });
    }
  });
}

/** What the turn handler passes: the 20 messages before the one being answered. */
async function history(): Promise<StoredMessage[]> {
  return withTenant(testDb.database.db, tenantId, (tx) => recentMessages(tx, conversationId, 20));
}

function recorder(result = (n: number) => `summary ${n}`) {
  const calls: { previous: string | null; seqs: number[] }[] = [];
  const memory = createConversationMemory({
    db: testDb.database.db,
    log: silentLogger,
    summarize: async (_tenant, previous, messages) => {
      calls.push({ previous, seqs: messages.map((m) => m.seq) });
      return result(calls.length);
    },
  });
  return { memory, calls };
}

describe('conversation memory', () => {
  it('shows a short conversation verbatim, with no summary', async () => {
    await say(10);
    const { memory, calls } = recorder();
    const recalled = await memory.recall({ tenantId, conversationId, history: await history() });
    expect(recalled.summary).toBeNull();
    expect(recalled.recent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(calls).toEqual([]);
  });

  it('summarises older messages once, caches the summary, and extends it a step later', async () => {
    await say(30);
    const { memory, calls } = recorder();
    const first = await memory.recall({ tenantId, conversationId, history: await history() });
    // Messages 11–30 are passed; the 12 latest start at 19, so the summary covers 1–16.
    expect(calls).toEqual([{ previous: null, seqs: Array.from({ length: 16 }, (_, i) => i + 1) }]);
    expect(first.summary).toBe('summary 1');
    expect(first.recent[0]?.seq).toBe(17);
    expect(first.recent.at(-1)?.seq).toBe(30);

    const again = await memory.recall({ tenantId, conversationId, history: await history() });
    expect(again.summary).toBe('summary 1');
    expect(calls).toHaveLength(1);
    const [row] = await withTenant(testDb.database.db, tenantId, (tx) =>
      tx.select().from(conversations).where(eq(conversations.id, conversationId)),
    );
    expect(row?.metadata['memory']).toEqual({ through_seq: 16, text: 'summary 1' });

    await say(SUMMARY_STEP);
    const later = await memory.recall({ tenantId, conversationId, history: await history() });
    expect(calls[1]).toEqual({ previous: 'summary 1', seqs: [17, 18, 19, 20, 21, 22, 23, 24] });
    expect(later.summary).toBe('summary 2');
    expect(later.recent[0]?.seq).toBe(25);
  });

  it('keeps the older summary when summarising fails', async () => {
    await say(30);
    const { memory } = recorder();
    await memory.recall({ tenantId, conversationId, history: await history() });
    await say(SUMMARY_STEP);
    const failing = createConversationMemory({
      db: testDb.database.db,
      log: silentLogger,
      summarize: async () => {
        throw new Error('model down');
      },
    });
    const recalled = await failing.recall({ tenantId, conversationId, history: await history() });
    expect(recalled.summary).toBe('summary 1');
    expect(recalled.recent[0]?.seq).toBe(25);
  });
});
