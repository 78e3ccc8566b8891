import type { LlmOptions } from '../../bot/agent/llm-options.ts';
import {
  type ChatRequest,
  type ChatScript,
  lastMessageText,
} from '../../knowledge/testing/chat-completions.ts';

/** A key that must never appear anywhere but in the Authorization header. */
export const TEST_LLM_KEY = 'sk-test-5ecret-9f3a2c';

/** The LLM settings of the agent tests: fast timeouts, one retry, the scripted server's URL. */
export function testLlmOptions(baseUrl: string, overrides: Partial<LlmOptions> = {}): LlmOptions {
  return {
    apiKey: TEST_LLM_KEY,
    baseUrl,
    model: 'scripted-model',
    timeoutMs: 1500,
    maxRetries: 0,
    concurrencyPerTenant: 2,
    maxToolCalls: 4,
    ...overrides,
  };
}

/**
 * Routes the scripted model's requests by what they are: structured output (intent
 * classification, lead scoring) gets fixed verdicts, requests without tools (summaries) a fixed
 * summary, and the agent's tool-calling requests go to `agent`.
 */
export function routeChat(agent: (request: ChatRequest) => ChatScript) {
  return (request: ChatRequest): ChatScript => {
    if (request.responseFormat) {
      const name = JSON.stringify(request.responseFormat).includes('score_lead') ? 'score_lead' : 'classify';
      return name === 'score_lead'
        ? { content: JSON.stringify({ score_value: 60, reasoning: 'Asked for a quote.' }) }
        : { content: JSON.stringify({ intent: 'oos', confidence: 0.3 }) };
    }
    if (request.tools.length === 0) return { content: 'The customer needs help with an order.' };
    return agent(request);
  };
}

/** The tool results the agent has received so far in this request (the latest last). */
export function toolResults(request: ChatRequest): string[] {
  return request.messages
    .filter((m) => m.role === 'tool')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
}

/** The agent's requests (those offering tools), in order. */
export function agentRequests(requests: readonly ChatRequest[]): ChatRequest[] {
  return requests.filter((r) => r.tools.length > 0);
}

export { lastMessageText };
