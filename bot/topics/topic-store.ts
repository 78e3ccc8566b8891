import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/database.ts';
import {
  conversationMessages,
  topicRuns,
  topicsDaily,
  unansweredQuestionsDaily,
} from '../../migrations/schema/index.ts';
import type { Topic } from './find-topics.ts';
import type { UnansweredGroup } from './group-unanswered.ts';

export interface DayReport {
  date: string;
  timezone: string;
  messageCount: number;
  clusteredCount: number;
  unansweredCount: number;
  method: string;
  computedAt: Date;
  topics: readonly Topic[];
  unanswered: readonly UnansweredGroup[];
}

export interface SampleMessage {
  id: string;
  text: string;
}

export interface StoredDay {
  run: {
    timezone: string;
    messageCount: number;
    clusteredCount: number;
    unansweredCount: number;
    method: string;
    computedAt: Date;
  } | null;
  topics: {
    topicId: number;
    label: string | null;
    keywords: string[];
    messageCount: number;
    percentage: number;
    samples: SampleMessage[];
  }[];
  unanswered: {
    groupId: number;
    question: string;
    keywords: string[];
    messageCount: number;
    samples: SampleMessage[];
  }[];
}

/**
 * Replaces a day's topics, unanswered questions and run record. The caller's transaction makes
 * it all or nothing; the advisory lock makes two runs of the same day (two processes, a command
 * during the scheduled run) take turns instead of colliding on the unique keys.
 */
export async function replaceDayReport(tx: Tx, tenantId: string, report: DayReport): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`causette-topics:${tenantId}:${report.date}`}, 0))`,
  );
  await tx
    .delete(topicsDaily)
    .where(and(eq(topicsDaily.tenantId, tenantId), eq(topicsDaily.date, report.date)));
  await tx
    .delete(unansweredQuestionsDaily)
    .where(
      and(eq(unansweredQuestionsDaily.tenantId, tenantId), eq(unansweredQuestionsDaily.date, report.date)),
    );
  await tx.delete(topicRuns).where(and(eq(topicRuns.tenantId, tenantId), eq(topicRuns.date, report.date)));
  if (report.topics.length > 0) {
    await tx.insert(topicsDaily).values(
      report.topics.map((topic) => ({
        tenantId,
        date: report.date,
        topicId: topic.topicId,
        topicLabel: topic.label?.slice(0, 255) ?? null,
        keywords: topic.keywords,
        messageCount: topic.messageCount,
        percentage: topic.percentage.toFixed(2),
        sampleMessages: topic.sampleMessageIds,
      })),
    );
  }
  if (report.unanswered.length > 0) {
    await tx.insert(unansweredQuestionsDaily).values(
      report.unanswered.map((group) => ({
        tenantId,
        date: report.date,
        groupId: group.groupId,
        question: group.question,
        keywords: group.keywords,
        messageCount: group.messageCount,
        sampleMessages: group.sampleMessageIds,
      })),
    );
  }
  await tx.insert(topicRuns).values({
    tenantId,
    date: report.date,
    timezone: report.timezone,
    messageCount: report.messageCount,
    clusteredCount: report.clusteredCount,
    unansweredCount: report.unansweredCount,
    method: report.method,
    computedAt: report.computedAt,
  });
}

/** A day's stored report, with the text of its sample messages (those still kept). */
export async function getDayReport(tx: Tx, tenantId: string, date: string): Promise<StoredDay> {
  const [run] = await tx
    .select()
    .from(topicRuns)
    .where(and(eq(topicRuns.tenantId, tenantId), eq(topicRuns.date, date)));
  const topics = await tx
    .select()
    .from(topicsDaily)
    .where(and(eq(topicsDaily.tenantId, tenantId), eq(topicsDaily.date, date)))
    .orderBy(sql`${topicsDaily.topicId} < 0`, asc(topicsDaily.topicId));
  const unanswered = await tx
    .select()
    .from(unansweredQuestionsDaily)
    .where(and(eq(unansweredQuestionsDaily.tenantId, tenantId), eq(unansweredQuestionsDaily.date, date)))
    .orderBy(asc(unansweredQuestionsDaily.groupId));
  const ids = [...topics, ...unanswered].flatMap((row) => row.sampleMessages);
  const texts = new Map<string, string>();
  if (ids.length > 0) {
    const rows = await tx
      .select({ id: conversationMessages.id, content: conversationMessages.content })
      .from(conversationMessages)
      .where(inArray(conversationMessages.id, ids));
    for (const row of rows) texts.set(row.id, row.content);
  }
  const samples = (sampleIds: string[]) =>
    sampleIds.flatMap((id) => {
      const text = texts.get(id);
      return text === undefined ? [] : [{ id, text }];
    });
  return {
    run: run
      ? {
          timezone: run.timezone,
          messageCount: run.messageCount,
          clusteredCount: run.clusteredCount,
          unansweredCount: run.unansweredCount,
          method: run.method,
          computedAt: run.computedAt,
        }
      : null,
    topics: topics.map((row) => ({
      topicId: row.topicId,
      label: row.topicLabel,
      keywords: row.keywords ?? [],
      messageCount: row.messageCount,
      percentage: Number(row.percentage ?? 0),
      samples: samples(row.sampleMessages),
    })),
    unanswered: unanswered.map((row) => ({
      groupId: row.groupId,
      question: row.question,
      keywords: row.keywords ?? [],
      messageCount: row.messageCount,
      samples: samples(row.sampleMessages),
    })),
  };
}

/** Whether the day's report was computed after the day ended (a run during the day is partial). */
export async function hasCompleteRun(tx: Tx, tenantId: string, date: string): Promise<boolean> {
  const rows = await queryRows<{ found: number }>(
    tx,
    sql`select 1 as found from topic_runs
        where tenant_id = ${tenantId} and date = ${date}::date
          and computed_at >= (${date}::date + 1)::timestamp at time zone timezone`,
  );
  return rows.length > 0;
}
