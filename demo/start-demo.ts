import { waitForShutdownSignal } from '../server/cli/shutdown-signal.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { DEMO_SLUG, seedDemo } from './seed-demo.ts';
import { shopSitePlugin } from './shop-site.ts';

/**
 * `npm start`: the server on embedded Postgres with the demo shop "Ma Boutique" seeded once and
 * its home page at /.
 */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  let seeded: Awaited<ReturnType<typeof seedDemo>> = { created: false };
  const server = await startServer(config, {
    prepare: async (database) => {
      seeded = await seedDemo(database.db);
    },
    plugins: [shopSitePlugin],
  });
  const lines = [
    '',
    `  Causette demo: ${server.url}/`,
    '',
    `  Site owners paste: <script src="${config.publicUrl ?? server.url}/widget.js" data-tenant="${DEMO_SLUG}" async></script>`,
  ];
  if (seeded.apiKey) {
    lines.push('', `  Admin API key for ${DEMO_SLUG} (shown once): ${seeded.apiKey}`);
  }
  console.log(`${lines.join('\n')}\n`);
  await waitForShutdownSignal();
  await server.close();
  return 0;
}

process.exitCode = await main();
