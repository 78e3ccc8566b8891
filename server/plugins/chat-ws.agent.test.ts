import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../bot/logger.ts';
import { createTenant, updateBusinessProfile } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { type OpenAiStandIn, startOpenAiStandIn } from '../../knowledge/testing/openai-stand-in.ts';
import {
  conversationMessages,
  conversations,
  escalations,
  leadScores,
  leads,
  meetings,
} from '../../migrations/schema/index.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import {
  agentRequests,
  lastMessageText,
  routeChat,
  testLlmOptions,
  toolResults,
} from '../testing/test-llm.ts';
import { TestVisitor } from '../testing/test-visitor.ts';

let testDb: TestDatabase;
let openai: OpenAiStandIn;
let server: TestApp;
let shop: { id: string };
const warnings: { object: object; message: string | undefined }[] = [];
const log: Logger = {
  debug() {},
  info() {},
  warn: (object, message) => warnings.push({ object, message }),
  error: (object, message) => warnings.push({ object, message }),
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
  warnings.length = 0;
  const db = testDb.database.db;
  shop = await createTenant(db, { slug: 'shop', name: 'The Shop' });
  await withTenant(db, shop.id, (tx) =>
    createFaqEntry(tx, shop.id, {
      lang: 'fr',
      question: 'Quels sont les délais de livraison ?',
      answer: 'La livraison prend 3 à 5 jours ouvrés.',
    }),
  );
  server = await startTestApp(testDb.database, { llmOptions: testLlmOptions(openai.baseUrl), log });
});
afterEach(async () => {
  await server.close();
});

async function assistantMessages(tenantId: string) {
  return withTenant(testDb.database.db, tenantId, (tx) =>
    tx.select().from(conversationMessages).where(eq(conversationMessages.role, 'assistant')),
  );
}

