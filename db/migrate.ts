import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './database.ts';
import { type AppRoleProvision, provisionAppRole } from './provision-app-role.ts';

export const migrationsFolder = fileURLToPath(new URL('../migrations/drizzle', import.meta.url));

/** An arbitrary constant: the advisory lock that serializes migrations across processes. */
const MIGRATION_LOCK = 7_310_425_117;

/**
 * Applies every committed migration that has not run yet, then, given `provision`, makes the app
 * role and the tenant scope key what this server needs. Run on a connection as the tables' owner.
 * With a shared server several processes may start at once, so they take turns under an advisory
 * lock, held by one reserved connection while the migrations run on the pool.
 */
export async function runMigrations(database: Database, provision?: AppRoleProvision): Promise<void> {
  if (database.driver === 'pglite') {
    await migratePglite(drizzlePglite(database.client), { migrationsFolder });
    if (provision) await provisionAppRole(database.db, provision);
    return;
  }
  const connection = await database.client.reserve();
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migratePostgres(drizzlePostgres(database.client), { migrationsFolder });
      if (provision) await provisionAppRole(database.db, provision);
    } finally {
      await connection`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    connection.release();
  }
}
