import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { generateDay } from '../../bot/topics/generated-day.ts';
import { seedCustomerMessages } from '../../bot/topics/seed-day.ts';
import { localDate, previousDay } from '../../bot/topics/topic-date.ts';
import { reopenDataDir } from '../testing/reopen-data-dir.ts';
import { runCli } from './run-cli.ts';

let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'causette-cli-topics-'));
  env = { CAUSETTE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  expect((await cli(['tenant', 'create', '--slug', 'shop', '--name', 'Shop'])).code).toBe(0);
  // The CLI has closed the embedded database: the test may open it, as the server does, to write
  // the day's messages.
  const database = await reopenDataDir(dataDir);
  try {
    const tenantId = (await findTenantIdBySlug(database.db, 'shop'))!;
    const day = generateDay(42);
    await seedCustomerMessages(
      database.db,
      tenantId,
      day.messages.map((message, i) => ({
        text: message.text,
        // 2026-11-20 in Paris (UTC+1), from 00:10 on.
        at: new Date(Date.UTC(2026, 10, 19, 23, 10) + i * 600_000),
        ...(day.themeOf.get(message.id) === 'noise' ? { reply: { abstained: true } } : {}),
      })),
    );
  } finally {
    await database.close();
  }
}, 120_000);
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the CLI in this process, returning its exit code and everything it printed. */
async function cli(args: string[]) {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    return { code: await runCli(args, env), output: out.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('causette topics', () => {
  it('computes a day, and computing it again gives the same report', async () => {
    const run = await cli(['topics', 'run', '--tenant', 'shop', '--date', '2026-11-20']);
    expect(run).toEqual({
      code: 0,
      output: 'shop 2026-11-20: 113 customer messages, 5 topics, 8 unanswered in 8 groups (tfidf)',
    });
    const shown = await cli(['topics', 'show', '--tenant', 'shop', '--date', '2026-11-20']);
    expect(shown.code).toBe(0);
    const lines = shown.output.split('\n');
    expect(lines[0]).toBe(
      'Topics of shop on 2026-11-20 (Europe/Paris): 113 customer messages, 107 clustered',
    );
    expect(lines[1]).toMatch(
      /^ {4}0 {3}28\.04% {5}30 {2}Livraison, colis, arrive {2}\[livraison, colis, arrive/,
    );
    expect(lines.some((line) => /^ {3}-1 .*\(no topic\)/.test(line))).toBe(true);
    expect(shown.output).toContain('Questions the bot could not answer: 8');
    expect(shown.output).toMatch(/ {4}1× {2}Do you sponsor local football clubs\?/);

    expect(await cli(['topics', 'run', '--tenant', 'shop', '--date', '2026-11-20'])).toEqual(run);
    expect(await cli(['topics', 'show', '--tenant', 'shop', '--date', '2026-11-20'])).toEqual(shown);
  }, 120_000);

  it("computes every tenant's yesterday by default", async () => {
    const yesterday = previousDay(localDate(new Date(), 'Europe/Paris'));
    expect(await cli(['topics', 'run'])).toEqual({
      code: 0,
      output: `shop ${yesterday}: 0 customer messages, 0 topics, 0 unanswered in 0 groups (tfidf)`,
    });
  }, 120_000);

  it('says when a day was never computed', async () => {
    const shown = await cli(['topics', 'show', '--tenant', 'shop', '--date', '2026-11-01']);
    expect(shown).toEqual({
      code: 0,
      output:
        'No topics computed for shop on 2026-11-01: run "causette topics run --tenant shop --date 2026-11-01".',
    });
  }, 120_000);

  it('refuses bad dates, unknown tenants and missing arguments clearly', async () => {
    const badDate = await cli(['topics', 'run', '--date', '2026-13-01']);
    expect(badDate).toEqual({
      code: 1,
      output: '"2026-13-01" is not a date: use YYYY-MM-DD, e.g. 2026-11-21',
    });
    const future = await cli(['topics', 'run', '--tenant', 'shop', '--date', '2999-01-01']);
    expect(future.code).toBe(1);
    expect(future.output).toMatch(/^2999-01-01 has not begun yet in Europe\/Paris/);
    const unknown = await cli(['topics', 'show', '--tenant', 'nope', '--date', '2026-11-20']);
    expect(unknown).toEqual({ code: 1, output: 'No tenant has the slug "nope"' });
    const noTenant = await cli(['topics', 'show', '--date', '2026-11-20']);
    expect(noTenant.code).toBe(2);
    expect(noTenant.output).toMatch(/^topics show needs --tenant/);
    const unknownSub = await cli(['topics', 'delete']);
    expect(unknownSub.code).toBe(2);
  }, 120_000);
});
