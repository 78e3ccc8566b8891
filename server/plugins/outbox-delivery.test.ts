import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateChannelSettings } from '../../bot/channels/meta/channel-settings-store.ts';
import type { Responder } from '../../bot/responder.ts';
import { GRAPH_ERRORS } from '../../bot/testing/graph-stand-in.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { conversationMessages, conversations, outboundMessages } from '../../migrations/schema/index.ts';
import {
  type MetaTestKit,
  replyAsOperator,
  startMetaTestKit,
  whatsappTextPayload,
} from '../testing/meta-test-kit.ts';

let testDb: TestDatabase;
let kit: MetaTestKit;
const HOUR = 3_600_000;

/** Answers with whatever the test puts here. */
let nextAnswer = 'Delivery takes 3 to 5 business days.';
const scripted: Responder = {
  async respond() {
    return { text: nextAnswer, citations: [], metadata: {} };
  },
};

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  nextAnswer = 'Delivery takes 3 to 5 business days.';
  kit = await startMetaTestKit(testDb, { responder: scripted, secret: 'x'.repeat(64) });
});
afterEach(async () => {
  await kit.close();
});

async function parts() {
  return withTenant(testDb.database.db, kit.shop.id, (tx) =>
    tx.select().from(outboundMessages).where(sql`kind <> 'mark_read'`).orderBy(outboundMessages.seq),
  );
}
async function messages() {
  return withTenant(testDb.database.db, kit.shop.id, (tx) =>
    tx.select().from(conversationMessages).orderBy(conversationMessages.seq),
  );
}
async function conversationId() {
  const [conversation] = await withTenant(testDb.database.db, kit.shop.id, (tx) =>
    tx.select().from(conversations),
  );
  if (!conversation) throw new Error('no conversation');
  return conversation.id;
}
async function customerWrites(id: string, text = 'How long does delivery take?') {
  expect((await kit.post('whatsapp', whatsappTextPayload(kit.clock, id, text))).status).toBe(200);
  await kit.server.meta.drain();
}

describe('retries', () => {
  it('retries a 5xx with backoff, and sends the answer once', async () => {
    kit.graph.failNextSend(GRAPH_ERRORS.serverError);
    await customerWrites('wamid.R1');
    let [part] = await parts();
    expect(part).toMatchObject({ status: 'pending', attempts: 1, errorCode: 2 });
    const wait = part!.nextAttemptAt.getTime() - kit.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(1_600);
    expect(wait).toBeLessThanOrEqual(2_400);
    await kit.server.meta.drain();
    expect(kit.graph.sends()).toHaveLength(1);

    kit.clock.advance(wait);
    await kit.server.meta.drain();
    [part] = await parts();
    expect(part).toMatchObject({ status: 'sent', attempts: 2, errorCode: null });
    expect(kit.graph.sends()).toHaveLength(2);
    expect(kit.graph.sends().map((c) => c.body)).toEqual([
      kit.graph.sends()[0]!.body,
      kit.graph.sends()[0]!.body,
    ]);
  });

  it('backs off on rate-limit codes: throughput (130429) and the per-user pair limit (131056, 4^n s)', async () => {
    kit.graph.failNextSend(GRAPH_ERRORS.whatsappThroughput);
    await customerWrites('wamid.R2');
    let [part] = await parts();
    expect(part).toMatchObject({ status: 'pending', errorCode: 130429 });
    expect(part!.nextAttemptAt.getTime() - kit.clock.now().getTime()).toBeGreaterThanOrEqual(5_000);

    kit.clock.advance(6_000);
    kit.graph.failNextSend(GRAPH_ERRORS.whatsappPairRate);
    await kit.server.meta.drain();
    [part] = await parts();
    expect(part).toMatchObject({ status: 'pending', attempts: 2, errorCode: 131056 });
    // 4^2 s = 16 s, with ±20 % jitter (the test's jitter is the middle).
    expect(part!.nextAttemptAt.getTime() - kit.clock.now().getTime()).toBe(16_000);

    kit.clock.advance(16_000);
    await kit.server.meta.drain();
    [part] = await parts();
    expect(part?.status).toBe('sent');
  });

  it('keeps trying while Meta is unreachable, without stopping the server', async () => {
    kit.graph.failAlways('reset');
    await customerWrites('wamid.R3');
    for (let i = 0; i < 3; i++) {
      kit.clock.advance(10 * 60_000);
      await kit.server.meta.drain();
    }
    let [part] = await parts();
    expect(part).toMatchObject({
      status: 'pending',
      attempts: 4,
      errorMessage: expect.stringContaining('unreachable'),
    });
    expect((await fetch(`${kit.server.url}/healthz`)).status).toBe(200);
    kit.graph.recover();
    kit.clock.advance(10 * 60_000);
    await kit.server.meta.drain();
    [part] = await parts();
    expect(part?.status).toBe('sent');
  });

  it('gives up on a refused token at once and says why on the message', async () => {
    kit.graph.failNextSend(GRAPH_ERRORS.tokenExpired);
    await customerWrites('wamid.R4');
    const [part] = await parts();
    expect(part).toMatchObject({ status: 'failed', reason: 'token_invalid', errorCode: 190 });
    const answer = (await messages()).find((m) => m.role === 'assistant');
    expect(answer?.metadata['delivery']).toMatchObject({
      status: 'failed',
      reason: 'token_invalid',
      error: { code: 190 },
    });
    kit.clock.advance(HOUR);
    await kit.server.meta.drain();
    expect(kit.graph.sends()).toHaveLength(1);
  });
});

