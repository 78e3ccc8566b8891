/** How the bot reaches its LLM; server/config.ts reads these from the environment. */
export interface LlmOptions {
  /** Unset for local servers that need no key (Ollama). */
  apiKey: string | undefined;
  /** Any OpenAI-compatible server; undefined is OpenAI itself. */
  baseUrl: string | undefined;
  model: string;
  /** Per LLM call, before it counts as failed. */
  timeoutMs: number;
  /** Retries of a failed call, with exponential backoff. */
  maxRetries: number;
  /** LLM calls in flight at once per tenant. */
  concurrencyPerTenant: number;
  /** Tool calls the agent may make to answer one message. */
  maxToolCalls: number;
}
