import type { Db } from '../../db/database.ts';
import type { Retriever } from '../../knowledge/retrieve/retrieval-hit.ts';
import type { Clock } from '../clock.ts';
import type { LlmServices } from '../create-bot.ts';
import type { Logger } from '../logger.ts';
import type { TopicLabeler } from '../topics/topic-label.ts';
import { createAgentResponder } from './agent-responder.ts';
import { createChatModel } from './chat-model.ts';
import { classifyIntentWithLlm } from './classify-intent.ts';
import { createConversationMemory } from './conversation-memory.ts';
import type { LlmOptions } from './llm-options.ts';
import { labelTopicWithLlm, summarizeForEscalation, summarizeForMemory } from './llm-summaries.ts';
import { scoreLeadWithLlm } from './score-lead-with-llm.ts';
import { createTenantLimiter } from './tenant-limiter.ts';

const TOPICS_POOL = 'daily-topics';

export interface LlmServicesDeps {
  options: LlmOptions;
  db: Db;
  retriever: Retriever;
  log: Logger;
  clock: Clock;
}

/**
 * Everything the LLM adds to the bot, over one chat model: the agent responder, intent
 * classification, lead scoring and summaries. Every call, whatever it is for, takes a slot of its
 * tenant's limiter.
 */
export function createLlmServices(
  deps: LlmServicesDeps,
): LlmServices & { labelTopic: TopicLabeler; stop(): Promise<void> } {
  const model = createChatModel(deps.options);
  const limiter = createTenantLimiter(deps.options.concurrencyPerTenant);
  const memory = createConversationMemory({
    db: deps.db,
    log: deps.log,
    summarize: (tenantId, previous, messages) =>
      limiter.schedule(tenantId, () => summarizeForMemory(model, previous, messages)),
  });
  return {
    responder: (offline, leads) =>
      createAgentResponder({
        db: deps.db,
        retriever: deps.retriever,
        leads,
        model,
        modelName: deps.options.model,
        limiter,
        memory,
        offline,
        log: deps.log,
        clock: deps.clock,
        timeoutMs: deps.options.timeoutMs,
        maxToolCalls: deps.options.maxToolCalls,
      }),
    classifyIntent: (text, intents, tenantId) =>
      limiter.schedule(tenantId, () => classifyIntentWithLlm(model, text, intents)),
    scoreLead: (input) => limiter.schedule(input.tenantId, () => scoreLeadWithLlm(model, input)),
    summarize: (reason, messages) =>
      limiter.schedule(messages[0]?.tenantId ?? 'unknown', () =>
        summarizeForEscalation(model, reason, messages),
      ),
    // The daily job's calls share a pool of their own, so naming topics never delays a visitor.
    labelTopic: (keywords, samples) =>
      limiter.schedule(TOPICS_POOL, () => labelTopicWithLlm(model, keywords, samples)),
    stop: () => limiter.stop(),
  };
}
