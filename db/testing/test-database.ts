import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase, queryRows } from '../database.ts';
import { migrationsFolder, runMigrations } from '../migrate.ts';

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
    const database = await openMigratedPglite();
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

/**
 * An in-memory PGlite, migrated. Creating a cluster and migrating it takes about 2.5 s, loading a
 * migrated one from its archive about 0.5 s, and most test files open one: the first to need it
 * leaves the archive in the temporary directory, under a name that changes with the migrations
 * and the PGlite version, so a stale one is never loaded.
 */
export async function openMigratedPglite(): Promise<Database> {
  const archive = await migratedPgliteArchive();
  const saved = await readFile(archive).catch(() => undefined);
  if (saved) {
    try {
      return await openDatabase({ driver: 'pglite', snapshot: new Blob([saved]) });
    } catch {
      // A truncated or foreign file: made again below.
      await rm(archive, { force: true });
    }
  }
  const database = await openDatabase({ driver: 'pglite' });
  await runMigrations(database);
  if (database.driver === 'pglite') {
    const dump = Buffer.from(await (await database.client.dumpDataDir('none')).arrayBuffer());
    // Written aside, then renamed: a test file running beside this one never reads half of it.
    const partial = `${archive}.${process.pid}.partial`;
    await writeFile(partial, dump);
    await rename(partial, archive);
  }
  return database;
}

/** Where the migrated database's archive is kept. */
export async function migratedPgliteArchive(): Promise<string> {
  return join(tmpdir(), `causette-test-pglite-${await schemaKey()}.tar`);
}

async function schemaKey(): Promise<string> {
  const hash = createHash('sha256');
  // The package's exports hide its package.json; its entry point is in dist/, one level below.
  const pglite = await readFile(
    new URL('../package.json', import.meta.resolve('@electric-sql/pglite')),
    'utf8',
  );
  hash.update(JSON.parse(pglite).version);
  const files = (await readdir(migrationsFolder, { recursive: true })).sort();
  for (const file of files) {
    if (!/\.(sql|json)$/.test(file)) continue;
    hash.update(file).update(await readFile(join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 16);
}
