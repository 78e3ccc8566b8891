import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/database.ts';
import { queryRows } from '../../../db/database.ts';
import { withoutTenant } from '../../../db/tenant-scope.ts';
import type { Logger } from '../../logger.ts';
import type { InboundEvent } from './inbound-event.ts';
import type { AccountOwner, MetaPlatform } from './social-account-store.ts';
import { checkEnvelope, type WebhookEnvelope } from './webhook-envelope.ts';

export interface WebhookProcessorDeps {
  db: Db;
  log: Logger;
  now: () => Date;
  /** Reads one delivery into events (the platform adapters' to-incoming). */
  toIncoming: Record<MetaPlatform, (envelope: WebhookEnvelope, now: Date) => InboundEvent[]>;
  /** The tenant owning an account; undefined when no tenant connected it. */
  ownerOf: (platform: MetaPlatform, accountId: string) => Promise<AccountOwner | undefined>;
  apply: (owner: AccountOwner, event: Exclude<InboundEvent, { kind: 'ignored' }>) => Promise<void>;
  batchSize?: number;
  /** How many customers' events are applied at once. */
  concurrency?: number;
  /**
   * True while webhooks are arriving: processing then runs one customer at a time, leaving the
   * CPU to the acknowledgements Meta is waiting for, and catches up in the lulls.
   */
  underPressure?: () => boolean;
  /**
   * True during a burst of deliveries: processing then waits for the burst to pass, so every
   * acknowledgement gets the CPU, but never longer than `maxHoldBackMs` between batches, and
   * a batch started because the wait ran out is `surgeBatchSize` deliveries, so replies keep
   * flowing through a burst that does not end.
   */
  surging?: () => boolean;
  maxHoldBackMs?: number;
  surgeBatchSize?: number;
  leaseSeconds?: number;
  pollMs?: number;
  maxAttempts?: number;
}

