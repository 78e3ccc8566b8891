import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { conversationMessages, conversations, outboundMessages } from '../../migrations/schema/index.ts';
import { type MetaTestKit, startMetaTestKit, WHATSAPP_PHONE_ID } from '../testing/meta-test-kit.ts';

let testDb: TestDatabase;
let kit: MetaTestKit;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  kit = await startMetaTestKit(testDb);
  await withTenant(testDb.database.db, kit.shop.id, (tx) =>
    createFaqEntry(tx, kit.shop.id, {
      lang: 'en',
      question: 'How long does delivery take?',
      answer: 'Delivery takes 3 to 5 business days.',
    }),
  );
});
afterEach(async () => {
  await kit.close();
});

function textMessage(id: string, body: string, from = '33612345678', name = 'Marie') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA_ID',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: WHATSAPP_PHONE_ID },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [
                {
                  from,
                  id,
                  timestamp: String(Math.floor(kit.clock.now().getTime() / 1000)),
                  type: 'text',
                  text: { body },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

function statusUpdate(id: string, status: string, timestamp: number, errors?: unknown[]) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA_ID',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: WHATSAPP_PHONE_ID },
              statuses: [
                {
                  id,
                  status,
                  timestamp: String(timestamp),
                  recipient_id: '33612345678',
                  ...(errors ? { errors } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

async function messagesOf(tenantId: string) {
  return withTenant(testDb.database.db, tenantId, (tx) =>
    tx.select().from(conversationMessages).orderBy(conversationMessages.seq),
  );
}

async function partsOf(tenantId: string) {
  return withTenant(testDb.database.db, tenantId, (tx) =>
    tx.select().from(outboundMessages).orderBy(outboundMessages.seq),
  );
}

async function storedDeliveries() {
  // Deliveries belong to no tenant: only their owner reads them directly.
  const rows = await testDb.asOwner((owner) =>
    queryRows<{ n: number }>(owner, sql`select count(*)::int as n from webhook_events`),
  );
  return rows[0]?.n ?? 0;
}

describe('GET /webhooks/whatsapp (verification handshake)', () => {
  it('echoes the challenge when the verify token matches', async () => {
    const response = await fetch(
      `${kit.server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444`,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });

  it('refuses a wrong token or mode with 403', async () => {
    const wrongToken = await fetch(
      `${kit.server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    const wrongMode = await fetch(
      `${kit.server.url}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1`,
    );
    expect(wrongToken.status).toBe(403);
    expect(wrongMode.status).toBe(403);
    expect(await wrongToken.text()).not.toContain('test-verify-token');
  });
});

describe('a customer message', () => {
  it('is stored before the 200, then answered through the Graph API after a read receipt', async () => {
    const response = await kit.post('whatsapp', textMessage('wamid.A1', 'How long does delivery take?'));
    expect(response.status).toBe(200);
    expect(await storedDeliveries()).toBe(1);
    await kit.server.meta.drain();

    const messages = await messagesOf(kit.shop.id);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'How long does delivery take?'],
      ['assistant', 'Delivery takes 3 to 5 business days.'],
    ]);
    expect(messages[0]?.clientId).toBe('wamid.A1');

    const [receipt, send] = kit.graph.calls;
    expect(receipt?.path).toBe(`/${WHATSAPP_PHONE_ID}/messages`);
    expect(receipt?.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.A1',
      typing_indicator: { type: 'text' },
    });
    expect(send?.authorization).toBe('Bearer EAAGtestTOKENwhichMUSTneverLEAK0123456789');
    expect(send?.version).toBe('v23.0');
    expect(send?.body).toMatchObject({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '33612345678',
      type: 'text',
      text: { preview_url: false, body: 'Delivery takes 3 to 5 business days.' },
    });

    const parts = await partsOf(kit.shop.id);
    const reply = parts.find((p) => p.kind === 'text');
    expect(reply?.status).toBe('sent');
    expect(reply?.platformMessageId).toMatch(/^wamid\.STANDIN/);
    expect(reply?.sentAs).toBe('RESPONSE');
    const [stored] = (await messagesOf(kit.shop.id)).filter((m) => m.role === 'assistant');
    expect(stored?.metadata['delivery']).toMatchObject({ status: 'sent', parts: 1 });

    const [conversation] = await withTenant(testDb.database.db, kit.shop.id, (tx) =>
      tx.select().from(conversations),
    );
    expect(conversation?.metadata).toMatchObject({ profile_name: 'Marie', phone: '33612345678' });
  });

  it('delivered twice, or redelivered inside another batch, is stored and answered once', async () => {
    const body = JSON.stringify(textMessage('wamid.DUP', 'How long does delivery take?'));
    expect((await kit.post('whatsapp', body)).status).toBe(200);
    expect((await kit.post('whatsapp', body)).status).toBe(200);
    // The same message inside a different delivery (Meta batches retries differently).
    const other = textMessage('wamid.DUP', 'How long does delivery take?');
    other.entry.push(...textMessage('wamid.OTHER', 'Hello', '33700000000', 'Paul').entry);
    expect((await kit.post('whatsapp', other)).status).toBe(200);
    await kit.server.meta.drain();
    // Processed again from scratch, as another process would after a crash.
    await kit.server.meta.recoverUnanswered();
    await kit.server.meta.drain();

    const messages = await messagesOf(kit.shop.id);
    expect(messages.filter((m) => m.clientId === 'wamid.DUP')).toHaveLength(1);
    expect(messages.filter((m) => m.role === 'assistant')).toHaveLength(2);
    expect(kit.graph.sends()).toHaveLength(2);
    expect(kit.graph.readReceipts()).toHaveLength(2);
  });
});

describe('statuses', () => {
  async function sendOneReply() {
    await kit.post('whatsapp', textMessage('wamid.Q', 'How long does delivery take?'));
    await kit.server.meta.drain();
    const part = (await partsOf(kit.shop.id)).find((p) => p.kind === 'text');
    if (!part?.platformMessageId) throw new Error('no reply was sent');
    return part.platformMessageId;
  }

  it('never move backwards when they arrive out of order', async () => {
    const wamid = await sendOneReply();
    await kit.post('whatsapp', statusUpdate(wamid, 'read', 1_700_000_300));
    await kit.post('whatsapp', statusUpdate(wamid, 'delivered', 1_700_000_200));
    await kit.post('whatsapp', statusUpdate(wamid, 'sent', 1_700_000_100));
    await kit.server.meta.drain();
    const part = (await partsOf(kit.shop.id)).find((p) => p.platformMessageId === wamid);
    expect(part?.status).toBe('read');
    expect(part?.readAt?.getTime()).toBe(1_700_000_300_000);
    expect(part?.deliveredAt?.getTime()).toBe(1_700_000_200_000);
    const reply = (await messagesOf(kit.shop.id)).find((m) => m.role === 'assistant');
    expect(reply?.metadata['delivery']).toMatchObject({ status: 'read' });
  });

  it('record a late 131047 failure on the message, and a later delivery still wins', async () => {
    const wamid = await sendOneReply();
    await kit.post(
      'whatsapp',
      statusUpdate(wamid, 'failed', 1_700_000_100, [
        { code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } },
      ]),
    );
    await kit.server.meta.drain();
    let reply = (await messagesOf(kit.shop.id)).find((m) => m.role === 'assistant');
    expect(reply?.metadata['delivery']).toMatchObject({
      status: 'failed',
      reason: 'outside_window',
      error: { code: 131047 },
    });
    await kit.post('whatsapp', statusUpdate(wamid, 'delivered', 1_700_000_050));
    await kit.server.meta.drain();
    reply = (await messagesOf(kit.shop.id)).find((m) => m.role === 'assistant');
    expect(reply?.metadata['delivery']).toMatchObject({ status: 'delivered' });
  });

  it('for a message this server never sent are ignored', async () => {
    expect(
      (await kit.post('whatsapp', statusUpdate('wamid.NOT_OURS', 'delivered', 1_700_000_000))).status,
    ).toBe(200);
    await kit.server.meta.drain();
    expect(await partsOf(kit.shop.id)).toEqual([]);
  });
});

describe('routing', () => {
  it('drops an event for an account no tenant connected, with a 200', async () => {
    const body = textMessage('wamid.STRAY', 'hello');
    body.entry[0]!.changes[0]!.value.metadata.phone_number_id = '999999999';
    expect((await kit.post('whatsapp', body)).status).toBe(200);
    await kit.server.meta.drain();
    expect(await messagesOf(kit.shop.id)).toEqual([]);
    expect(kit.graph.calls).toEqual([]);
  });

  it('keeps tenants apart: an account of tenant A never routes into tenant B', async () => {
    const { createTenant } = await import('../../bot/tenants/tenant-store.ts');
    const other = await createTenant(testDb.database.db, { slug: 'other', name: 'Other' });
    await kit.connect(other.id, 'whatsapp', '5550001');
    const forOther = textMessage('wamid.B1', 'Hello from B');
    forOther.entry[0]!.changes[0]!.value.metadata.phone_number_id = '5550001';
    const batch = textMessage('wamid.A1', 'Hello from A');
    batch.entry.push(...forOther.entry);
    await kit.post('whatsapp', batch);
    await kit.server.meta.drain();
    const shopMessages = await messagesOf(kit.shop.id);
    const otherMessages = await messagesOf(other.id);
    expect(shopMessages.filter((m) => m.role === 'user').map((m) => m.clientId)).toEqual(['wamid.A1']);
    expect(otherMessages.filter((m) => m.role === 'user').map((m) => m.clientId)).toEqual(['wamid.B1']);
    const sendPaths = kit.graph
      .sends()
      .map((c) => c.path)
      .sort();
    expect(sendPaths).toEqual([`/${WHATSAPP_PHONE_ID}/messages`, '/5550001/messages']);
  });

  it('handles every entry and change of a large batch', async () => {
    const batch = textMessage('wamid.M0', 'Hello', '3360000000', 'C0');
    for (let i = 1; i < 40; i++) {
      const entry = textMessage(
        `wamid.M${i}`,
        'How long does delivery take?',
        `336000000${String(i).padStart(2, '0')}`,
        `C${i}`,
      ).entry[0]!;
      entry.changes.push(statusUpdate('wamid.unknown', 'sent', 1_700_000_000).entry[0]!.changes[0]! as never);
      batch.entry.push(entry);
    }
    expect((await kit.post('whatsapp', batch)).status).toBe(200);
    await kit.server.meta.drain();
    const all = await withTenant(testDb.database.db, kit.shop.id, (tx) => tx.select().from(conversations));
    expect(all).toHaveLength(40);
    const messages = await messagesOf(kit.shop.id);
    expect(messages.filter((m) => m.role === 'user')).toHaveLength(40);
    expect(messages.filter((m) => m.role === 'assistant')).toHaveLength(40);
    expect(kit.graph.sends()).toHaveLength(40);
    const one = await withTenant(testDb.database.db, kit.shop.id, (tx) =>
      tx.select().from(conversations).where(eq(conversations.userId, '33600000017')),
    );
    expect(one[0]?.metadata).toMatchObject({ profile_name: 'C17' });
  });
});
