import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { seedDemo } from '../../demo/seed-demo.ts';
import { startTestApp, type TestApp } from '../../server/testing/test-app.ts';
import { parseScript, playConversation, replyMatches, scoreTurns } from './conversation-bench.ts';

let testDb: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.database.db);
  app = await startTestApp(testDb.database, { clock: { now: () => new Date('2026-12-08T11:00:00+01:00') } });
});

afterAll(async () => {
  await app?.close();
  await testDb?.destroy();
});

describe('the scripted-conversation benchmark', () => {
  it('plays a small script through the app and scores each reply (wiring only, no threshold)', async () => {
    const turns = parseScript(JSON.parse(await readFile('bench/data/conversation-wiring.json', 'utf8')));
    const seen: number[] = [];
    const played = await playConversation(
      { wsUrl: app.wsUrl, db: testDb.database.db, turns: app.turns },
      turns,
      (_turn, i) => seen.push(i),
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(played.map((turn) => turn.q)).toEqual(turns.map((turn) => turn.q));
    for (const turn of played) {
      expect(turn.reply).toEqual(expect.any(String));
      expect(turn.matched).toBe(replyMatches(turn, turn.reply));
    }
    // The last turn's expectation matches no reply, whatever the bot says.
    expect(played[2]!.matched).toBe(false);
    const score = scoreTurns(played);
    expect(score.turns).toBe(3);
    expect(score.share).toBe(Math.round((score.matched / 3) * 1000) / 1000);
  });
});

describe('scoring', () => {
  const turn = { q: 'x', expect: 'rue des martyrs', reject: "couldn't find" };

  it('matches case-insensitively, and fails on a rejected pattern or on silence', () => {
    expect(replyMatches(turn, 'Our shop is at 12 Rue des Martyrs')).toBe(true);
    expect(replyMatches(turn, "I couldn't find it; rue des Martyrs maybe")).toBe(false);
    expect(replyMatches(turn, null)).toBe(false);
  });

  it('refuses a script that is not a list of turns, or whose pattern does not compile', () => {
    expect(() => parseScript([{ q: 'x' }])).toThrow(/expect/);
    expect(() => parseScript([])).toThrow();
    expect(() => parseScript([{ q: 'x', expect: '(' }])).toThrow(/turn 1/);
  });
});
