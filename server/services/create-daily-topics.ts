import type { Clock } from '../../bot/clock.ts';
import type { Logger } from '../../bot/logger.ts';
import { createEmbedderMessageVectorizer } from '../../bot/topics/embedder-message-vectorizer.ts';
import { type DaySummary, runDailyTopics } from '../../bot/topics/run-daily-topics.ts';
import { createTfidfMessageVectorizer } from '../../bot/topics/tfidf-message-vectorizer.ts';
import type { TopicLabeler } from '../../bot/topics/topic-label.ts';
import { createTopicsScheduler, type TopicsScheduler } from '../../bot/topics/topics-scheduler.ts';
import type { Db } from '../../db/database.ts';
import type { Embedder } from '../../knowledge/embed/embedder.ts';
import { HASHED_EMBEDDING_MODEL } from '../../knowledge/embed/hashed-embedder.ts';

export interface DailyTopics {
  run(tenantId: string, date: string, signal?: AbortSignal): Promise<DaySummary>;
  scheduler: TopicsScheduler;
}

/**
 * The topics job as the server and the CLI run it: the knowledge side's embedder when it is a
 * real model (OpenAI or compatible), TF-IDF over the day's messages otherwise and whenever the
 * model fails. The offline hashed embedder is not used here: fitted on the day itself, TF-IDF
 * knows which words are that day's common currency.
 */
export function createDailyTopics(options: {
  db: Db;
  embedder?: Embedder | undefined;
  label?: TopicLabeler | undefined;
  log: Logger;
  clock?: Clock | undefined;
}): DailyTopics {
  const offline = createTfidfMessageVectorizer();
  const embedder = options.embedder?.model === HASHED_EMBEDDING_MODEL ? undefined : options.embedder;
  const deps = {
    db: options.db,
    vectorizer: embedder ? createEmbedderMessageVectorizer(embedder) : offline,
    fallback: embedder ? offline : undefined,
    label: options.label,
    log: options.log,
    clock: options.clock,
  };
  const run = (tenantId: string, date: string, signal?: AbortSignal) =>
    runDailyTopics(deps, tenantId, date, signal);
  return {
    run,
    scheduler: createTopicsScheduler({
      db: options.db,
      run,
      log: options.log,
      clock: options.clock,
    }),
  };
}
