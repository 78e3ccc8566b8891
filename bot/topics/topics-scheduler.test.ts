import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { topicRuns } from '../../migrations/schema/index.ts';
import { silentLogger } from '../logger.ts';
import { createTenant, updateBusinessProfile } from '../tenants/tenant-store.ts';
import { type DaySummary, runDailyTopics } from './run-daily-topics.ts';
import { seedCustomerMessages } from './seed-day.ts';
import { createTfidfMessageVectorizer } from './tfidf-message-vectorizer.ts';
import { createTopicsScheduler } from './topics-scheduler.ts';

let testDb: TestDatabase;
let paris: string;
let newYork: string;
let now: Date;
const clock = { now: () => now };
let calls: { tenantId: string; date: string }[];

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  const db = testDb.database.db;
  paris = (await createTenant(db, { slug: 'paris', name: 'Paris' })).id;
  newYork = (await createTenant(db, { slug: 'new-york', name: 'New York' })).id;
  await withTenant(db, paris, (tx) => updateBusinessProfile(tx, paris, { timezone: 'Europe/Paris' }));
  await withTenant(db, newYork, (tx) => updateBusinessProfile(tx, newYork, { timezone: 'America/New_York' }));
  // 03:00 on the 22nd in Paris, 21:00 on the 21st in New York.
  now = new Date('2026-11-22T02:00:00Z');
  calls = [];
});

function scheduler(fail?: (tenantId: string) => boolean) {
  const deps = {
    db: testDb.database.db,
    vectorizer: createTfidfMessageVectorizer(),
    log: silentLogger,
    clock,
  };
  return createTopicsScheduler({
    db: testDb.database.db,
    log: silentLogger,
    clock,
    run: async (tenantId, date, signal): Promise<DaySummary> => {
      calls.push({ tenantId, date });
      if (fail?.(tenantId)) throw new Error('embedding API down');
      return runDailyTopics(deps, tenantId, date, signal);
    },
  });
}

describe('the daily topics scheduler', () => {
  it("computes the day that just ended in each tenant's time zone, once", async () => {
    await seedCustomerMessages(testDb.database.db, paris, [
      { text: 'Où est mon colis ?', at: new Date('2026-11-21T09:00:00Z') },
    ]);
    const done = await scheduler().tick();
    expect(calls).toEqual([
      { tenantId: paris, date: '2026-11-21' },
      { tenantId: newYork, date: '2026-11-20' },
    ]);
    expect(done.map((summary) => summary.messageCount)).toEqual([1, 0]);

    calls = [];
    await scheduler().tick();
    // A new scheduler (a restart) finds the runs in the database and does nothing.
    await scheduler().tick();
    expect(calls).toEqual([]);

    now = new Date('2026-11-22T05:30:00Z'); // 00:30 on the 22nd in New York
    await scheduler().tick();
    expect(calls).toEqual([{ tenantId: newYork, date: '2026-11-21' }]);
    const runs = await withTenant(testDb.database.db, newYork, (tx) => tx.select().from(topicRuns));
    expect(runs.map((run) => run.date).sort()).toEqual(['2026-11-20', '2026-11-21']);
  });

  it('goes on with the other tenants when one fails, and retries it on the next tick', async () => {
    let failing = true;
    const jobs = scheduler((tenantId) => failing && tenantId === paris);
    const done = await jobs.tick();
    expect(done.map((summary) => summary.tenantId)).toEqual([newYork]);
    failing = false;
    calls = [];
    const retried = await jobs.tick();
    expect(calls).toEqual([{ tenantId: paris, date: '2026-11-21' }]);
    expect(retried.map((summary) => summary.tenantId)).toEqual([paris]);
  });

  it('stops cleanly: the run in progress is told to stop and awaited', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finished = false;
    const jobs = createTopicsScheduler({
      db: testDb.database.db,
      log: silentLogger,
      clock,
      firstTickMs: 0,
      run: (_tenantId, date, signal) =>
        new Promise((_resolve, reject) => {
          started();
          signal.addEventListener('abort', () => {
            setImmediate(() => {
              finished = true;
              reject(new Error(`run of ${date} cancelled`));
            });
          });
        }),
    });
    jobs.start();
    await running;
    await jobs.stop();
    expect(finished).toBe(true);
  });
});
