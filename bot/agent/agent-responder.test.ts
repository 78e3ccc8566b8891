import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import type { RetrievalHit, Retriever } from '../../knowledge/retrieve/retrieval-hit.ts';
import { promptText } from '../../knowledge/testing/chat-completions.ts';
import { type OpenAiStandIn, startOpenAiStandIn } from '../../knowledge/testing/openai-stand-in.ts';
import { systemClock } from '../clock.ts';
import { appendMessage, openConversation, recentMessages } from '../conversation/conversation-store.ts';
import { createLeadTracker } from '../leads/lead-tracker.ts';
import { silentLogger } from '../logger.ts';
import { createOfflineResponder } from '../offline/offline-responder.ts';
import type { TurnContext } from '../responder.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { createAgentResponder } from './agent-responder.ts';
import { createChatModel } from './chat-model.ts';
import { createConversationMemory } from './conversation-memory.ts';
import { summarizeForMemory } from './llm-summaries.ts';
import { createTenantLimiter } from './tenant-limiter.ts';

let testDb: TestDatabase;
let openai: OpenAiStandIn;
let tenantId: string;
let conversationId: string;
const searches: string[] = [];

const retriever: Retriever = {
  async retrieve(_tenantId, query) {
    searches.push(query);
    const hit: RetrievalHit = {
      chunkId: 'chunk-1',
      sourceType: 'faq',
      sourceId: null,
      title: 'Delivery',
      content: 'Delivery takes 3 to 5 business days.',
      lang: 'en',
      score: 0.8,
      citation: { title: 'Delivery' },
    };
    return /deliver/i.test(query) ? [hit] : [];
  },
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  openai = await startOpenAiStandIn();
});
afterAll(async () => {
  await openai.close();
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  openai.chats.length = 0;
  searches.length = 0;
  tenantId = (await createTenant(testDb.database.db, { slug: 'agent', name: 'Agent Shop' })).id;
  conversationId = (
    await withTenant(testDb.database.db, tenantId, (tx) =>
      openConversation(tx, tenantId, 'visitor', 'widget'),
    )
  ).id;
});

function responder(maxToolCalls = 3) {
  const db = testDb.database.db;
  const model = createChatModel({
    apiKey: 'sk-test',
    baseUrl: openai.baseUrl,
    model: 'scripted',
    timeoutMs: 2000,
    maxRetries: 0,
    concurrencyPerTenant: 2,
    maxToolCalls,
  });
  return createAgentResponder({
    db,
    retriever,
    leads: createLeadTracker({ db, clock: systemClock, log: silentLogger }),
    model,
    modelName: 'scripted',
    limiter: createTenantLimiter(2),
    memory: createConversationMemory({
      db,
      log: silentLogger,
      summarize: (_tenant, previous, messages) => summarizeForMemory(model, previous, messages),
    }),
    offline: createOfflineResponder({ db, retriever }),
    log: silentLogger,
    clock: systemClock,
    timeoutMs: 2000,
    maxToolCalls,
  });
}

/** Stores `earlier` messages and then the customer's `text`; returns the context a turn would get. */
async function turn(text: string, earlier: { role: string; content: string }[] = []): Promise<TurnContext> {
  return withTenant(testDb.database.db, tenantId, async (tx) => {
    for (const m of earlier)
      await appendMessage(tx, { tenantId, conversationId, role: m.role as 'user', content: m.content });
    const { message } = await appendMessage(tx, { tenantId, conversationId, role: 'user', content: text });
    const history = (await recentMessages(tx, conversationId, 21)).filter((m) => m.seq < message.seq);
    return { tenantId, conversationId, channel: 'widget', message, history };
  });
}

describe('the agent responder', () => {
  it('caps tool calls: a model that never stops searching is cut off, and the offline bot answers', async () => {
    openai.chat = () => ({
      toolCalls: [{ name: 'search_knowledge', arguments: { query: 'delivery times' } }],
    });
    const reply = await responder(3).respond(await turn('How long is delivery?'));

    // Three searches run; the fourth call is refused and ends the run without an answer.
    expect(searches.filter((q) => q === 'delivery times')).toHaveLength(3);
    expect(openai.chats).toHaveLength(4);
    expect(reply?.metadata).toMatchObject({ source: 'knowledge', llm_error: 'empty_answer' });
    expect(reply?.text).toContain('3 to 5 business days');
  });

  it('shows the model a summary of older messages and the latest ones verbatim, a team member’s as such', async () => {
    const earlier = Array.from({ length: 29 }, (_, i) => ({
      role: i === 27 ? 'agent' : i % 2 === 0 ? 'user' : 'assistant',
      content: `earlier message ${i + 1}`,
    }));
    openai.chat = (request) =>
      request.tools.length === 0 ? { content: 'The customer ordered soap.' } : { content: 'Noted!' };
    const reply = await responder().respond(await turn('And my order?', earlier));

    expect(reply?.text).toBe('Noted!');
    const summaryRequest = openai.chats.find((r) => r.tools.length === 0);
    expect(promptText(summaryRequest!)).toContain(
      'Customer: earlier message 1\nAssistant: earlier message 2',
    );
    const agentRequest = openai.chats.find((r) => r.tools.length > 0)!;
    const [system, ...rest] = agentRequest.messages;
    expect(String(system?.content)).toContain('Earlier in this conversation');
    expect(String(system?.content)).toContain('The customer ordered soap.');
    expect(rest.map((m) => m.content).slice(0, 2)).toEqual(['earlier message 17', 'earlier message 18']);
    expect(rest.at(-1)).toEqual({ role: 'user', content: 'And my order?' });
    expect(rest.find((m) => m.content === 'earlier message 28')).toMatchObject({
      role: 'assistant',
      name: 'team_member',
    });
  });

  it('records the answering model, token usage and latency, and credits the passage it cites', async () => {
    openai.chat = (request) =>
      request.messages.at(-1)?.role === 'tool'
        ? {
            content: 'Delivery takes 3 to 5 business days [1].',
            usage: { prompt_tokens: 120, completion_tokens: 12 },
          }
        : {
            toolCalls: [{ name: 'search_knowledge', arguments: { query: 'delivery' } }],
            usage: { prompt_tokens: 100, completion_tokens: 8 },
          };
    const reply = await responder().respond(await turn('How long is delivery?'));
    expect(reply?.citations).toEqual([{ title: 'Delivery' }]);
    expect(reply?.metadata).toMatchObject({
      source: 'llm',
      model: 'scripted',
      usage: { input_tokens: 220, output_tokens: 20, total_tokens: 240 },
      chunk_ids: ['chunk-1'],
      confidence: 0.8,
      llm_calls: 2,
    });
    expect(reply?.metadata['latency_ms']).toBeGreaterThanOrEqual(0);
  });
});
