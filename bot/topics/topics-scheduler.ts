import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/database.ts';
import { withoutTenant, withTenant } from '../../db/tenant-scope.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { getBusinessProfile } from '../tenants/tenant-store.ts';
import type { DaySummary } from './run-daily-topics.ts';
import { knownTimeZone, localDate, previousDay } from './topic-date.ts';
import { hasCompleteRun } from './topic-store.ts';

export interface TopicsScheduler {
  /** Computes yesterday's topics for every tenant whose yesterday has no complete run yet. */
  tick(): Promise<DaySummary[]>;
  start(): void;
  /** Stops the timer, cancels the run in progress and waits for it to settle. */
  stop(): Promise<void>;
}

export interface TopicsSchedulerOptions {
  db: Db;
  run: (tenantId: string, date: string, signal: AbortSignal) => Promise<DaySummary>;
  log: Logger;
  clock?: Clock | undefined;
  /** How often the scheduler looks for days to compute. */
  intervalMs?: number;
  /** The first look, after start: not at once, so that starting a server stays quick. */
  firstTickMs?: number;
}

/**
 * Runs the topics job once per tenant and day, soon after midnight in the tenant's own time zone
 * (its business profile's): each tick computes the day that just ended for tenants that have no
 * run of it made after it ended. The check reads topic_runs, so a restart does not compute a day
 * twice, and two processes that race on one day replace each other's identical rows in turn.
 */
export function createTopicsScheduler(options: TopicsSchedulerOptions): TopicsScheduler {
  const { db, log } = options;
  const clock = options.clock ?? systemClock;
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let controller = new AbortController();

  async function tick(): Promise<DaySummary[]> {
    const signal = controller.signal;
    const now = clock.now();
    const tenantIds = await withoutTenant(db, (tx) =>
      queryRows<{ id: string }>(tx, sql`select causette_tenant_ids() as id`),
    );
    const done: DaySummary[] = [];
    for (const { id: tenantId } of tenantIds) {
      if (signal.aborted) break;
      try {
        const due = await withTenant(db, tenantId, async (tx) => {
          const zone = knownTimeZone((await getBusinessProfile(tx, tenantId))?.timezone);
          const date = previousDay(localDate(now, zone));
          return (await hasCompleteRun(tx, tenantId, date)) ? undefined : date;
        });
        if (!due) continue;
        const summary = await options.run(tenantId, due, signal);
        log.info({ ...summary }, 'daily topics computed');
        done.push(summary);
      } catch (error) {
        // One tenant's failure must not starve the others; the next tick tries it again.
        if (!signal.aborted) log.error({ err: error, tenantId }, 'daily topics failed');
      }
    }
    return done;
  }

  return {
    tick,
    start() {
      if (timer) return;
      controller = new AbortController();
      const beat = () => {
        if (running) return;
        running = tick().finally(() => {
          running = undefined;
        });
      };
      timer = setInterval(beat, options.intervalMs ?? 10 * 60_000);
      timer.unref();
      first = setTimeout(beat, options.firstTickMs ?? 60_000);
      first.unref();
    },
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      timer = undefined;
      controller.abort();
      await running?.catch(() => {});
    },
  };
}
