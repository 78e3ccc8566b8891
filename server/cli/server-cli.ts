import type { Config } from '../config.ts';
import { waitForShutdownSignal } from './shutdown-signal.ts';

/** `causette start`: migrates, serves, and on SIGTERM or SIGINT stops gracefully. */
export async function startCli(config: Config): Promise<number> {
  const { startServer } = await import('../main.ts');
  const server = await startServer(config);
  server.app.log.info(
    { url: server.url, database: server.database.driver },
    `Causette is listening on ${server.url}`,
  );
  await waitForShutdownSignal();
  server.app.log.info('shutting down');
  await server.close();
  return 0;
}

/**
 * `causette migrate`: applies pending migrations as the owner (DATABASE_URL) and provisions the
 * app role the server serves as, then closes.
 */
export async function migrateCli(config: Config): Promise<number> {
  const [{ migrateDatabase }, { appDatabaseOptions }, { deriveServerKeys, loadOrCreateSecret }] =
    await Promise.all([
      import('../../db/open-app-database.ts'),
      import('../services/app-database-options.ts'),
      import('../auth/server-secret.ts'),
    ]);
  const keys = deriveServerKeys(config.secret ?? (await loadOrCreateSecret(config.dataDir)));
  await migrateDatabase(appDatabaseOptions(config, keys, { migrate: true }));
  console.log(`Migrations are up to date; the server connects as the role ${config.appRole}.`);
  return 0;
}
