import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import { updateBotSettings } from '../../bot/settings/bot-settings-store.ts';
import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { queryRows } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { DEMO_SLUG, seedDemo } from '../../demo/seed-demo.ts';
import { loadConfig } from '../../server/config.ts';
import { type RunningServer, startServer } from '../../server/main.ts';

/**
 * The server under test, in its own process: `npm start`'s server with the offline bot and the
 * seeded demo tenant, on PGlite or on DATABASE_URL. Prints "READY http://…" when listening, and
 * serves GET /bench/stored (messages stored) for the load generator to check persistence.
 */
const dataDir = await mkdtemp(join(tmpdir(), 'causette-bench-'));
let server: RunningServer | undefined;
let benchTenant: string | undefined;
const stored: FastifyPluginAsync = async (app) => {
  app.get('/bench/stored', async () => {
    // The demo tenant is the only one: its messages are all the messages.
    const [row] = await withTenant(server!.database.db, benchTenant!, (tx) =>
      queryRows<{ n: number }>(tx, sql`select count(*)::int as n from conversation_messages`),
    );
    // Transactions committed so far (a real Postgres only): the cost of a message, in round trips' terms.
    const [stats] =
      server!.database.driver === 'postgres'
        ? await queryRows<{ commits: number }>(
            server!.database.db,
            sql`select xact_commit::int as commits from pg_stat_database where datname = current_database()`,
          )
        : [];
    return { stored: row?.n ?? 0, commits: stats?.commits ?? null };
  });
};
server = await startServer(
  loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'warn', CAUSETTE_DATA_DIR: dataDir }),
  {
    prepare: async (database) => {
      await seedDemo(database.db);
      // A conversation the bot hands to a human goes silent by design, and a closed-loop visitor
      // waiting for an answer would stall there: the bench's visitors are always answered by the
      // bot. Intent, sentiment and lead tracking still run on every message.
      const tenantId = await findTenantIdBySlug(database.db, DEMO_SLUG);
      benchTenant = tenantId;
      if (tenantId)
        await withTenant(database.db, tenantId, (tx) =>
          updateBotSettings(tx, tenantId, {
            escalationIntents: [],
            escalateOnNegativeSentiment: false,
            lowConfidenceTurns: 0,
          }),
        );
    },
    plugins: [stored],
  },
);
process.stdout.write(`READY ${server.url.replace('localhost', '127.0.0.1')} ${DEMO_SLUG}\n`);
process.on('SIGTERM', () => {
  void server!
    .close()
    .then(() => rm(dataDir, { recursive: true, force: true }))
    .then(() => process.exit(0));
});
