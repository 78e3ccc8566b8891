import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { topicRuns, topicsDaily, unansweredQuestionsDaily } from '../../migrations/schema/index.ts';
import { silentLogger } from '../logger.ts';
import { createTenant, updateBusinessProfile } from '../tenants/tenant-store.ts';
import { dayCustomerMessages } from './day-messages.ts';
import { generateDay } from './generated-day.ts';
import { type DailyTopicsDeps, runDailyTopics } from './run-daily-topics.ts';
import { seedCustomerMessages } from './seed-day.ts';
import { createTfidfMessageVectorizer } from './tfidf-message-vectorizer.ts';
import { InvalidTopicDateError } from './topic-date.ts';
import { getDayReport, hasCompleteRun, replaceDayReport } from './topic-store.ts';

let testDb: TestDatabase;
let shop: string;
let other: string;
let deps: DailyTopicsDeps;
const DAY = '2026-11-21';
// 2026-11-21 00:00 in Paris (UTC+1 in November).
const PARIS_MIDNIGHT = Date.UTC(2026, 10, 20, 23, 0);

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  const db = testDb.database.db;
  shop = (await createTenant(db, { slug: 'shop', name: 'Shop' })).id;
  other = (await createTenant(db, { slug: 'other', name: 'Other' })).id;
  await withTenant(db, shop, (tx) => updateBusinessProfile(tx, shop, { timezone: 'Europe/Paris' }));
  deps = {
    db,
    vectorizer: createTfidfMessageVectorizer(),
    log: silentLogger,
    clock: { now: () => new Date('2026-11-22T06:00:00Z') },
  };
});

/**
 * The generated day, spread over the shop's 21 November: noise messages got an abstention, the
 * first four refund questions an unsure answer, delivery questions a sure one.
 */
async function seedShopDay() {
  const day = generateDay(42);
  let refunds = 0;
  const step = (23 * 3600_000) / day.messages.length;
  const ids = await seedCustomerMessages(
    testDb.database.db,
    shop,
    day.messages.map((message, i) => {
      const theme = day.themeOf.get(message.id);
      const reply =
        theme === 'noise'
          ? { source: 'abstain', abstained: true, unsure: true }
          : theme === 'refund' && refunds++ < 4
            ? { source: 'knowledge', confidence: 0.2, unsure: true }
            : theme === 'delivery'
              ? { source: 'knowledge', confidence: 0.9, unsure: false }
              : undefined;
      return {
        text: message.text,
        at: new Date(PARIS_MIDNIGHT + 600_000 + i * step),
        ...(reply ? { reply } : {}),
      };
    }),
  );
  return { day, ids };
}

function storedTopics(tenantId: string, date = DAY) {
  return withTenant(testDb.database.db, tenantId, (tx) =>
    tx
      .select()
      .from(topicsDaily)
      .where(and(eq(topicsDaily.tenantId, tenantId), eq(topicsDaily.date, date)))
      .orderBy(topicsDaily.topicId),
  );
}

