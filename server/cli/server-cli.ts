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

/** `causette migrate`: applies pending migrations and nothing else. */
export async function migrateCli(config: Config): Promise<number> {
  const [{ runMigrations }, { openConfiguredDatabase }] = await Promise.all([
    import('../../db/migrate.ts'),
    import('../services/create-services.ts'),
  ]);
  const database = await openConfiguredDatabase(config, 'small');
  try {
    await runMigrations(database);
    console.log('Migrations are up to date.');
    return 0;
  } finally {
    await database.close();
  }
}
