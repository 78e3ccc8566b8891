import type { Database } from '../../db/database.ts';
import { openAppDatabase } from '../../db/open-app-database.ts';
import { deriveServerKeys, loadOrCreateSecret } from '../auth/server-secret.ts';
import { loadConfig } from '../config.ts';
import { appDatabaseOptions } from '../services/app-database-options.ts';

/**
 * An embedded database directory that a server or the CLI left, opened again as the server opens
 * it (its secret, the app role), for a test to look at or write into.
 */
export async function reopenDataDir(dataDir: string): Promise<Database> {
  const keys = deriveServerKeys(await loadOrCreateSecret(dataDir));
  return openAppDatabase(
    appDatabaseOptions(loadConfig({ CAUSETTE_DATA_DIR: dataDir }), keys, { migrate: false }),
  );
}