export interface WebhookProcessor {
  start(): void;
  /** Something was stored: look now rather than at the next poll. */
  kick(): void;
  /** Processes what is pending until nothing is left (tests, shutdown). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  platform: string;
  body: string;
  attempts: number;
}

/**
 * Works through stored webhook deliveries after they were acknowledged. Deliveries are claimed
 * with SKIP LOCKED under a lease, so several server processes share the work and a process that
 * dies mid-way leaves its deliveries to another once the lease runs out. Each delivery's events
 * are grouped by customer: one customer's events apply in order, different customers' in
 * parallel. A delivery that fails is retried with backoff, then set aside as failed.
 */
export function createWebhookProcessor(deps: WebhookProcessorDeps): WebhookProcessor {
  const batchSize = deps.batchSize ?? 50;
  const concurrency = deps.concurrency ?? 4;
  const leaseSeconds = deps.leaseSeconds ?? 120;
  const pollMs = deps.pollMs ?? 1000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const maxHoldBackMs = deps.maxHoldBackMs ?? 3000;
  const surgeBatchSize = deps.surgeBatchSize ?? 5;
  /** When the last batch was claimed (or processing started), on the performance clock. */
  let lastBatchAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  /** How many items were handled so far, so that drain can tell whether it did anything. */
  let handled = 0;

  /** Waits while a burst lasts, for at most `maxHoldBackMs` after `since`; true if it ran out. */
  async function waitOutSurge(since: number): Promise<boolean> {
    while (deps.surging?.() && !stopped) {
      const waited = performance.now() - since;
      if (waited >= maxHoldBackMs) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(25, maxHoldBackMs - waited)));
    }
    return false;
  }

  async function claim(size: number): Promise<Claimed[]> {
    const rows = await withoutTenant(deps.db, (tx) =>
      queryRows<{ id: string; platform: string; body: string; attempts: number }>(
        tx,
        sql`select id, platform, body, attempts from causette_webhook_claim(${size}, ${deps.now().toISOString()}::timestamptz, ${leaseSeconds})`,
      ),
    );
    return rows.map((r) => ({ id: r.id, platform: r.platform, body: r.body, attempts: r.attempts }));
  }

  async function finish(id: string, status: 'done' | 'failed' | 'pending', error?: string, retryAt?: Date) {
    await withoutTenant(deps.db, (tx) =>
      tx.execute(
        sql`select causette_webhook_finish(${id}::uuid, ${status}, ${error ?? null}, ${deps.now().toISOString()}::timestamptz, ${retryAt?.toISOString() ?? null}::timestamptz)`,
      ),
    );
  }

  /**
   * A surge that begins while a batch is under way pauses it between customers, as between
   * batches: otherwise a batch claimed just before a burst would hold the CPU through its first
   * second. When the wait runs out, `surgeBatchSize` customers go through before the next one.
   */
  function surgeGate(forced: boolean): () => Promise<void> {
    if (forced) return async () => {};
    let since = performance.now();
    let allowance = 0;
    return async () => {
      if (allowance > 0) {
        allowance--;
        return;
      }
      if (await waitOutSurge(since)) {
        allowance = surgeBatchSize - 1;
        since = performance.now();
      }
    };
  }

  /** `forced`: the batch was claimed because a surge outlasted the wait, and runs straight through. */
  async function processBatch(batch: Claimed[], forced: boolean): Promise<void> {
    type Work = { delivery: Claimed; owner: AccountOwner; event: Exclude<InboundEvent, { kind: 'ignored' }> };
    const groups = new Map<string, Work[]>();
    const failures = new Map<string, unknown>();
    const owners = new Map<string, Promise<AccountOwner | undefined>>();
    for (const delivery of batch) {
      const platform = delivery.platform === 'instagram' ? 'instagram' : 'whatsapp';
      let events: InboundEvent[];
      try {
        const parsed: unknown = JSON.parse(delivery.body);
        if (!checkEnvelope.Check(parsed)) throw new Error('stored delivery is not a webhook envelope');
        events = deps.toIncoming[platform](parsed, deps.now());
      } catch (error) {
        failures.set(delivery.id, error);
        continue;
      }
      for (const event of events) {
        if (event.kind === 'ignored') {
          const log = event.expected ? deps.log.info : deps.log.warn;
          log.call(
            deps.log,
            { platform, deliveryId: delivery.id, accountId: event.accountId },
            `webhook event ignored: ${event.reason}`,
          );
          continue;
        }
        const key = `${platform}:${event.accountId}`;
        let owner = owners.get(key);
        if (!owner) {
          owner = deps.ownerOf(platform, event.accountId);
          owners.set(key, owner);
        }
        let resolved: AccountOwner | undefined;
        try {
          resolved = await owner;
        } catch (error) {
          failures.set(delivery.id, error);
          continue;
        }
        if (!resolved) {
          // Answering 200 and dropping it: Meta would otherwise redeliver it for days.
          deps.log.warn(
            { platform, accountId: event.accountId, deliveryId: delivery.id },
            'webhook event for an account no tenant has connected; dropped',
          );
          continue;
        }
        const group = `${key}:${customerKey(event)}`;
        const list = groups.get(group) ?? [];
        list.push({ delivery, owner: resolved, event });
        groups.set(group, list);
      }
    }
    const queue = [...groups.values()];
    const width = deps.underPressure?.() ? 1 : concurrency;
    const gate = surgeGate(forced);
    const workers = Array.from({ length: Math.min(width, queue.length) }, async () => {
      for (let work = queue.shift(); work; work = queue.shift()) {
        await gate();
        for (const item of work) {
          if (failures.has(item.delivery.id)) continue;
          try {
            await deps.apply(item.owner, item.event);
          } catch (error) {
            failures.set(item.delivery.id, error);
          }
        }
      }
    });
    await Promise.all(workers);
    for (const delivery of batch) {
      const error = failures.get(delivery.id);
      if (!error) {
        await finish(delivery.id, 'done');
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (delivery.attempts >= maxAttempts) {
        deps.log.error(
          { err: error, deliveryId: delivery.id },
          'webhook delivery failed for good; set aside',
        );
        await finish(delivery.id, 'failed', message);
      } else {
        const delayMs = Math.min(2 ** delivery.attempts * 1000, 10 * 60_000);
        deps.log.warn(
          { err: error, deliveryId: delivery.id, attempt: delivery.attempts },
          'webhook delivery failed; will retry',
        );
        await finish(delivery.id, 'pending', message, new Date(deps.now().getTime() + delayMs));
      }
    }
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      for (;;) {
        let batch: Claimed[];
        let forced: boolean;
        try {
          forced = await waitOutSurge(lastBatchAt);
          lastBatchAt = performance.now();
          batch = await claim(forced ? surgeBatchSize : batchSize);
        } catch (error) {
          deps.log.error({ err: error }, 'cannot claim webhook deliveries');
          return;
        }
        if (batch.length === 0) break;
        handled += batch.length;
        await processBatch(batch, forced);
      }
    } while (again);
  }

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, pollMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      lastBatchAt = performance.now();
      schedule();
      void run();
    },
    kick() {
      if (!stopped) void run();
    },
    async drain() {
      const before = handled;
      do {
        await run();
      } while (running);
      return handled - before;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function customerKey(event: Exclude<InboundEvent, { kind: 'ignored' }>): string {
  if (event.kind === 'status') return `status:${event.id}`;
  return event.customer.scopedUserId ?? event.customer.waId ?? 'unknown';
}