describe('runDailyTopics', () => {
  it('writes the day as topics_daily rows: topic_id, label, keywords, count, percentage, samples', async () => {
    const { ids } = await seedShopDay();
    const summary = await runDailyTopics(deps, shop, DAY);
    expect(summary).toEqual({
      tenantId: shop,
      date: DAY,
      timezone: 'Europe/Paris',
      messageCount: 113,
      clusteredCount: 107,
      topicCount: 5,
      unansweredCount: 12,
      unansweredGroups: expect.any(Number),
      method: 'tfidf',
    });
    const rows = await storedTopics(shop);
    expect(rows.map((row) => row.topicId)).toEqual([-1, 0, 1, 2, 3, 4]);
    const delivery = rows.find((row) => row.topicId === 0)!;
    expect(delivery).toMatchObject({
      date: DAY,
      topicLabel: 'Livraison, colis, arrive',
      messageCount: 30,
      percentage: '28.04',
    });
    expect(delivery.keywords?.slice(0, 2)).toEqual(['livraison', 'colis']);
    expect(rows.reduce((sum, row) => sum + Number(row.percentage), 0)).toBeCloseTo(100, 1);
    for (const row of rows) {
      expect(row.sampleMessages.length).toBeGreaterThan(0);
      for (const id of row.sampleMessages) expect(ids).toContain(id);
    }
    const [run] = await withTenant(testDb.database.db, shop, (tx) => tx.select().from(topicRuns));
    expect(run).toMatchObject({
      date: DAY,
      timezone: 'Europe/Paris',
      messageCount: 113,
      clusteredCount: 107,
    });
  });

  it('is idempotent: a second run leaves the same rows, a run after new messages replaces them', async () => {
    await seedShopDay();
    await runDailyTopics(deps, shop, DAY);
    const strip = (rows: Awaited<ReturnType<typeof storedTopics>>) =>
      rows.map(({ id: _id, createdAt: _createdAt, ...rest }) => rest);
    const first = strip(await storedTopics(shop));
    await runDailyTopics(deps, shop, DAY);
    expect(strip(await storedTopics(shop))).toEqual(first);

    await seedCustomerMessages(
      testDb.database.db,
      shop,
      Array.from({ length: 6 }, (_, i) => ({
        text: [
          'Avez-vous des cartes cadeaux ?',
          'Carte cadeau de 50 euros ?',
          'Les cartes cadeaux expirent ?',
        ][i % 3]!,
        at: new Date(PARIS_MIDNIGHT + 3600_000 * (i + 1)),
      })),
    );
    await runDailyTopics(deps, shop, DAY);
    const after = await storedTopics(shop);
    expect(new Set(after.map((row) => row.topicId)).size).toBe(after.length);
    expect(after.map((row) => row.topicId)).toEqual([-1, 0, 1, 2, 3, 4, 5]);
    expect(after.find((row) => row.keywords?.includes('cadeaux'))?.messageCount).toBeGreaterThanOrEqual(6);
    const runs = await withTenant(testDb.database.db, shop, (tx) => tx.select().from(topicRuns));
    expect(runs).toHaveLength(1);
    expect(runs[0]?.messageCount).toBe(119);
  });

  it('replaces a day all or nothing: a failed write keeps the previous rows', async () => {
    await seedShopDay();
    await runDailyTopics(deps, shop, DAY);
    const before = await storedTopics(shop);
    const topic = {
      topicId: 0,
      label: 'x',
      keywords: [],
      messageCount: 1,
      percentage: 50,
      sampleMessageIds: [],
      messageIds: [],
    };
    await expect(
      withTenant(testDb.database.db, shop, (tx) =>
        replaceDayReport(tx, shop, {
          date: DAY,
          timezone: 'UTC',
          messageCount: 2,
          clusteredCount: 2,
          unansweredCount: 0,
          method: 'tfidf',
          computedAt: new Date(),
          // Two topics 0: the second insert breaks the unique key after the deletes ran.
          topics: [topic, topic],
          unanswered: [],
        }),
      ),
    ).rejects.toThrow();
    expect(await storedTopics(shop)).toEqual(before);
  });

  it("never reads another tenant's messages", async () => {
    const { ids } = await seedShopDay();
    const yoga = await seedCustomerMessages(
      testDb.database.db,
      other,
      Array.from({ length: 12 }, (_, i) => ({
        text: `Cours de yoga du soir, il reste des places ? (${i})`,
        at: new Date(Date.UTC(2026, 10, 21, 10, i)),
      })),
    );
    await runDailyTopics(deps, shop, DAY);
    const rows = await storedTopics(shop);
    expect(rows.flatMap((row) => row.keywords ?? [])).not.toContain('yoga');
    expect(rows.reduce((sum, row) => sum + row.messageCount, 0)).toBe(107);
    for (const id of rows.flatMap((row) => row.sampleMessages)) {
      expect(ids).toContain(id);
      expect(yoga).not.toContain(id);
    }
    expect(await storedTopics(other)).toEqual([]);
    // Row level security holds even if the query named the other tenant.
    const leaked = await withTenant(testDb.database.db, shop, (tx) =>
      dayCustomerMessages(tx, other, DAY, 'UTC'),
    );
    expect(leaked).toEqual([]);
    const own = await withTenant(testDb.database.db, other, (tx) =>
      dayCustomerMessages(tx, other, DAY, 'UTC'),
    );
    expect(own).toHaveLength(12);
  });

  it("cuts the day at the tenant's midnight", async () => {
    await seedCustomerMessages(testDb.database.db, shop, [
      { text: 'Où est mon colis ? (00:30 à Paris le 21)', at: new Date('2026-11-20T23:30:00Z') },
      { text: 'Où est mon colis ? (00:30 à Paris le 22)', at: new Date('2026-11-21T23:30:00Z') },
      { text: 'Où est mon colis ? (23:30 à Paris le 20)', at: new Date('2026-11-20T22:30:00Z') },
    ]);
    const messages = await withTenant(testDb.database.db, shop, (tx) =>
      dayCustomerMessages(tx, shop, DAY, 'Europe/Paris'),
    );
    expect(messages.map((message) => message.text)).toEqual(['Où est mon colis ? (00:30 à Paris le 21)']);
  });

  it('leaves out what the bot cannot read: voice notes, bare pictures, stickers', async () => {
    const at = new Date('2026-11-21T10:00:00Z');
    await seedCustomerMessages(testDb.database.db, shop, [
      { text: '[voice]', at, metadata: { type: 'voice', unreadable: true } },
      { text: '[image]', at, metadata: { type: 'image', unreadable: true } },
      { text: '[sticker]', at, metadata: { type: 'sticker', unreadable: false } },
      { text: 'Cette robe existe en bleu ?', at, metadata: { type: 'image', unreadable: false } },
    ]);
    const messages = await withTenant(testDb.database.db, shop, (tx) =>
      dayCustomerMessages(tx, shop, DAY, 'Europe/Paris'),
    );
    expect(messages.map((message) => message.text)).toEqual(['Cette robe existe en bleu ?']);
  });

  it('groups the questions the bot could not answer, leaving out those it answered', async () => {
    await seedShopDay();
    await runDailyTopics(deps, shop, DAY);
    const report = await withTenant(testDb.database.db, shop, (tx) => getDayReport(tx, shop, DAY));
    expect(report.run?.unansweredCount).toBe(12);
    const asked = report.unanswered.flatMap((group) => group.samples.map((sample) => sample.text));
    expect(asked.some((text) => text.includes('livraison'))).toBe(false);
    const refund = report.unanswered.find((group) => group.keywords.includes('refund'));
    expect(refund?.messageCount).toBe(4);
    expect(refund?.samples.length).toBe(4);
    expect(report.unanswered[0]?.groupId).toBe(0);
    expect(report.unanswered[0]?.messageCount).toBe(4);
    expect(report.unanswered.reduce((sum, group) => sum + group.messageCount, 0)).toBe(12);
    const rows = await withTenant(testDb.database.db, shop, (tx) =>
      tx.select().from(unansweredQuestionsDaily),
    );
    expect(rows.map((row) => row.groupId).sort((x, y) => x - y)).toEqual(rows.map((_, i) => i));
  });

  it('records a day without messages as computed and empty', async () => {
    const summary = await runDailyTopics(deps, shop, '2026-11-15');
    expect(summary).toMatchObject({ messageCount: 0, topicCount: 0, unansweredCount: 0 });
    const report = await withTenant(testDb.database.db, shop, (tx) => getDayReport(tx, shop, '2026-11-15'));
    expect(report).toEqual({
      run: expect.objectContaining({ messageCount: 0, clusteredCount: 0, unansweredCount: 0 }),
      topics: [],
      unanswered: [],
    });
    const never = await withTenant(testDb.database.db, shop, (tx) => getDayReport(tx, shop, '2026-11-14'));
    expect(never.run).toBeNull();
  });

  it('refuses a date that is not one, or that has not begun in the tenant zone', async () => {
    await expect(runDailyTopics(deps, shop, '2026-02-30')).rejects.toBeInstanceOf(InvalidTopicDateError);
    await expect(runDailyTopics(deps, shop, '21/11/2026')).rejects.toMatchObject({
      code: 'CAUSETTE_ERR_INVALID_DATE',
    });
    await expect(runDailyTopics(deps, shop, '2026-11-23')).rejects.toThrow(
      /has not begun yet in Europe\/Paris/,
    );
    expect(await storedTopics(shop, '2026-11-23')).toEqual([]);
  });

  it('falls back to the offline vectors when the embedder fails', async () => {
    await seedShopDay();
    const summary = await runDailyTopics(
      {
        ...deps,
        vectorizer: {
          method: 'text-embedding-3-small',
          linkSimilarity: 0.4,
          lexical: false,
          vectorize: () => Promise.reject(new Error('503 from the embeddings API')),
        },
        fallback: createTfidfMessageVectorizer(),
      },
      shop,
      DAY,
    );
    expect(summary).toMatchObject({ method: 'tfidf', topicCount: 5 });
  });

  it('tells a run made during the day from one made after it ended', async () => {
    await seedShopDay();
    await runDailyTopics({ ...deps, clock: { now: () => new Date('2026-11-21T12:00:00Z') } }, shop, DAY);
    const complete = () => withTenant(testDb.database.db, shop, (tx) => hasCompleteRun(tx, shop, DAY));
    expect(await complete()).toBe(false);
    await runDailyTopics(deps, shop, DAY);
    expect(await complete()).toBe(true);
  });
});
