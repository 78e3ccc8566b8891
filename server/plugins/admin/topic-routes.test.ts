import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../bot/logger.ts';
import { createTenant } from '../../../bot/tenants/tenant-store.ts';
import { generateDay } from '../../../bot/topics/generated-day.ts';
import { runDailyTopics } from '../../../bot/topics/run-daily-topics.ts';
import { seedCustomerMessages } from '../../../bot/topics/seed-day.ts';
import { createTfidfMessageVectorizer } from '../../../bot/topics/tfidf-message-vectorizer.ts';
import { createTestDatabase, type TestDatabase } from '../../../db/testing/test-database.ts';
import { createApiKey } from '../../auth/api-keys.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';

let testDb: TestDatabase;
let server: TestApp;
let shopKey: string;
let otherKey: string;
let texts: Map<string, string>;
const DAY = '2026-11-21';

// Every test only reads: one database and one app serve them all.
beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.database.db;
  const shop = await createTenant(db, { slug: 'shop', name: 'The Shop' });
  const other = await createTenant(db, { slug: 'other', name: 'Other' });
  shopKey = (await createApiKey(db, shop.id, 'test')).key;
  otherKey = (await createApiKey(db, other.id, 'test')).key;
  const day = generateDay(42);
  const ids = await seedCustomerMessages(
    db,
    shop.id,
    day.messages.map((message, i) => ({
      text: message.text,
      at: new Date(Date.UTC(2026, 10, 21, 0, 0) + i * 600_000),
      ...(day.themeOf.get(message.id) === 'noise' ? { reply: { source: 'abstain', abstained: true } } : {}),
    })),
  );
  texts = new Map(day.messages.map((message, i) => [ids[i]!, message.text]));
  await runDailyTopics(
    {
      db,
      vectorizer: createTfidfMessageVectorizer(),
      log: silentLogger,
      clock: { now: () => new Date('2026-11-22T06:00:00Z') },
    },
    shop.id,
    DAY,
  );
  server = await startTestApp(testDb.database);
});
afterAll(async () => {
  await server.close();
  await testDb.destroy();
});

function get(path: string, key: string | null = shopKey) {
  return server.app.inject({
    method: 'GET',
    url: `/api/v1${path}`,
    ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}),
  });
}

describe('GET /api/v1/topics', () => {
  it("lists the day's topics with keywords, counts, percentages and sample messages", async () => {
    const response = await get(`/topics?date=${DAY}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      date: DAY,
      computed: true,
      computedAt: '2026-11-22T06:00:00.000Z',
      timezone: 'Europe/Paris',
      messageCount: expect.any(Number),
      method: 'tfidf',
    });
    expect(body.topics.map((topic: { topicId: number }) => topic.topicId)).toEqual([0, 1, 2, 3, 4, -1]);
    const [delivery] = body.topics;
    expect(delivery).toMatchObject({ label: 'Livraison, colis, arrive', messageCount: 30, outlier: false });
    expect(delivery.keywords.slice(0, 2)).toEqual(['livraison', 'colis']);
    expect(delivery.samples).toHaveLength(5);
    for (const sample of delivery.samples) expect(texts.get(sample.id)).toBe(sample.text);
    expect(body.topics.at(-1)).toMatchObject({ topicId: -1, label: null, outlier: true });
    const total = body.topics.reduce(
      (sum: number, topic: { percentage: number }) => sum + topic.percentage,
      0,
    );
    expect(total).toBeCloseTo(100, 1);
  });

  it('answers a day never computed with computed: false and no topics', async () => {
    const response = await get('/topics?date=2026-11-01');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      date: '2026-11-01',
      computed: false,
      computedAt: null,
      timezone: null,
      messageCount: 0,
      clusteredCount: 0,
      method: null,
      topics: [],
    });
  });

  it('shows a tenant only its own topics', async () => {
    const response = await get(`/topics?date=${DAY}`, otherKey);
    expect(response.json()).toMatchObject({ computed: false, topics: [] });
  });

  it.each([
    ['a missing date', '/topics'],
    ['a malformed date', '/topics?date=21-11-2026'],
    ['an impossible date', '/topics?date=2026-02-30'],
    ['an unknown parameter', `/topics?date=${DAY}&limit=3`],
  ])('refuses %s with a 400', async (_, path) => {
    const response = await get(path);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toMatch(/^(CAUSETTE_ERR_BAD_REQUEST|FST_ERR_VALIDATION)$/);
  });

  it('needs an API key', async () => {
    expect((await get(`/topics?date=${DAY}`, null)).statusCode).toBe(401);
    expect((await get(`/topics/unanswered?date=${DAY}`, 'cst_nope')).statusCode).toBe(401);
  });
});

describe('GET /api/v1/topics/unanswered', () => {
  it('lists the questions the bot could not answer, grouped, with counts and samples', async () => {
    const response = await get(`/topics/unanswered?date=${DAY}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ date: DAY, computed: true, unansweredCount: 8 });
    expect(body.groups).toHaveLength(8);
    const football = body.groups.find((group: { question: string }) => group.question.includes('football'));
    expect(football).toMatchObject({ messageCount: 1, keywords: expect.arrayContaining(['football']) });
    expect(football.samples).toEqual([
      { id: expect.any(String), text: 'Do you sponsor local football clubs?' },
    ]);
    expect(body.groups.map((group: { groupId: number }) => group.groupId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses an impossible date with a clear message', async () => {
    const response = await get('/topics/unanswered?date=2026-02-30');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('"2026-02-30" is not a date: use YYYY-MM-DD, e.g. 2026-11-21');
  });
});
