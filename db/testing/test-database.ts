import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, type Db, openDatabase, queryRows } from '../database.ts';
import { migrationsFolder, runMigrations } from '../migrate.ts';
import { type DatabaseCredentials, openAppDatabase, serveEmbeddedDatabase } from '../open-app-database.ts';

export interface TestDatabase {
  /** The database as the server has it: through the app role, row level security applying. */
  readonly database: Database;
  /** The app role: its own per database on a shared server, so that parallel test files don't collide. */
  readonly appRole: string;
  /** The key tenant scopes of this database are signed with. */
  readonly tenantScopeKey: Buffer;
  /** Runs `work` as the tables' owner: schema changes, and reading past the policies to check them. */
  asOwner<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Empties every table, keeping the schema, so one database serves a whole test file. */
  reset(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A migrated database for one test file, served as the server serves it: an in-memory PGlite by
 * default, or a fresh database on the server named by TEST_DATABASE_URL (a superuser's), with an
 * app role of its own; destroy() drops both.
 */
export async function createTestDatabase(url = process.env['TEST_DATABASE_URL']): Promise<TestDatabase> {
  const credentials: DatabaseCredentials = {
    appPassword: randomBytes(24).toString('base64url'),
    tenantScopeKey: randomBytes(32),
  };
  if (!url) {
    const appRole = 'causette_app';
    const database = await openMigratedPglite();
    try {
      await serveEmbeddedDatabase(database, { appRole, credentials });
    } catch (error) {
      await database.close();
      throw error;
    }
    const asOwner = <T>(work: (db: Db) => Promise<T>) =>
      database.db.transaction(async (tx) => {
        // The session is the superuser's, switched to the app role: back for this transaction.
        await tx.execute(sql`set local role none`);
        return work(tx);
      });
    return {
      database,
      appRole,
      tenantScopeKey: credentials.tenantScopeKey,
      asOwner,
      reset: () => asOwner(truncateAll),
      destroy: () => database.close(),
    };
  }
  const suffix = randomBytes(6).toString('hex');
  const name = `causette_test_${suffix}`;
  const appRole = `causette_test_app_${suffix}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const dropAll = async () => {
    const cleanup = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.unsafe(`drop role if exists ${appRole}`);
    } finally {
      await cleanup.end();
    }
  };
  let owner: Database | undefined;
  let database: Database;
  try {
    database = await openAppDatabase({
      url: target.toString(),
      appRole,
      credentials,
      migrate: true,
      maxConnections: 5,
    });
    owner = await openDatabase({ driver: 'postgres', url: target.toString(), maxConnections: 2 });
  } catch (error) {
    await dropAll();
    throw error;
  }
  const ownerDb = owner.db;
  return {
    database,
    appRole,
    tenantScopeKey: credentials.tenantScopeKey,
    asOwner: (work) => work(ownerDb),
    reset: () => truncateAll(ownerDb),
    destroy: async () => {
      await database.close();
      await owner?.close();
      await dropAll();
    },
  };
}

async function truncateAll(db: Db): Promise<void> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`,
  );
  if (tables.length === 0) return;
  await db.execute(sql.raw(`truncate ${tables.map((t) => t.name).join(', ')} cascade`));
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
