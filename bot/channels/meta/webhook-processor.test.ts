import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../db/testing/test-database.ts';
import { silentLogger } from '../../logger.ts';
import type { InboundEvent } from './inbound-event.ts';
import type { WebhookEnvelope } from './webhook-envelope.ts';
import { createWebhookInbox } from './webhook-inbox.ts';
import { createWebhookProcessor } from './webhook-processor.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
});

/** A delivery whose one change carries `id`, so that what the processor applied can be told apart. */
function delivery(id: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: { id } }] }],
  });
}

function toEvents(envelope: WebhookEnvelope, now: Date): InboundEvent[] {
  const entry = envelope.entry[0] as { changes: { value: { id: string } }[] };
  const value = entry.changes[0]!.value;
  return [
    {
      kind: 'message',
      platform: 'whatsapp',
      accountId: '1550000001',
      customer: { waId: value.id },
      id: value.id,
      at: now,
      role: 'user',
      text: 'hello',
      answer: 'bot',
      metadata: {},
    },
  ];
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function processorFor(surging: () => boolean, applied: { id: string; at: number }[], maxHoldBackMs: number) {
  return createWebhookProcessor({
    db: testDb.database.db,
    log: silentLogger,
    now: () => new Date(),
    toIncoming: { whatsapp: toEvents, instagram: toEvents },
    ownerOf: async () => ({ tenantId: 'tenant', socialAccountId: 'account' }),
    apply: async (_owner, event) => {
      if (event.kind === 'message') applied.push({ id: event.id, at: performance.now() });
    },
    pollMs: 3_600_000,
    surging,
    maxHoldBackMs,
    surgeBatchSize: 2,
  });
}

// These tests bound times from below only: a slow claim or a busy machine makes a batch later,
// never earlier, so a lower bound cannot fail for the wrong reason. Where a test needs an upper
// bound it uses a hold-back far longer than its own timeout instead.
describe('webhook processor during a surge of deliveries', () => {
  it('waits for the surge to pass, then processes everything', async () => {
    const inbox = createWebhookInbox(testDb.database.db);
    for (let i = 0; i < 6; i++) await inbox.store('whatsapp', delivery(`wamid.${i}`));
    let surging = true;
    const applied: { id: string; at: number }[] = [];
    // The bound is far past the wait below: only the surge ending can let the batch go.
    const processor = processorFor(() => surging, applied, 60_000);
    processor.start();
    await sleep(150);
    expect(applied).toHaveLength(0);
    surging = false;
    await until(() => applied.length === 6);
    expect(new Set(applied.map((a) => a.id)).size).toBe(6);
    await processor.stop();
  });

  it('never waits longer than the bound: a surge that does not end gets small batches', async () => {
    const inbox = createWebhookInbox(testDb.database.db);
    for (let i = 0; i < 6; i++) await inbox.store('whatsapp', delivery(`wamid.${i}`));
    const applied: { id: string; at: number }[] = [];
    const processor = processorFor(() => true, applied, 400);
    const started = performance.now();
    processor.start();
    await until(() => applied.length === 6);
    // Each batch waits out the bound after the one before began, and holds two deliveries: the
    // third cannot come before two waits, the fifth before three.
    const sinceStart = applied.map((a) => a.at - started);
    expect(Math.min(...sinceStart.slice(0, 2))).toBeGreaterThanOrEqual(399);
    expect(Math.min(...sinceStart.slice(2, 4))).toBeGreaterThanOrEqual(799);
    expect(Math.min(...sinceStart.slice(4, 6))).toBeGreaterThanOrEqual(1199);
    expect(new Set(applied.map((a) => a.id)).size).toBe(6);
    await processor.stop();
  });

  it('processes at once when no surge is under way', async () => {
    const inbox = createWebhookInbox(testDb.database.db);
    for (let i = 0; i < 6; i++) await inbox.store('whatsapp', delivery(`wamid.${i}`));
    const applied: { id: string; at: number }[] = [];
    // Any wait at all would outlast the test's own timeout.
    const processor = processorFor(() => false, applied, 60_000);
    processor.start();
    await until(() => applied.length === 6);
    await processor.stop();
  });
});

describe('webhook inbox surge signal', () => {
  // The signal is read as the deliveries arrive, not after they are stored: how long a commit
  // takes on a busy machine must not decide what the test sees.
  it('is on while deliveries arrive faster than the threshold, and off once they stop', async () => {
    const inbox = createWebhookInbox(testDb.database.db, { surgePerSecond: 40 });
    expect(inbox.surging()).toBe(false);
    // Ten in a quarter second is 40 a second.
    const stored = Promise.all(
      Array.from({ length: 10 }, (_, i) => inbox.store('whatsapp', delivery(`wamid.s${i}`))),
    );
    expect(inbox.surging()).toBe(true);
    expect(inbox.busy()).toBe(true);
    await stored;
    await sleep(300);
    expect(inbox.surging()).toBe(false);
    expect(inbox.busy()).toBe(false);
  });

  it('is off for a steady trickle, which still counts as busy', async () => {
    const inbox = createWebhookInbox(testDb.database.db, { surgePerSecond: 40 });
    for (let i = 0; i < 4; i++) {
      const stored = inbox.store('whatsapp', delivery(`wamid.t${i}`));
      await sleep(60);
      expect(inbox.busy()).toBe(true);
      expect(inbox.surging()).toBe(false);
      await stored;
    }
  });
});
