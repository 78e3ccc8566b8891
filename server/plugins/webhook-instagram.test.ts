import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signHubBody } from '../../bot/channels/meta/hub-signature.ts';
import type { Responder } from '../../bot/responder.ts';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { GRAPH_ERRORS } from '../../bot/testing/graph-stand-in.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { conversationMessages, conversations, outboundMessages } from '../../migrations/schema/index.ts';
import {
  INSTAGRAM_ACCOUNT_ID,
  instagramPayload,
  type MetaTestKit,
  replyAsOperator,
  startMetaTestKit,
  TestClock,
} from '../testing/meta-test-kit.ts';

const CUSTOMER = '6543210987654321';
const FIXTURE_TIME = 1_731_000_000_000;
const HOUR = 3_600_000;
const fixturesDir = fileURLToPath(new URL('../../bot/channels/meta/instagram/fixtures/', import.meta.url));
const fixture = (name: string) => readFileSync(`${fixturesDir}${name}`, 'utf8');

let testDb: TestDatabase;
let kit: MetaTestKit;
let nextAnswer = 'Nous livrons en 3 à 5 jours ouvrés.';
const scripted: Responder = {
  async respond(context) {
    return context.message.metadata['unreadable'] === true
      ? null
      : { text: nextAnswer, citations: [], metadata: {} };
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
  nextAnswer = 'Nous livrons en 3 à 5 jours ouvrés.';
  kit = await startMetaTestKit(testDb, {
    responder: scripted,
    clock: new TestClock(new Date(FIXTURE_TIME + 60_000)),
  });
  kit.graph.profiles.set(CUSTOMER, { name: 'Léa Martin', username: 'lea.m', id: CUSTOMER });
});
afterEach(async () => {
  await kit.close();
});

async function messages() {
  return withTenant(testDb.database.db, kit.shop.id, (tx) =>
    tx.select().from(conversationMessages).orderBy(conversationMessages.seq),
  );
}
async function conversation() {
  const [row] = await withTenant(testDb.database.db, kit.shop.id, (tx) => tx.select().from(conversations));
  return row;
}
async function parts() {
  return withTenant(testDb.database.db, kit.shop.id, (tx) =>
    tx.select().from(outboundMessages).orderBy(outboundMessages.seq),
  );
}
async function post(body: string | object) {
  const response = await kit.post('instagram', body);
  expect(response.status).toBe(200);
  await kit.server.meta.drain();
}

describe('an Instagram direct message', () => {
  it('is answered through the Send API, and the customer’s profile is fetched for the conversation', async () => {
    await post(fixture('message__text.json'));
    const stored = await messages();
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Bonjour ! Quels sont vos délais de livraison ? 🚚'],
      ['assistant', 'Nous livrons en 3 à 5 jours ouvrés.'],
    ]);
    const send = kit.graph.sends()[0];
    expect(send?.path).toBe('/me/messages');
    expect(send?.body).toEqual({
      recipient: { id: CUSTOMER },
      message: { text: 'Nous livrons en 3 à 5 jours ouvrés.' },
      messaging_type: 'RESPONSE',
    });
    const profileCall = kit.graph.calls.find((c) => c.method === 'GET');
    expect(profileCall).toMatchObject({ path: `/${CUSTOMER}`, query: { fields: 'name,username' } });
    expect((await conversation())?.metadata).toMatchObject({ profile_name: 'Léa Martin', username: 'lea.m' });
    expect((await parts())[0]).toMatchObject({ status: 'sent', platformMessageId: expect.any(String) });
  });

  it('goes through graph.instagram.com/<account id>/messages for an Instagram Login account', async () => {
    await withTenant(testDb.database.db, kit.shop.id, (tx) =>
      tx.execute(sql`update social_accounts set graph_api = 'instagram' where platform = 'instagram'`),
    );
    await post(fixture('message__text.json'));
    expect(kit.graph.sends()[0]?.path).toBe(`/${INSTAGRAM_ACCOUNT_ID}/messages`);
  });

  it('is split at 1,000 UTF-8 bytes when the answer is long', async () => {
    nextAnswer = Array.from({ length: 40 }, (_, i) => `Étape ${i} : préparez votre colis à l’avance.`).join(
      ' ',
    );
    await post(fixture('message__text.json'));
    const texts = kit.graph.sends().map((c) => (c.body as { message: { text: string } }).message.text);
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
    expect(texts.join(' ')).toBe(nextAnswer);
  });
});

describe('echoes', () => {
  it('of the bot’s own replies are recognised by id and never answered', async () => {
    await post(fixture('message__text.json'));
    const [part] = await parts();
    // Meta echoes every message the page sends, the bot's included.
    await post(
      instagramPayload(kit.clock, { mid: part!.platformMessageId, text: part!.body }, { echo: true }),
    );
    expect((await messages()).map((m) => m.role)).toEqual(['user', 'assistant']);
    expect((await conversation())?.status).toBe('open');

    expect(kit.graph.sends()).toHaveLength(1);
  });

  it('matched against a send still in flight confirm it, with Meta’s id', async () => {
    kit.graph.failNextSend('hang');
    await kit.post('instagram', fixture('message__text.json'));
    const working = kit.server.meta.drain();
    // The profile read and the send, which hangs.
    await kit.graph.waitForCalls(2);
    expect(kit.graph.sends()).toHaveLength(1);
    await kit.post(
      'instagram',
      instagramPayload(kit.clock, { mid: 'mid.echo.1', text: nextAnswer }, { echo: true }),
    );
    kit.graph.recover();
    await working;
    await kit.server.meta.drain();
    expect((await messages()).map((m) => m.role)).toEqual(['user', 'assistant']);
    expect((await conversation())?.status).toBe('open');
  });

  it('of a message a person wrote in the Instagram app are recorded, and pause the bot', async () => {
    await post(fixture('message__text.json'));
    await post(fixture('message__echo.json'));
    const afterEcho = await messages();
    expect(afterEcho.map((m) => m.role)).toEqual(['user', 'assistant', 'agent']);
    expect(afterEcho[2]?.metadata).toMatchObject({ echo: true, author: 'instagram_app' });
    expect(await conversation()).toMatchObject({
      status: 'escalated',
      metadata: { bot_paused: { by: 'instagram_app' } },
    });
    // The same echo again changes nothing; the customer's next message waits for the human.
    await post(fixture('message__echo.json'));
    await post(instagramPayload(kit.clock, { mid: 'm_after_human', text: 'Merci Julie !' }));
    expect((await messages()).map((m) => m.role)).toEqual(['user', 'assistant', 'agent', 'user']);
    expect(kit.graph.sends()).toHaveLength(1);
  });
});

