import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OpenAiStandIn, startOpenAiStandIn } from '../../knowledge/testing/openai-stand-in.ts';
import { scoreLeadByRules } from '../leads/score-lead.ts';
import { silentLogger } from '../logger.ts';
import { labelTopic } from '../topics/topic-label.ts';
import { createChatModel } from './chat-model.ts';
import { classifyIntentWithLlm } from './classify-intent.ts';
import { labelTopicWithLlm, summarizeForEscalation } from './llm-summaries.ts';
import { scoreLeadWithLlm } from './score-lead-with-llm.ts';

let openai: OpenAiStandIn;
let model: ReturnType<typeof createChatModel>;

beforeAll(async () => {
  openai = await startOpenAiStandIn();
  model = createChatModel({
    apiKey: undefined,
    baseUrl: openai.baseUrl,
    model: 'llama3.1:8b',
    timeoutMs: 2000,
    maxRetries: 0,
    concurrencyPerTenant: 1,
    maxToolCalls: 3,
  });
});
afterAll(() => openai.close());
beforeEach(() => {
  openai.chats.length = 0;
  openai.requests.length = 0;
});

const intents = [
  { name: 'shipping', description: 'Delivery times and costs' },
  { name: 'pricing', description: null },
];

describe('classifyIntentWithLlm', () => {
  it('asks for a JSON schema limited to the tenant’s intents and returns the validated answer', async () => {
    openai.chat = () => ({ content: '{"intent":"shipping","confidence":0.87}' });
    expect(await classifyIntentWithLlm(model, 'Vous livrez en Belgique ?', intents)).toEqual({
      intent: 'shipping',
      confidence: 0.87,
    });
    const [request] = openai.chats;
    expect(request?.responseFormat?.['type']).toBe('json_schema');
    expect(JSON.stringify(request?.responseFormat)).toContain('"enum":["shipping","pricing","oos"]');
    expect(request?.messages.at(-1)).toEqual({ role: 'user', content: 'Vous livrez en Belgique ?' });
    // A local server that needs no key still gets one, as the client requires.
    expect(openai.requests[0]?.authorization).toBe('Bearer no-key');
  });

  it('rejects an intent outside the list, so the offline classifier answers instead', async () => {
    openai.chat = () => ({ content: '{"intent":"hack_the_planet","confidence":1}' });
    await expect(classifyIntentWithLlm(model, 'hello', intents)).rejects.toThrow();
  });
});

describe('scoreLeadWithLlm', () => {
  const signals = {
    purchase_intent: true,
    intents: ['purchase_interest'],
    quantity_or_budget: '200 licences',
    urgency: null,
    contact: { email: true, phone: false, name: true, company: false },
  };
  const rules = scoreLeadByRules(signals);

  it('lets the model move the rule score by at most 25 points and keeps both reasonings', async () => {
    openai.chat = () => ({ content: '{"score_value":100,"reasoning":"Needs it this week."}' });
    const score = await scoreLeadWithLlm(model, { signals, rules, transcript: 'We need 200 licences' });
    expect(rules.scoreValue).toBe(75);
    expect(score).toEqual({
      score: 'hot',
      scoreValue: 100,
      reasoning: `${rules.reasoning}; LLM: Needs it this week.`,
      source: 'llm',
    });
    openai.chat = () => ({ content: '{"score_value":0,"reasoning":"Just browsing."}' });
    const lowered = await scoreLeadWithLlm(model, { signals, rules, transcript: 'just looking' });
    expect(lowered).toMatchObject({ score: 'warm', scoreValue: 50 });
  });
});

describe('summarizeForEscalation', () => {
  it('summarises the conversation for the team, from a transcript of it', async () => {
    openai.chat = () => ({ content: '  The customer wants a refund for order 118.  ' });
    const summary = await summarizeForEscalation(model, 'refund_request', [
      message('user', 'I want a refund for order 118'),
      message('assistant', 'Let me check.'),
    ]);
    expect(summary).toBe('The customer wants a refund for order 118.');
    expect(openai.chats[0]?.messages.at(-1)?.content).toContain(
      'Customer: I want a refund for order 118\nAssistant: Let me check.',
    );
  });

  it('refuses an empty summary, so the extractive one is used', async () => {
    openai.chat = () => ({ content: '' });
    await expect(summarizeForEscalation(model, 'complaint', [message('user', 'bad')])).rejects.toThrow(
      /empty summary/,
    );
  });
});

function message(role: string, content: string) {
  return {
    id: crypto.randomUUID(),
    conversationId: 'c',
    tenantId: 't',
    seq: 1,
    role,
    content,
    clientId: null,
    metadata: {},
    createdAt: new Date(),
  };
}

describe('labelTopicWithLlm', () => {
  const keywords = ['livraison', 'délai', 'colis'];
  const samples = ['Combien de temps pour la livraison ?', 'Mon colis arrive quand ?'];
  const viaModel = (k: string[], m: string[]) => labelTopicWithLlm(model, k, m);

  it('names a topic from its keywords and messages, quotes and full stop removed', async () => {
    openai.chat = () => ({ content: '« Délais de livraison. »' });
    expect(await labelTopic(keywords, samples, viaModel, silentLogger)).toBe('Délais de livraison');
    const prompt = JSON.stringify(openai.chats[0]?.messages);
    expect(prompt).toContain('livraison, délai, colis');
    expect(prompt).toContain('Mon colis arrive quand ?');
  });

  it('falls back to the keywords when the model fails', async () => {
    openai.chat = () => ({ status: 500, message: 'model crashed' });
    expect(await labelTopic(keywords, samples, viaModel, silentLogger)).toBe('Livraison, délai, colis');
  });
});
