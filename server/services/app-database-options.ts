import type { AppDatabaseOptions } from '../../db/open-app-database.ts';
import type { ServerKeys } from '../auth/server-secret.ts';
import type { Config } from '../config.ts';

/** How the server, the CLI and the tests open the database: from the configuration and the secret. */
export function appDatabaseOptions(
  config: Pick<Config, 'databaseUrl' | 'databaseAppUrl' | 'appRole' | 'dataDir'>,
  keys: Pick<ServerKeys, 'database'>,
  options: { migrate: boolean; maxConnections?: number | undefined },
): AppDatabaseOptions {
  return {
    url: config.databaseUrl,
    appUrl: config.databaseAppUrl,
    appRole: config.appRole,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    credentials: keys.database,
    migrate: options.migrate,
    maxConnections: options.maxConnections,
  };
}
