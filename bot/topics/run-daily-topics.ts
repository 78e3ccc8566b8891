import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { getBusinessProfile } from '../tenants/tenant-store.ts';
import { dayCustomerMessages } from './day-messages.ts';
import { type FindTopicsOptions, findTopics } from './find-topics.ts';
import { groupUnanswered } from './group-unanswered.ts';
import type { MessageVectorizer } from './message-vectorizer.ts';
import { InvalidTopicDateError, knownTimeZone, localDate, parseTopicDate } from './topic-date.ts';
import type { TopicLabeler } from './topic-label.ts';
import { replaceDayReport } from './topic-store.ts';

export interface DailyTopicsDeps {
  db: Db;
  vectorizer: MessageVectorizer;
  /** Used when `vectorizer` fails (an embedding API down): the offline TF-IDF vectors. */
  fallback?: MessageVectorizer | undefined;
  /** Names topics (an LLM); keyword labels without it. */
  label?: TopicLabeler | undefined;
  log: Logger;
  clock?: Clock | undefined;
  options?: Omit<FindTopicsOptions, 'signal'>;
}

export interface DaySummary {
  tenantId: string;
  date: string;
  timezone: string;
  messageCount: number;
  clusteredCount: number;
  /** Topics found, outliers not counted. */
  topicCount: number;
  unansweredCount: number;
  unansweredGroups: number;
  method: string;
}

/**
 * Computes one tenant's topics and unanswered questions for one day of its calendar (its business
 * profile's time zone) and stores them in place of any earlier run of that day. Reading, computing
 * and writing are three steps: no transaction stays open while vectors are computed (an embedding
 * API can take seconds), and the write replaces the whole day at once.
 */
export async function runDailyTopics(
  deps: DailyTopicsDeps,
  tenantId: string,
  date: string,
  signal?: AbortSignal,
): Promise<DaySummary> {
  parseTopicDate(date);
  const clock = deps.clock ?? systemClock;
  const now = clock.now();
  const { timezone, messages } = await withTenant(deps.db, tenantId, async (tx) => {
    const zone = knownTimeZone((await getBusinessProfile(tx, tenantId))?.timezone);
    const today = localDate(now, zone);
    if (date > today) {
      throw new InvalidTopicDateError(`${date} has not begun yet in ${zone} (today is ${today})`);
    }
    return { timezone: zone, messages: await dayCustomerMessages(tx, tenantId, date, zone) };
  });
  const questions = messages.filter((message) => message.unanswered);
  const compute = async (vectorizer: MessageVectorizer) => ({
    method: vectorizer.method,
    found: await findTopics(
      messages,
      { vectorizer, log: deps.log, ...(deps.label ? { label: deps.label } : {}) },
      { ...deps.options, ...(signal ? { signal } : {}) },
    ),
    unanswered: await groupUnanswered(questions, vectorizer, signal ? { signal } : {}),
  });
  let result: Awaited<ReturnType<typeof compute>>;
  try {
    result = await compute(deps.vectorizer);
  } catch (error) {
    if (!deps.fallback || signal?.aborted) throw error;
    deps.log.warn(
      { err: error, tenantId, date, method: deps.vectorizer.method },
      'topic vectors failed; using the offline ones',
    );
    result = await compute(deps.fallback);
  }
  await withTenant(deps.db, tenantId, (tx) =>
    replaceDayReport(tx, tenantId, {
      date,
      timezone,
      messageCount: messages.length,
      clusteredCount: result.found.clusteredCount,
      unansweredCount: questions.length,
      method: result.method,
      computedAt: now,
      topics: result.found.topics,
      unanswered: result.unanswered,
    }),
  );
  return {
    tenantId,
    date,
    timezone,
    messageCount: messages.length,
    clusteredCount: result.found.clusteredCount,
    topicCount: result.found.topics.filter((topic) => topic.topicId >= 0).length,
    unansweredCount: questions.length,
    unansweredGroups: result.unanswered.length,
    method: result.method,
  };
}
