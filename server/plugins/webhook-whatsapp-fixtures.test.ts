import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { conversationMessages, outboundMessages } from '../../migrations/schema/index.ts';
import { type MetaTestKit, startMetaTestKit, whatsappFixture } from '../testing/meta-test-kit.ts';

let testDb: TestDatabase;
let kit: MetaTestKit;
beforeAll(async () => {
  testDb = await createTestDatabase();
  kit = await startMetaTestKit(testDb);
});
afterAll(async () => {
  await kit.close();
  await testDb.destroy();
});

const fixtures = readdirSync(
  fileURLToPath(new URL('../../bot/channels/meta/whatsapp/fixtures/', import.meta.url)),
).filter((name) => name.endsWith('.json'));

/** What each fixture must produce: the stored customer message (if any) and whether the bot answers. */
const expected: Record<
  string,
  { role?: 'user' | 'system'; content?: RegExp; answered: boolean; meta?: object }
> = {
  'callback_button__button.json': {
    role: 'user',
    content: /^title$/,
    answered: true,
    meta: { reply_id: 'callback_data' },
  },
  'callback_button__quick_reply.json': {
    role: 'user',
    content: /^title$/,
    answered: true,
    meta: { payload: 'callback_data' },
  },
  'callback_button__quick_reply_without_context.json': { role: 'user', content: /^title$/, answered: true },
  'message__animated_sticker.json': { role: 'user', content: /\[sticker\]/, answered: false },
  'message__static_sticker.json': { role: 'user', content: /\[sticker\]/, answered: false },
  'message__audio.json': {
    role: 'user',
    content: /\[audio\]/,
    answered: true,
    meta: { unreadable: true, forwarded: true },
  },
  'message__voice.json': { role: 'user', content: /\[voice\]/, answered: true, meta: { type: 'voice' } },
  'message__chosen_location.json': {
    role: 'user',
    content: /Facebook HQ/,
    answered: true,
    meta: { type: 'location' },
  },
  'message__current_location.json': { role: 'user', content: /12\.25089/, answered: true },
  'message__contacts.json': { role: 'user', content: /Chandler Bing, Monica, Rachel Green/, answered: true },
  'message__document.json': {
    role: 'user',
    content: /^caption$/,
    answered: true,
    meta: { type: 'document' },
  },
  'message__forwarded.json': {
    role: 'user',
    content: /^forwarded text$/,
    answered: true,
    meta: { forwarded: true },
  },
  'message__forwarded_many_times.json': {
    role: 'user',
    content: /many times/,
    answered: true,
    meta: { forwarded: 'frequently' },
  },
  'message__image.json': {
    role: 'user',
    content: /\[image\]/,
    answered: true,
    meta: { media: { id: '65463453' } },
  },
  'message__media_with_url.json': { role: 'user', content: /\[image\]/, answered: true },
  'message__video.json': { role: 'user', answered: true, meta: { type: 'video' } },
  'message__interactive_message_with_err.json': { role: 'user', content: /unsupported/, answered: true },
  'message__order.json': { role: 'user', content: /3 × HAMBURGER/, answered: true },
  'message__referral.json': {
    role: 'user',
    content: /^BODY$/,
    answered: true,
    meta: { referral: { source_id: 'ADID' } },
  },
  'message__reply.json': {
    role: 'user',
    content: /^replied text$/,
    answered: true,
    meta: { in_reply_to: 'wamid.xyzxyz==' },
  },
  'message__text.json': { role: 'user', answered: true },
  'message__unsupported.json': {
    role: 'user',
    content: /unsupported/,
    answered: true,
    meta: { errors: [{ code: 131051 }] },
  },
  'message__unsupported_with_type.json': { role: 'user', content: /unsupported/, answered: true },
  'message__system_changed_number.json': { role: 'system', content: /changed from/, answered: false },
  'message__username_only.json': { role: 'user', content: /Lyon/, answered: true },
  // Reactions, statuses: no message of their own.
  'message__reaction.json': { answered: false },
  'message__unreaction_empty.json': { answered: false },
  'message__unreaction_no_emoji.json': { answered: false },
};

describe('every WhatsApp fixture is accepted, and handled or ignored as its type requires', () => {
  it.each(fixtures)('%s', async (name) => {
    await kit.clearConversations();
    const body = await whatsappFixture(name);
    // The fixtures are from 2023: the clock is set a minute after the message, inside its window.
    const sentAt = Number(/"timestamp": "(\d+)"/.exec(body)?.[1] ?? '0');
    kit.clock.current = new Date((sentAt + 60) * 1000);
    const response = await kit.post('whatsapp', body);
    expect(response.status).toBe(200);
    await kit.server.meta.drain();
    const messages = await withTenant(testDb.database.db, kit.shop.id, (tx) =>
      tx.select().from(conversationMessages).orderBy(conversationMessages.seq),
    );
    const parts = await withTenant(testDb.database.db, kit.shop.id, (tx) =>
      tx.select().from(outboundMessages),
    );
    const rule = expected[name];
    if (name.startsWith('message_status__')) {
      // Statuses of messages this server never sent: accepted, nothing stored.
      expect(messages).toEqual([]);
      expect(parts).toEqual([]);
      return;
    }
    expect(rule, `no expectation written for ${name}`).toBeDefined();
    const customer = messages.find((m) => m.role === 'user' || m.role === 'system');
    if (rule?.role) {
      expect(customer?.role).toBe(rule.role);
      if (rule.content) expect(customer?.content).toMatch(rule.content);
      if (rule.meta) expect(customer?.metadata).toMatchObject(rule.meta);
    } else {
      expect(customer).toBeUndefined();
    }
    const answers = messages.filter((m) => m.role === 'assistant');
    expect(answers).toHaveLength(rule?.answered ? 1 : 0);
    expect(kit.graph.sends()).toHaveLength(rule?.answered ? 1 : 0);
    if (rule?.answered && customer?.metadata['unreadable'] === true) {
      // The bot says politely it cannot read this, rather than guessing.
      expect(answers[0]?.content).toMatch(/only read written messages|que les messages écrits/);
    }
  });
});