describe('long answers', () => {
  it('are split at 4,096 characters on sentence boundaries and sent in order', async () => {
    nextAnswer = Array.from(
      { length: 160 },
      (_, i) => `Sentence number ${i} explains one more detail of the offer.`,
    ).join(' ');
    expect(nextAnswer.length).toBeGreaterThan(2 * 4096);
    await customerWrites('wamid.L1');
    const sent = kit.graph.sends().map((c) => (c.body as { text: { body: string } }).text.body);
    expect(sent).toHaveLength(3);
    for (const text of sent) {
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(text.endsWith('offer.')).toBe(true);
    }
    expect(sent.join(' ')).toBe(nextAnswer);
    const stored = await parts();
    expect(stored.map((p) => [p.partIndex, p.partCount, p.status])).toEqual([
      [0, 3, 'sent'],
      [1, 3, 'sent'],
      [2, 3, 'sent'],
    ]);
  });
});

describe('the 24-hour window', () => {
  it('refuses an operator reply after 24 hours when no template is configured, and says why', async () => {
    await customerWrites('wamid.W1');
    kit.clock.advance(25 * HOUR);
    const reply = await replyAsOperator(kit, testDb.database, await conversationId(), 'Sorry for the wait!');
    await kit.server.meta.drain();
    expect(kit.graph.sends()).toHaveLength(1);
    const stored = (await messages()).find((m) => m.id === reply.id);
    expect(stored?.metadata['delivery']).toMatchObject({
      status: 'refused',
      reason: 'outside_window',
      error: { message: expect.stringContaining('no template is configured') },
    });
  });

  it('sends the tenant’s template instead, with the reply as its parameter', async () => {
    await withTenant(testDb.database.db, kit.shop.id, (tx) =>
      updateChannelSettings(tx, kit.shop.id, {
        whatsappTemplateName: 'reply_waiting',
        whatsappTemplateLanguage: 'fr',
        whatsappTemplateTextParameter: true,
      }),
    );
    await customerWrites('wamid.W2');
    kit.clock.advance(30 * HOUR);
    await replyAsOperator(kit, testDb.database, await conversationId(), 'Your order\nhas    shipped!');
    await kit.server.meta.drain();
    const template = kit.graph.sends()[1];
    expect(template?.body).toMatchObject({
      to: '33612345678',
      type: 'template',
      template: {
        name: 'reply_waiting',
        language: { code: 'fr' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your order has   shipped!' }] }],
      },
    });
    const [, part] = await parts();
    expect(part).toMatchObject({ kind: 'template', status: 'sent', sentAs: 'reply_waiting' });
  });

  it('follows Meta when it says the window closed first (131047): the template goes instead', async () => {
    await withTenant(testDb.database.db, kit.shop.id, (tx) =>
      updateChannelSettings(tx, kit.shop.id, {
        whatsappTemplateName: 'reply_waiting',
        whatsappTemplateLanguage: 'en',
      }),
    );
    kit.graph.failNextSend(GRAPH_ERRORS.whatsappWindow);
    await customerWrites('wamid.W3');
    const sends = kit.graph.sends();
    expect(sends.map((c) => (c.body as { type: string }).type)).toEqual(['text', 'template']);
    const [part] = await parts();
    expect(part).toMatchObject({ kind: 'template', status: 'sent' });
  });

  it('closes while a send is being retried: the retry goes out as a template, or is refused', async () => {
    kit.graph.failAlways('reset');
    await customerWrites('wamid.W4');
    kit.clock.advance(25 * HOUR);
    kit.graph.recover();
    await kit.server.meta.drain();
    const [part] = await parts();
    expect(part).toMatchObject({ status: 'refused', reason: 'outside_window' });
    expect(kit.graph.sends().every((c) => c.at > 0)).toBe(true);
    expect(
      kit.graph.calls.filter((c) => c.method === 'POST' && (c.body as { type?: string }).type === 'text'),
    ).toHaveLength(1);
  });
});

describe('the outbox across a restart', () => {
  it('sends an answer queued before the process stopped exactly once after it starts again', async () => {
    kit.graph.failAlways('reset');
    await customerWrites('wamid.S1');
    expect((await parts())[0]?.status).toBe('pending');
    const graph = kit.graph;
    await kit.server.close();

    graph.recover();
    const restarted = await startMetaTestKit(testDb, {
      responder: scripted,
      secret: 'x'.repeat(64),
      graph,
      clock: kit.clock,
      connect: false,
      reuseTenant: kit.shop,
    });
    try {
      kit.clock.advance(5_000);
      await restarted.server.meta.drain();
      const delivered = graph.calls.filter(
        (c) => c.method === 'POST' && (c.body as { type?: string }).type === 'text',
      );
      expect(delivered.filter((c) => c.at > 0)).toHaveLength(2);
      const [part] = await parts();
      expect(part?.status).toBe('sent');
      expect((await messages()).filter((m) => m.role === 'assistant')).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });

  it('does not send again what reached Meta before the crash (its status webhook names our part)', async () => {
    // The process "crashes" after Meta received the send but before the answer was recorded:
    // the request hangs, and another process takes over.
    kit.graph.failNextSend('hang');
    await kit.post('whatsapp', whatsappTextPayload(kit.clock, 'wamid.S2', 'How long does delivery take?'));
    const inFlight = kit.server.meta.drain();
    await kit.graph.waitForCalls(2);
    const sent = kit.graph.sends()[0];
    const callback = String(Reflect.get(Object(sent?.body), 'biz_opaque_callback_data'));
    expect(callback).toMatch(/^causette:[0-9a-f-]{36}$/);

    const successor = await startMetaTestKit(testDb, {
      responder: scripted,
      secret: 'x'.repeat(64),
      graph: kit.graph,
      clock: kit.clock,
      connect: false,
      reuseTenant: kit.shop,
    });
    try {
      // Meta's "sent" status for the message that went through, carrying our part id.
      await successor.post('whatsapp', {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'WABA',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { phone_number_id: '1122334455667' },
                  statuses: [
                    {
                      id: 'wamid.FROM_META_1',
                      status: 'sent',
                      timestamp: String(Math.floor(kit.clock.now().getTime() / 1000)),
                      recipient_id: '33612345678',
                      biz_opaque_callback_data: callback,
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      kit.clock.advance(61_000);
      await successor.server.meta.drain();
      expect(kit.graph.sends()).toHaveLength(1);
      const [part] = await parts();
      expect(part).toMatchObject({ status: 'sent', platformMessageId: 'wamid.FROM_META_1' });
    } finally {
      kit.graph.recover();
      await inFlight.catch(() => {});
      await successor.close();
    }
    expect(kit.graph.sends()).toHaveLength(1);
    expect((await parts())[0]?.platformMessageId).toBe('wamid.FROM_META_1');
  });

  it('answers a customer message whose answer was lost in a crash, once', async () => {
    let release: () => void = () => {};
    let reached: () => void = () => {};
    const thinking = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const stuck: Responder = {
      respond: () => {
        reached();
        return new Promise((resolve) => {
          release = () => resolve(null);
        });
      },
    };
    const graph = kit.graph;
    await kit.server.close();
    await testDb.reset();
    kit = await startMetaTestKit(testDb, { responder: stuck, secret: 'x'.repeat(64), graph });
    await kit.post('whatsapp', whatsappTextPayload(kit.clock, 'wamid.S3', 'How long does delivery take?'));
    const processing = kit.server.meta.drain();
    // The first process stored the message and is thinking (then dies); a second one sweeps.
    await thinking;
    const successor = await startMetaTestKit(testDb, {
      responder: scripted,
      secret: 'x'.repeat(64),
      graph,
      clock: kit.clock,
      connect: false,
      reuseTenant: kit.shop,
    });
    try {
      // Too recent: its answer may still be on the way.
      expect(await successor.server.meta.recoverUnanswered()).toBe(0);
      kit.clock.advance(3 * 60_000);
      expect(await successor.server.meta.recoverUnanswered()).toBe(1);
      await successor.server.meta.drain();
      expect(await successor.server.meta.recoverUnanswered()).toBe(0);
      expect((await messages()).filter((m) => m.role === 'assistant')).toHaveLength(1);
      expect(graph.sends()).toHaveLength(1);
    } finally {
      release();
      await processing;
      await successor.close();
      await graph.close();
    }
    expect((await messages()).filter((m) => m.role === 'assistant')).toHaveLength(1);
  });
});

describe('several server processes', () => {
  it('share the work: the same deliveries reaching two processes make one message and one reply each', async () => {
    const second = await startMetaTestKit(testDb, {
      responder: scripted,
      secret: 'x'.repeat(64),
      graph: kit.graph,
      clock: kit.clock,
      connect: false,
      reuseTenant: kit.shop,
    });
    try {
      const deliveries = ['wamid.P1', 'wamid.P2', 'wamid.P3'].map((id, i) =>
        whatsappTextPayload(kit.clock, id, 'How long does delivery take?', `3361000000${i}`),
      );
      // Each delivery arrives at both processes (Meta retried it through another load balancer
      // target); the second copies are re-serialized, so only the message ids match.
      await Promise.all(
        deliveries.flatMap((d) => [
          kit.post('whatsapp', d),
          second.post('whatsapp', JSON.stringify(d, null, 2)),
        ]),
      );
      await Promise.all([kit.server.meta.drain(), second.server.meta.drain()]);
      await Promise.all([kit.server.meta.drain(), second.server.meta.drain()]);
      const stored = await messages();
      expect(stored.filter((m) => m.role === 'user')).toHaveLength(3);
      expect(stored.filter((m) => m.role === 'assistant')).toHaveLength(3);
      expect(kit.graph.sends()).toHaveLength(3);
      expect(kit.graph.readReceipts()).toHaveLength(3);
    } finally {
      await second.close();
    }
  });
});

describe('while webhooks are arriving', () => {
  it('does the outbox’s database work one part at a time, and still sends in parallel to a slow Meta', async () => {
    let arriving = true;
    // Counts the sender's transactions under way at once.
    let open = 0;
    let mostOpen = 0;
    const counted = new Proxy(testDb.database.db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<typeof target.transaction>) => {
          mostOpen = Math.max(mostOpen, ++open);
          try {
            return await target.transaction(...args);
          } finally {
            open--;
          }
        };
      },
    });
    const shop = kit.shop;
    await kit.close();
    kit = await startMetaTestKit(testDb, {
      responder: scripted,
      secret: 'x'.repeat(64),
      connect: false,
      reuseTenant: shop,
      underPressure: () => arriving,
      senderDb: counted,
    });
    const burst = async (prefix: string) => {
      const ids = Array.from({ length: 6 }, (_, i) => `wamid.${prefix}${i}`);
      // Meta answers each call in 150 ms: sent one after another, six answers would take 900 ms.
      kit.graph.failNext(...ids.flatMap(() => [{ slowMs: 150 }, { slowMs: 150 }]));
      for (const [i, id] of ids.entries()) {
        const from = `3362000${prefix.length}0${i}`;
        expect(
          (
            await kit.post(
              'whatsapp',
              whatsappTextPayload(kit.clock, id, 'How long does delivery take?', from),
            )
          ).status,
        ).toBe(200);
      }
      kit.graph.mostInFlight = 0;
      mostOpen = 0;
      await kit.server.meta.drain();
      return { meta: kit.graph.mostInFlight, database: mostOpen };
    };
    const pressed = await burst('B');
    expect(pressed.database).toBe(1);
    expect(pressed.meta).toBeGreaterThan(1);
    expect(kit.graph.sends()).toHaveLength(6);
    arriving = false;
    const lull = await burst('LULL');
    expect(lull.database).toBeGreaterThan(1);
    expect(lull.meta).toBeGreaterThan(1);
    expect(kit.graph.sends()).toHaveLength(12);
    expect(kit.graph.readReceipts()).toHaveLength(12);
  });
});
