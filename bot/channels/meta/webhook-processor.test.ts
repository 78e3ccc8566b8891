import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../migrations/test-database.ts';
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

function processorFor(surging: () => boolean, applied: { id: string; at: number }[]) {
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
    maxHoldBackMs: 400,
    surgeBatchSize: 2,
  });
}

describe('webhook processor during a surge of deliveries', () => {
  it('waits for the surge to pass, then processes everything', async () => {
    const inbox = createWebhookInbox(testDb.database.db);
    for (let i = 0; i < 6; i++) await inbox.store('whatsapp', delivery(`wamid.${i}`));
    let surging = true;
    const applied: { id: string; at: number }[] = [];
    const processor = processorFor(() => surging, applied);
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
    const processor = processorFor(() => true, applied);
    const started = performance.now();
    processor.start();
    await until(() => applied.length >= 2);
    // The first batch is the small one, and the next one waits for the bound again.
    await sleep(100);
    expect(applied).toHaveLength(2);
    expect(applied[0]!.at - started).toBeGreaterThanOrEqual(390);
    await until(() => applied.length === 6);
    // Three small batches, each after its own wait.
    expect(applied[2]!.at - applied[1]!.at).toBeGreaterThanOrEqual(390);
    expect(applied[4]!.at - applied[3]!.at).toBeGreaterThanOrEqual(390);
    await processor.stop();
  });

  it('processes at once when no surge is under way', async () => {
    const inbox = createWebhookInbox(testDb.database.db);
    for (let i = 0; i < 6; i++) await inbox.store('whatsapp', delivery(`wamid.${i}`));
    const applied: { id: string; at: number }[] = [];
    const processor = processorFor(() => false, applied);
    const started = performance.now();
    processor.start();
    await until(() => applied.length === 6);
    expect(applied[5]!.at - started).toBeLessThan(390);
    await processor.stop();
  });
});

describe('webhook inbox surge signal', () => {
  it('is on while deliveries arrive faster than the threshold, and off once they stop', async () => {
    const inbox = createWebhookInbox(testDb.database.db, { surgePerSecond: 40 });
    expect(inbox.surging()).toBe(false);
    // Ten in a quarter second is 40 a second.
    await Promise.all(Array.from({ length: 10 }, (_, i) => inbox.store('whatsapp', delivery(`wamid.s${i}`))));
    expect(inbox.surging()).toBe(true);
    expect(inbox.busy()).toBe(true);
    await sleep(300);
    expect(inbox.surging()).toBe(false);
    expect(inbox.busy()).toBe(false);
  });

  it('is off for a steady trickle, which still counts as busy', async () => {
    const inbox = createWebhookInbox(testDb.database.db, { surgePerSecond: 40 });
    for (let i = 0; i < 4; i++) {
      await inbox.store('whatsapp', delivery(`wamid.t${i}`));
      await sleep(60);
      expect(inbox.busy()).toBe(true);
      expect(inbox.surging()).toBe(false);
    }
  });
});
