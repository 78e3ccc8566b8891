import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GraphStandIn } from '../../bot/testing/graph-stand-in.ts';
import { openDatabase } from '../../db/database.ts';
import { socialAccounts } from '../../migrations/schema/index.ts';
import { runCli } from './run-cli.ts';

let dataDir: string;
let graph: GraphStandIn;
let env: NodeJS.ProcessEnv;
const TOKEN = 'EAAGcliSECRETtoken0123456789abcdef';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'causette-cli-'));
  graph = await GraphStandIn.start();
  env = { CAUSETTE_DATA_DIR: dataDir, META_GRAPH_URL: graph.url, LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await graph.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the CLI, returning its exit code and everything it printed. */
async function cli(args: string[], stdin = '') {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    const code = await runCli(args, env, { stdin: async () => stdin });
    return { code, output: out.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('causette account', () => {
  it('connects, lists and disconnects accounts, never printing or storing the token in clear', async () => {
    expect((await cli(['tenant', 'create', '--slug', 'ma-boutique', '--name', 'Ma Boutique'])).code).toBe(0);
    graph.profiles.set('1122334455667', { display_phone_number: '+33 1 00 00 00 00' });

    const connected = await cli([
      'account',
      'connect',
      '--tenant',
      'ma-boutique',
      '--platform',
      'whatsapp',
      '--account-id',
      '1122334455667',
      '--token',
      TOKEN,
    ]);
    expect(connected).toEqual({
      code: 0,
      output:
        'Connected whatsapp account 1122334455667 (+33 1 00 00 00 00) for ma-boutique. The token is stored encrypted.',
    });
    expect(graph.calls.at(-1)).toMatchObject({ path: '/1122334455667', authorization: `Bearer ${TOKEN}` });

    // The token from stdin, so that it stays out of the shell history.
    const fromStdin = await cli(
      [
        'account',
        'connect',
        '--tenant',
        'ma-boutique',
        '--platform',
        'instagram',
        '--account-id',
        '17841405822304914',
        '--token',
        '-',
        '--login',
        'instagram',
        '--skip-verify',
      ],
      'IGQVJinstagramTOKEN0123456789\n',
    );
    expect(fromStdin.code).toBe(0);

    const listed = await cli(['account', 'list', '--tenant', 'ma-boutique']);
    expect(listed.output.split('\n')).toEqual([
      'instagram\t17841405822304914\t-\tinstagram\tactive',
      'whatsapp\t1122334455667\t+33 1 00 00 00 00\tfacebook\tactive',
    ]);

    const disconnected = await cli([
      'account',
      'disconnect',
      '--tenant',
      'ma-boutique',
      '--platform',
      'instagram',
      '--account-id',
      '17841405822304914',
    ]);
    expect(disconnected.code).toBe(0);
    const missing = await cli([
      'account',
      'disconnect',
      '--tenant',
      'ma-boutique',
      '--platform',
      'instagram',
      '--account-id',
      '17841405822304914',
    ]);
    expect(missing).toMatchObject({ code: 1 });

    for (const run of [connected, fromStdin, listed, disconnected]) {
      expect(run.output).not.toContain(TOKEN);
      expect(run.output).not.toContain('IGQVJ');
    }
    const database = await openDatabase({ driver: 'pglite', dataDir });
    try {
      const rows = await database.db.select().from(socialAccounts);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.accessToken).not.toContain(TOKEN);
    } finally {
      await database.close();
    }
    // Each command opens the embedded database afresh, as separate processes would.
  }, 180_000);

  it('explains what is wrong with a command', async () => {
    const unknownTenant = await cli(['account', 'list', '--tenant', 'nobody']);
    expect(unknownTenant).toEqual({ code: 1, output: 'No tenant has the slug "nobody"' });
    const badPlatform = await cli([
      'account',
      'connect',
      '--tenant',
      'ma-boutique',
      '--platform',
      'sms',
      '--account-id',
      '1',
      '--token',
      TOKEN,
    ]);
    expect(badPlatform.code).toBe(2);
    expect(badPlatform.output).toContain('--platform must be whatsapp or instagram');
    const missing = await cli(['account', 'connect', '--tenant', 'ma-boutique']);
    expect(missing.output).toContain('account connect needs --tenant, --platform, --account-id and --token');
  }, 60_000);
});
