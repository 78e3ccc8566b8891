import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signHubBody } from '../../bot/channels/meta/hub-signature.ts';
import { queryRows } from '../../db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import {
  type MetaTestKit,
  startMetaTestKit,
  WHATSAPP_PHONE_ID,
  whatsappFixture,
} from '../testing/meta-test-kit.ts';

let testDb: TestDatabase;
let kit: MetaTestKit;

// One app for the whole file: bad input must leave it as it was, which each case checks.
beforeAll(async () => {
  testDb = await createTestDatabase();
  kit = await startMetaTestKit(testDb);
});
afterAll(async () => {
  await kit.close();
  await testDb.destroy();
});
beforeEach(async () => {
  await kit.clearConversations();
});

/** Every row of the table, whichever tenant it is of: counted as the owner. */
async function count(table: 'webhook_events' | 'conversation_messages' | 'conversations') {
  const rows = await testDb.asOwner((owner) =>
    queryRows<{ n: number }>(owner, sql.raw(`select count(*)::int as n from ${table}`)),
  );
  return rows[0]?.n ?? 0;
}

async function expectNothingStoredAndAlive() {
  await kit.server.meta.drain();
  expect(await count('webhook_events')).toBe(0);
  expect(await count('conversation_messages')).toBe(0);
  expect(await count('conversations')).toBe(0);
  expect(kit.graph.calls).toEqual([]);
  expect((await fetch(`${kit.server.url}/healthz`)).status).toBe(200);
}

