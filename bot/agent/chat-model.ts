import { ChatOpenAICompletions } from '@langchain/openai';
import type { LlmOptions } from './llm-options.ts';

/** Sent when no key is configured: local OpenAI-compatible servers ignore it, the client requires one. */
const NO_KEY = 'no-key';

/**
 * The chat model, always over the Chat Completions API: it is what every OpenAI-compatible
 * server (Ollama, vLLM, LM Studio) speaks, whereas ChatOpenAI switches some model names to the
 * Responses API on its own. Retries (exponential backoff with jitter) and the per-call timeout are
 * the client's; usage is asked for on streams so that each answer records its tokens.
 */
export function createChatModel(options: LlmOptions): ChatOpenAICompletions {
  return new ChatOpenAICompletions({
    model: options.model,
    apiKey: options.apiKey ?? NO_KEY,
    configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    streamUsage: true,
    temperature: 0.2,
  });
}
