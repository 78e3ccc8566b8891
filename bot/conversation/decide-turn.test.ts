import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { systemClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import type { BotReply, Responder } from '../responder.ts';
import { DEFAULT_BOT_SETTINGS } from '../settings/bot-settings-store.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { createLocalConversationEvents } from './conversation-events.ts';
import { type Conversation, openConversation, type StoredMessage } from './conversation-store.ts';
import { createTurnDecider } from './decide-turn.ts';
import type { Turn } from './turn.ts';

let testDb: TestDatabase;
let tenantId: string;
let conversation: Conversation;

beforeAll(async () => {
  testDb = await createTestDatabase();
  tenantId = (await createTenant(testDb.database.db, { slug: 'decide', name: 'Decide' })).id;
  conversation = await withTenant(testDb.database.db, tenantId, (tx) =>
    openConversation(tx, tenantId, 'visitor', 'widget'),
  );
});
afterAll(async () => {
  await testDb.destroy();
});

/** Frozen all the way down: writing into it throws (modules run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function turnOf(text: string, earlier: StoredMessage[] = []): Turn {
  const message = deepFreeze({
    id: '00000000-0000-4000-8000-000000000001',
    conversationId: conversation.id,
    tenantId,
    seq: earlier.length + 1,
    role: 'user',
    content: text,
    clientId: null,
    metadata: { visitor: { name: 'Ann' } },
    createdAt: new Date(0),
  } satisfies StoredMessage);
  return deepFreeze({
    input: { tenantId, conversationId: conversation.id, channel: 'widget' },
    message,
    state: {
      conversation,
      recent: [...earlier, message],
      settings: { ...DEFAULT_BOT_SETTINGS, lowConfidenceTurns: 1 },
      profile: undefined,
      tenant: undefined,
      lead: undefined,
      model: undefined,
    },
  });
}

function deciderAnswering(reply: BotReply) {
  const responder: Responder = { respond: async () => deepFreeze(structuredClone(reply)) };
  return createTurnDecider({
    db: testDb.database.db,
    responder,
    events: createLocalConversationEvents(),
    log: silentLogger,
    clock: systemClock,
    leads: undefined,
    summarizer: undefined,
    typingDelayMs: 1_000,
  });
}

describe('deciding a turn', () => {
  it('returns the message as analysed and leaves the message it was given as it came', async () => {
    const turn = turnOf('Where is my parcel?');
    const decide = deciderAnswering({ text: 'On its way.', citations: [], metadata: { confidence: 0.9 } });
    const decision = await decide(turn);
    expect(decision.message.metadata).toMatchObject({
      visitor: { name: 'Ann' },
      intent: expect.any(String),
      sentiment: expect.any(Number),
    });
    expect(decision.analysed).toEqual({
      intent: decision.message.metadata['intent'],
      intent_confidence: decision.message.metadata['intent_confidence'],
      intent_source: decision.message.metadata['intent_source'],
      sentiment: decision.message.metadata['sentiment'],
    });
    expect(turn.message.metadata).toEqual({ visitor: { name: 'Ann' } });
    expect(decision.reply).toMatchObject({
      text: 'On its way.',
      metadata: { confidence: 0.9, unsure: false },
    });
  });

  it('hands over after too many unsure answers without writing into the responder’s reply', async () => {
    const turn = turnOf('Do you sell submarines?');
    const decide = deciderAnswering({ text: 'Maybe?', citations: [], metadata: { confidence: 0.1 } });
    const decision = await decide(turn);
    expect(decision.escalation).toEqual({ reason: 'low_confidence', summary: expect.any(String) });
    expect(decision.reply?.metadata).toMatchObject({ unsure: true, escalation_reason: 'low_confidence' });
    // The notice alone: the unsure answer is not said.
    expect(decision.reply?.text).not.toContain('Maybe?');
  });

  it('completes the responder’s own escalation with a summary, and relays its text as it is', async () => {
    const turn = turnOf('I want to talk to the manager about my order');
    const decide = deciderAnswering({
      text: 'I am handing you over to the team.',
      citations: [],
      metadata: {},
      escalation: { reason: 'order_issue', summary: null },
    });
    const decision = await decide(turn);
    expect(decision.escalation?.reason).toBe('order_issue');
    expect(decision.escalation?.summary).toContain('manager');
    expect(decision.reply?.text).toBe('I am handing you over to the team.');
  });
});
