import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase, queryRows } from './database.ts';
import { runMigrations } from './migrate.ts';

export interface TestDatabase {
  readonly database: Database;
  /** Empties every table, keeping the schema, so one database serves a whole test file. */
  reset(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A migrated database for one test file: an in-memory PGlite by default, or a fresh database on
 * the server named by TEST_DATABASE_URL, dropped again by destroy().
 */
export async function createTestDatabase(url = process.env['TEST_DATABASE_URL']): Promise<TestDatabase> {
  if (!url) {
    const database = await openDatabase({ driver: 'pglite' });
    await runMigrations(database);
    return { database, reset: () => truncateAll(database), destroy: () => database.close() };
  }
  const name = `causette_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ driver: 'postgres', url: target.toString(), maxConnections: 5 });
  await runMigrations(database);
  return {
    database,
    reset: () => truncateAll(database),
    destroy: async () => {
      await database.close();
      const cleanup = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

async function truncateAll(database: Database): Promise<void> {
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`,
  );
  if (tables.length === 0) return;
  await database.db.execute(sql.raw(`truncate ${tables.map((t) => t.name).join(', ')} cascade`));
}