describe('the 24-hour window on Instagram', () => {
  it('lets a person answer with the HUMAN_AGENT tag for 7 days, and refuses later', async () => {
    await post(fixture('message__text.json'));
    const id = (await conversation())!.id;
    kit.clock.advance(30 * HOUR);
    await replyAsOperator(kit, testDb.database, id, 'Votre colis est parti.');
    await kit.server.meta.drain();
    expect(kit.graph.sends()[1]?.body).toEqual({
      recipient: { id: CUSTOMER },
      message: { text: 'Votre colis est parti.' },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
    kit.clock.advance(7 * 24 * HOUR);
    const late = await replyAsOperator(kit, testDb.database, id, 'Toujours là ?');
    await kit.server.meta.drain();
    expect(kit.graph.sends()).toHaveLength(2);
    const stored = (await messages()).find((m) => m.id === late.id);
    expect(stored?.metadata['delivery']).toMatchObject({ status: 'refused', reason: 'outside_window' });
  });

  it('never lets the bot use the tag: a late bot answer is refused', async () => {
    await kit.post('instagram', fixture('message__text.json'));
    kit.graph.failAlways('reset');
    await kit.server.meta.drain();
    kit.clock.advance(25 * HOUR);
    kit.graph.recover();
    await kit.server.meta.drain();
    expect((await parts())[0]).toMatchObject({ status: 'refused', reason: 'outside_window' });
  });

  it('retries a person’s reply with the tag when Meta says the window closed (10/2534022)', async () => {
    await post(fixture('message__text.json'));
    kit.graph.failNextSend(GRAPH_ERRORS.instagramWindow);
    await replyAsOperator(kit, testDb.database, (await conversation())!.id, 'Je vérifie.');
    await kit.server.meta.drain();
    const sends = kit.graph.sends();
    expect(sends.slice(1).map((c) => (c.body as { messaging_type: string }).messaging_type)).toEqual([
      'RESPONSE',
      'MESSAGE_TAG',
    ]);
    expect((await parts()).at(-1)).toMatchObject({ status: 'sent', sentAs: 'HUMAN_AGENT' });
  });
});

describe('signals from the customer', () => {
  it('records reads, reactions and unsent messages without answering them', async () => {
    await post(fixture('message__text.json'));
    const [part] = await parts();
    await post(instagramPayload(kit.clock, { mid: part!.platformMessageId }, { kind: 'read' }));
    expect((await parts())[0]?.status).toBe('read');
    await post(fixture('reaction__react.json'));
    expect((await messages())[0]?.metadata['customer_reaction']).toBe('❤️');
    await post(fixture('reaction__unreact.json'));
    expect((await messages())[0]?.metadata['customer_reaction']).toBeUndefined();
    await post(fixture('message__deleted.json'));
    expect((await messages())[0]?.metadata['deleted_by_customer']).toBeDefined();
    expect(kit.graph.sends()).toHaveLength(1);
  });
});

describe('signatures', () => {
  it('are checked over the escaped bytes Meta sends, never over re-serialized JSON', async () => {
    const raw = fixture('message__text.json');
    expect(raw).toContain('\\u00e9');
    const reserialized = JSON.stringify(JSON.parse(raw));
    const forged = await kit.post('instagram', raw, {
      signature: signHubBody(reserialized, 'test-app-secret'),
    });
    expect(forged.status).toBe(401);
    expect((await kit.post('instagram', raw)).status).toBe(200);
  });

  it('use INSTAGRAM_APP_SECRET when it is set', async () => {
    await kit.close();
    await testDb.reset();
    kit = await startMetaTestKit(testDb, {
      responder: scripted,
      meta: { instagramAppSecret: 'instagram-app-secret' },
    });
    const raw = fixture('message__text.json');
    expect((await kit.post('instagram', raw, { secret: 'test-app-secret' })).status).toBe(401);
    expect((await kit.post('instagram', raw, { secret: 'instagram-app-secret' })).status).toBe(200);
    // WhatsApp keeps the Meta app's secret.
    expect((await kit.post('whatsapp', '{"object":"whatsapp_business_account","entry":[]}')).status).toBe(
      200,
    );
  });
});

describe('tenant isolation', () => {
  it('routes an Instagram account of tenant A only into tenant A', async () => {
    const other = await createTenant(testDb.database.db, { slug: 'other', name: 'Other' });
    await kit.connect(other.id, 'instagram', '17841400000000002');
    const forOther = JSON.parse(fixture('message__text.json'));
    forOther.entry[0].id = '17841400000000002';
    forOther.entry[0].messaging[0].recipient.id = '17841400000000002';
    await post(forOther);
    expect(await messages()).toEqual([]);
    const theirs = await withTenant(testDb.database.db, other.id, (tx) =>
      tx.select().from(conversationMessages),
    );
    expect(theirs.map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
