import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite/vector';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The one drizzle interface the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database itself or a transaction. */
export type Executor = Db | Tx;

interface DatabaseBase {
  readonly db: Db;
  /** Where PGlite keeps its files; undefined for a real server or an in-memory PGlite. */
  readonly dataDir: string | undefined;
  close(): Promise<void>;
}

export type Database =
  | (DatabaseBase & { readonly driver: 'pglite'; readonly client: PGlite })
  | (DatabaseBase & { readonly driver: 'postgres'; readonly client: postgres.Sql });

export type DatabaseOptions =
  | { driver: 'postgres'; url: string; maxConnections?: number }
  /** dataDir undefined keeps the whole database in memory (tests). */
  | { driver: 'pglite'; dataDir?: string };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.driver === 'postgres') return openPostgres(options.url, options.maxConnections ?? 10);
  return openPglite(options.dataDir);
}

/** Runs a raw query and returns its rows, hiding the two drivers' different result shapes. */
export async function queryRows<T extends Record<string, unknown>>(
  executor: Executor,
  query: SQL,
): Promise<T[]> {
  const result: unknown = await executor.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: 'causette' },
  });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' });
  return {
    db: db as unknown as Db,
    driver: 'postgres',
    client,
    dataDir: undefined,
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let lock: DataDirLock | undefined;
  let pgDataDir: string | undefined;
  if (dataDir) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // PGlite has no locking of its own: a second process on the same files corrupts them.
    lock = await acquireDataDirLock(dataDir);
    pgDataDir = join(dataDir, 'pgdata');
  }
  try {
    const client = await PGlite.create({ dataDir: pgDataDir, extensions: { vector, pg_trgm, unaccent } });
    const db = drizzlePglite(client, { schema, casing: 'snake_case' });
    return {
      db: db as unknown as Db,
      driver: 'pglite',
      client,
      dataDir,
      close: async () => {
        try {
          await client.close();
        } finally {
          await lock?.release();
        }
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