describe('bad input on the webhooks: 4xx or ignored, nothing half-stored, the server stays up', () => {
  it('a forged signature gets 401', async () => {
    const body = await whatsappFixture('message__text.json');
    const forged = await kit.post('whatsapp', body, { secret: 'not-the-app-secret' });
    expect(forged.status).toBe(401);
    expect((await forged.json()).code).toBe('CAUSETTE_ERR_BAD_SIGNATURE');
    expect((await kit.post('whatsapp', body, { signature: null })).status).toBe(401);
    expect((await kit.post('whatsapp', body, { signature: 'sha256=zz' })).status).toBe(401);
    expect((await kit.post('instagram', '{"object":"instagram","entry":[]}', { secret: 'x' })).status).toBe(
      401,
    );
    // Signed over re-serialized JSON rather than the bytes sent: a forgery too.
    const resigned = signHubBody(JSON.stringify(JSON.parse(body)), 'test-app-secret');
    expect((await kit.post('whatsapp', body, { signature: resigned })).status).toBe(401);
    await expectNothingStoredAndAlive();
  });

  it('truncated JSON gets 400', async () => {
    const body = await whatsappFixture('message__text.json');
    const response = await kit.post('whatsapp', body.slice(0, body.length / 2));
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('CAUSETTE_ERR_BAD_WEBHOOK');
    await expectNothingStoredAndAlive();
  });

  it('a body that is not UTF-8 gets 400', async () => {
    const response = await kit.post('whatsapp', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(response.status).toBe(400);
    await expectNothingStoredAndAlive();
  });

  it('a 5 MB body gets 413 without being read whole', async () => {
    const huge = Buffer.alloc(5 * 1024 * 1024, 0x20);
    huge.write('{"object":"whatsapp_business_account","entry":[');
    const response = await kit.post('whatsapp', huge, { signature: 'sha256=00' });
    expect(response.status).toBe(413);
    await expectNothingStoredAndAlive();
  });

  it('a body of another content type gets 4xx', async () => {
    const body = await whatsappFixture('message__text.json');
    expect((await kit.post('whatsapp', body, { contentType: 'text/plain' })).status).toBe(400);
    expect((await kit.post('whatsapp', body, { contentType: 'application/xml' })).status).toBe(415);
    await expectNothingStoredAndAlive();
  });

  it('wrong object types: a notification for another product is acknowledged and ignored', async () => {
    const page = { object: 'page', entry: [{ id: '1', time: 1, messaging: [] }] };
    expect((await kit.post('whatsapp', page)).status).toBe(200);
    const whatsappOnInstagram = JSON.parse(await whatsappFixture('message__text.json'));
    expect((await kit.post('instagram', whatsappOnInstagram)).status).toBe(200);
    await expectNothingStoredAndAlive();
  });

  it('wrong types inside the envelope get 400', async () => {
    for (const body of [
      { object: 'whatsapp_business_account', entry: 'nope' },
      { object: 42, entry: [] },
      { object: 'whatsapp_business_account', entry: [{ id: { nested: true } }] },
      [1, 2, 3],
      'just a string',
      null,
    ]) {
      expect((await kit.post('whatsapp', JSON.stringify(body))).status).toBe(400);
    }
    await expectNothingStoredAndAlive();
  });

  it('a missing entry array gets 400', async () => {
    const response = await kit.post('whatsapp', { object: 'whatsapp_business_account' });
    expect(response.status).toBe(400);
    await expectNothingStoredAndAlive();
  });

  it('an unknown field type is acknowledged, and ignored with a log line', async () => {
    const lines: string[] = [];
    await kit.close();
    await testDb.reset();
    kit = await startMetaTestKit(testDb, {
      log: {
        debug() {},
        info: (_o, m) => lines.push(`info ${m}`),
        warn: (_o, m) => lines.push(`warn ${m}`),
        error: (_o, m) => lines.push(`error ${m}`),
      },
      connect: false,
    });
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1 } },
            { field: 'messages', value: { metadata: { phone_number_id: WHATSAPP_PHONE_ID }, mystery: [] } },
          ],
        },
      ],
    };
    expect((await kit.post('whatsapp', body)).status).toBe(200);
    await kit.server.meta.drain();
    expect(await count('conversation_messages')).toBe(0);
    expect(lines).toContain(
      'info webhook event ignored: field "message_template_status_update" is not handled',
    );
    expect(lines.some((l) => l.includes('neither messages nor statuses'))).toBe(true);
    expect((await fetch(`${kit.server.url}/healthz`)).status).toBe(200);
    await kit.close();
    await testDb.reset();
    kit = await startMetaTestKit(testDb);
  });

  it('a dashboard "test" notification is acknowledged, logged, and not stored', async () => {
    const whatsappTest = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '0',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '16505551111', phone_number_id: '123456123' },
                contacts: [{ profile: { name: 'test user name' }, wa_id: '16315551181' }],
                messages: [
                  {
                    from: '16315551181',
                    id: 'ABGGFlA5Fpa',
                    timestamp: '1504902988',
                    type: 'text',
                    text: { body: 'this is a text message' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    const instagramTest = {
      object: 'instagram',
      entry: [
        {
          id: '0',
          time: 1_700_000_000,
          changes: [
            {
              field: 'messages',
              value: {
                sender: { id: '12334' },
                recipient: { id: '23245' },
                timestamp: '1527459824',
                message: { mid: 'random_mid', text: 'random_text' },
              },
            },
          ],
        },
      ],
    };
    expect((await kit.post('whatsapp', whatsappTest)).status).toBe(200);
    expect((await kit.post('instagram', instagramTest)).status).toBe(200);
    await expectNothingStoredAndAlive();
  });

  it('a database that cannot store the delivery gets 503, so Meta delivers it again', async () => {
    const body = await whatsappFixture('message__text.json');
    // The database refuses every new delivery (as a full disk or a failover would).
    await testDb.asOwner((owner) =>
      owner.execute(sql`alter table webhook_events add constraint refuse_all check (false) not valid`),
    );
    try {
      const refused = await kit.post('whatsapp', body);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect((await refused.json()).code).toBe('CAUSETTE_ERR_STORAGE_UNAVAILABLE');
      expect(await count('webhook_events')).toBe(0);
    } finally {
      await testDb.asOwner((owner) =>
        owner.execute(sql`alter table webhook_events drop constraint refuse_all`),
      );
    }
    // Meta's retry, once the database is back, goes through.
    expect((await kit.post('whatsapp', body)).status).toBe(200);
    expect(await count('webhook_events')).toBe(1);
  });
});
