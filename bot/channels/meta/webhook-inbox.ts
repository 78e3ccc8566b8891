import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { arrayLiteral } from '../../../db/array-literal.ts';
import type { Db } from '../../../db/database.ts';
import type { MetaPlatform } from './social-account-store.ts';

/**
 * Where webhook deliveries are kept until processed. `store` resolves once the delivery is
 * committed, which is when the webhook may answer 200; it rejects if the database cannot take
 * it, and the webhook answers 5xx so that Meta delivers again later.
 */
export interface WebhookInbox {
  store(platform: MetaPlatform, body: string): Promise<void>;
  /** Whether deliveries are arriving right now (one came within the last quarter second). */
  busy(): boolean;
  /**
   * Whether deliveries are arriving faster than `surgePerSecond` (over the current or the last
   * quarter second): a burst that acknowledgements must be kept ahead of.
   */
  surging(): boolean;
}

/** The window over which arrivals are counted. */
const ARRIVAL_WINDOW_MS = 250;

/** More deliveries than this wait for the next commit. */
const MAX_BATCH = 256;

/**
 * Deliveries that arrive while a commit is under way are stored together by the next one, so a
 * burst costs a few commits rather than one each, and nothing waits on a timer: a delivery that
 * arrives alone is committed at once.
 */
export function createWebhookInbox(
  db: Db,
  options: { onStored?: () => void; parallelCommits?: number; surgePerSecond?: number } = {},
): WebhookInbox {
  type Waiting = { platform: MetaPlatform; hash: string; body: string; done: (error?: unknown) => void };
  // Two commits may be in flight at once (the ingest pool has two connections): a delivery that
  // arrives during a commit starts the next one instead of waiting for it.
  const parallel = options.parallelCommits ?? 2;
  let queue: Waiting[] = [];
  let flushing = 0;
  let lastArrival = 0;
  const surgeCount = ((options.surgePerSecond ?? 200) * ARRIVAL_WINDOW_MS) / 1000;
  let windowStart = Number.NEGATIVE_INFINITY;
  let inWindow = 0;
  let previousWindow = 0;

  function noteArrival(now: number) {
    const age = now - windowStart;
    if (age >= ARRIVAL_WINDOW_MS) {
      // A quiet window in between counts as a window with no arrivals.
      previousWindow = age < 2 * ARRIVAL_WINDOW_MS ? inWindow : 0;
      windowStart = now;
      inWindow = 0;
    }
    inWindow++;
    lastArrival = now;
  }

  async function flush(): Promise<void> {
    flushing++;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        try {
          // One statement per platform and no transaction around it: each statement commits on
          // its own, and a round trip saved here is latency saved on every acknowledgement. The
          // function is SECURITY DEFINER and touches no tenant's rows, so the app role adds nothing.
          for (const platform of new Set(batch.map((w) => w.platform))) {
            const mine = batch.filter((w) => w.platform === platform);
            await db.execute(
              sql`select causette_webhook_ingest(${platform}, ${arrayLiteral(mine.map((w) => w.hash))}::text[], ${arrayLiteral(mine.map((w) => w.body))}::text[])`,
            );
          }
          for (const waiting of batch) waiting.done();
          options.onStored?.();
        } catch (error) {
          for (const waiting of batch) waiting.done(error);
        }
      }
    } finally {
      flushing--;
    }
  }

  return {
    busy() {
      return performance.now() - lastArrival < ARRIVAL_WINDOW_MS;
    },
    surging() {
      const now = performance.now();
      if (now - lastArrival >= ARRIVAL_WINDOW_MS) return false;
      // A window that ended less than a window ago is the last complete one.
      const counted = now - windowStart < ARRIVAL_WINDOW_MS ? Math.max(inWindow, previousWindow) : inWindow;
      return counted >= surgeCount;
    },
    store(platform, body) {
      noteArrival(performance.now());
      const hash = createHash('sha256').update(body).digest('hex');
      return new Promise<void>((resolve, reject) => {
        queue.push({ platform, hash, body, done: (error) => (error ? reject(error) : resolve()) });
        if (flushing < parallel) void flush();
      });
    },
  };
}