describe('the LLM agent over a real websocket', () => {
  it('searches the knowledge, streams an answer citing it as delta frames, and stores it once', async () => {
    openai.chat = routeChat((request) => {
      const [passages] = toolResults(request);
      if (!passages)
        return { toolCalls: [{ name: 'search_knowledge', arguments: { query: lastMessageText(request) } }] };
      const delay = /\[1\][^\n]*\n(La livraison prend [^\n]+)/.exec(passages)?.[1] ?? 'Je ne sais pas.';
      return { content: `${delay} [1] Autre chose ?`, chunkSize: 5 };
    });
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('Quel est le délai de livraison ?');

    expect(reply.text).toBe('La livraison prend 3 à 5 jours ouvrés. [1] Autre chose ?');
    expect(reply.citations).toEqual([
      expect.objectContaining({ title: 'Quels sont les délais de livraison ?' }),
    ]);
    const deltas = visitor.frames.flatMap((f) =>
      f.type === 'delta' && f.streamId === reply.streamId ? [f] : [],
    );
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.map((d) => d.text).join('')).toBe(reply.text);

    const calls = agentRequests(openai.chats);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.stream).toBe(true);
      expect(call.body['stream_options']).toEqual({ include_usage: true });
      expect(call.tools).toEqual(
        expect.arrayContaining([
          'search_knowledge',
          'escalate_to_human',
          'capture_lead',
          'book_meeting',
          'business_info',
        ]),
      );
    }
    const stored = await assistantMessages(shop.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.content).toBe(reply.text);
    expect(stored[0]?.metadata).toMatchObject({
      source: 'llm',
      model: 'scripted-model',
      tool_calls: ['search_knowledge'],
      llm_calls: 2,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      latency_ms: expect.any(Number),
    });
    const usage = stored[0]?.metadata['usage'] as { total_tokens: number };
    expect(usage.total_tokens).toBeGreaterThan(50);
    await visitor.close();
  });

  it('hands over to a person through escalate_to_human, with the summary the model wrote', async () => {
    openai.chat = routeChat(() => ({
      toolCalls: [
        {
          name: 'escalate_to_human',
          arguments: {
            reason: 'requested_human',
            summary: 'Wants to discuss invoice 2024-118 with accounting.',
          },
        },
      ],
    }));
    const { visitor, welcome } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('Je voudrais parler de ma facture 2024-118.');

    expect(reply.text).toMatch(/équipe/);
    const rows = await withTenant(testDb.database.db, shop.id, async (tx) => ({
      escalation: await tx.select().from(escalations),
      conversation: await tx.select().from(conversations).where(eq(conversations.id, welcome.conversationId)),
    }));
    expect(rows.escalation).toEqual([
      expect.objectContaining({
        reason: 'requested_human',
        summary: 'Wants to discuss invoice 2024-118 with accounting.',
        status: 'pending',
      }),
    ]);
    expect(rows.conversation[0]?.status).toBe('escalated');
    expect((await assistantMessages(shop.id))[0]?.metadata).toMatchObject({
      tool_calls: ['escalate_to_human'],
    });
    await visitor.close();
  });

  it('records a lead through capture_lead, with the phone number normalised', async () => {
    openai.chat = routeChat((request) => {
      const [result] = toolResults(request);
      if (result) return { content: 'Merci Marie, notre équipe vous recontacte très vite.' };
      return {
        toolCalls: [
          {
            name: 'capture_lead',
            arguments: {
              name: 'Marie Curie',
              email: 'marie@radium.example',
              phone: '06 12 34 56 78',
              company: 'Radium',
              need: '200 licences',
            },
          },
        ],
      };
    });
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask("Bonjour, c'est pour un devis, vous pouvez me rappeler ?");

    expect(reply.text).toContain('Merci Marie');
    const [saved] = toolResults(agentRequests(openai.chats)[1]!);
    expect(saved).toMatch(/^Saved \(name, company, email, phone, need\)/);
    const rows = await withTenant(testDb.database.db, shop.id, async (tx) => ({
      leads: await tx.select().from(leads),
      scores: await tx.select().from(leadScores),
    }));
    expect(rows.leads).toEqual([
      expect.objectContaining({
        name: 'Marie Curie',
        email: 'marie@radium.example',
        phone: '+33612345678',
        company: 'Radium',
        need: '200 licences',
      }),
    ]);
    expect(rows.scores.length).toBeGreaterThan(0);
    expect((await assistantMessages(shop.id))[0]?.metadata['lead_id']).toBe(rows.leads[0]?.id);
    await visitor.close();
  });

  it('offers the Cal.com link through book_meeting and records the meeting', async () => {
    await withTenant(testDb.database.db, shop.id, (tx) =>
      updateBusinessProfile(tx, shop.id, { calcomUrl: 'https://cal.com/the-shop/demo' }),
    );
    openai.chat = routeChat((request) => {
      const [result] = toolResults(request);
      if (!result) return { toolCalls: [{ name: 'book_meeting', arguments: {} }] };
      const link = /Booking link: (\S+)/.exec(result)?.[1] ?? 'no link';
      return { content: `Choisissez un créneau ici : ${link}` };
    });
    const { visitor, welcome } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('Je voudrais une démo la semaine prochaine.');

    const rows = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(meetings));
    expect(rows).toEqual([
      expect.objectContaining({ status: 'offered', conversationId: welcome.conversationId }),
    ]);
    expect(rows[0]?.meetingUrl).toMatch(/^https:\/\/cal\.com\/the-shop\/demo\?/);
    expect(reply.text).toBe(`Choisissez un créneau ici : ${rows[0]?.meetingUrl}`);
    expect((await assistantMessages(shop.id))[0]?.metadata['meeting_id']).toBe(rows[0]?.id);
    await visitor.close();
  });

  it('says online booking is unavailable when the tenant has no booking page', async () => {
    openai.chat = routeChat((request) =>
      toolResults(request).length === 0
        ? { toolCalls: [{ name: 'book_meeting', arguments: {} }] }
        : { content: 'Laissez-moi vos coordonnées, nous organiserons un rendez-vous.' },
    );
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    await visitor.ask('Je voudrais un rendez-vous.');
    expect(toolResults(agentRequests(openai.chats)[1]!)[0]).toMatch(/^Online booking is not available/);
    expect(await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(meetings))).toEqual([]);
    await visitor.close();
  });
});

describe('when the LLM fails', () => {
  it('answers with the offline responder after an LLM 500, retried first, and logs the failure', async () => {
    await server.close();
    server = await startTestApp(testDb.database, {
      llmOptions: testLlmOptions(openai.baseUrl, { maxRetries: 1 }),
      log,
    });
    openai.chat = routeChat(() => ({ status: 500, message: 'upstream exploded at line 42' }));
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('Quel est le délai de livraison ?');

    expect(reply.text).toContain('3 à 5 jours');
    expect(agentRequests(openai.chats)).toHaveLength(2);
    const stored = await assistantMessages(shop.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.metadata).toMatchObject({ source: 'knowledge', llm_error: 'http_500' });
    expect(warnings.map((w) => w.message)).toContain('the LLM agent failed; the offline responder answers');
    const everything = JSON.stringify(visitor.frames);
    expect(everything).not.toMatch(/exploded|stack|Error|at .*\.ts/);
    await visitor.close();
  });

  it('answers with the offline responder when the LLM does not answer in time', async () => {
    openai.chat = routeChat(() => ({ delayMs: 10_000, content: 'far too late' }));
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const started = Date.now();
    const { reply } = await visitor.ask('Quel est le délai de livraison ?');

    expect(Date.now() - started).toBeLessThan(8000);
    expect(reply.text).toContain('3 à 5 jours');
    expect(reply.text).not.toContain('far too late');
    const stored = await assistantMessages(shop.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.metadata).toMatchObject({ source: 'knowledge', llm_error: 'timeout' });
    await visitor.close();
  });
});
