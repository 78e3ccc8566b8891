import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { conversationMessages } from '../../migrations/schema/index.ts';
import { type MetaTestKit, startMetaTestKit, TestClock } from '../testing/meta-test-kit.ts';

const FIXTURE_TIME = 1_731_000_000_000;
const fixturesDir = fileURLToPath(new URL('../../bot/channels/meta/instagram/fixtures/', import.meta.url));
const fixture = (name: string) => readFileSync(`${fixturesDir}${name}`, 'utf8');

let testDb: TestDatabase;
let kit: MetaTestKit;

// One app for every fixture: each case starts from no conversation at all.
beforeAll(async () => {
  testDb = await createTestDatabase();
  kit = await startMetaTestKit(testDb, {
    responder: {
      async respond() {
        return { text: 'Nous livrons en 3 à 5 jours ouvrés.', citations: [], metadata: {} };
      },
    },
    clock: new TestClock(new Date(FIXTURE_TIME + 60_000)),
  });
});
afterAll(async () => {
  await kit.close();
  await testDb.destroy();
});
beforeEach(async () => {
  await kit.clearConversations();
});

async function messages() {
  return withTenant(testDb.database.db, kit.shop.id, (tx) =>
    tx.select().from(conversationMessages).orderBy(conversationMessages.seq),
  );
}

const fixtureNames = readdirSync(fixturesDir).filter((n) => n.endsWith('.json'));
const expected: Record<string, { roles: string[]; sends: number; meta?: object }> = {
  'message__text.json': { roles: ['user', 'assistant'], sends: 1 },
  'message__quick_reply.json': { roles: ['user', 'assistant'], sends: 1, meta: { payload: 'DELIVERY' } },
  'message__story_reply.json': {
    roles: ['user', 'assistant'],
    sends: 1,
    meta: { story_reply: { id: '17890000000000001' } },
  },
  'message__reply_to_message.json': {
    roles: ['user', 'assistant'],
    sends: 1,
    meta: { in_reply_to: expect.any(String) },
  },
  // Unreadable: the polite answer comes from the real decorator; the scripted bot stays silent.
  'message__image.json': {
    roles: ['user', 'assistant'],
    sends: 1,
    meta: { unreadable: true, type: 'image' },
  },
  'message__audio.json': { roles: ['user', 'assistant'], sends: 1, meta: { unreadable: true } },
  'message__ig_post_share.json': { roles: ['user', 'assistant'], sends: 1, meta: { type: 'ig_post' } },
  'message__unsupported.json': { roles: ['user', 'assistant'], sends: 1, meta: { unreadable: true } },
  'message__story_mention.json': { roles: ['user'], sends: 0, meta: { type: 'story_mention' } },
  'message__deleted.json': { roles: [], sends: 0 },
  'message__echo.json': { roles: ['agent'], sends: 0 },
  'postback.json': { roles: ['user', 'assistant'], sends: 1, meta: { payload: 'TALK_TO_HUMAN' } },
  'reaction__react.json': { roles: [], sends: 0 },
  'reaction__unreact.json': { roles: [], sends: 0 },
  'read.json': { roles: [], sends: 0 },
  'referral.json': { roles: [], sends: 0 },
  'standby__text.json': { roles: ['user'], sends: 0, meta: { standby: true } },
  'dashboard_test.json': { roles: [], sends: 0 },
  'batch__three_messages.json': {
    roles: ['user', 'assistant', 'user', 'assistant', 'user', 'assistant'],
    sends: 3,
  },
};

describe('every Instagram fixture is accepted, and handled or ignored as its type requires', () => {
  it.each(fixtureNames)('%s', async (name) => {
    const rule = expected[name];
    expect(rule, `no expectation written for ${name}`).toBeDefined();
    expect((await kit.post('instagram', fixture(name))).status).toBe(200);
    await kit.server.meta.drain();
    const stored = await messages();
    // Several messages in one delivery are all stored before their answers: compare as sets.
    expect(stored.map((m) => m.role).sort()).toEqual([...rule!.roles].sort());
    if (rule!.meta) expect(stored[0]?.metadata).toMatchObject(rule!.meta);
    expect(kit.graph.sends()).toHaveLength(rule!.sends);
  });
});
