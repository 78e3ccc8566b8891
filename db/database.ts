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
import * as schema from '../migrations/schema/index.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';

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
  /**
   * Runs maintenance that needs the tables' owner (ANALYZE, VACUUM) on a connection that has its
   * rights: for a server opened by openAppDatabase, a short-lived connection as the owner. Never
   * for serving requests.
   */
  maintain<T>(work: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type Database =
  | (DatabaseBase & { readonly driver: 'pglite'; readonly client: PGlite })
  | (DatabaseBase & { readonly driver: 'postgres'; readonly client: postgres.Sql });

export type DatabaseOptions =
  | { driver: 'postgres'; url: string; maxConnections?: number }
  /**
   * dataDir undefined keeps the whole database in memory (tests); `snapshot` (an in-memory
   * database only) starts it from a `dumpDataDir` archive instead of an empty cluster.
   */
  | { driver: 'pglite'; dataDir?: string | undefined; snapshot?: Blob | undefined };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.driver === 'postgres') return openPostgres(options.url, options.maxConnections ?? 10);
  if (options.snapshot && options.dataDir) throw new Error('a PGlite snapshot loads into memory only');
  return openPglite(options.dataDir, options.snapshot);
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
  const { url: target, socketDir } = unixSocket(url);
  const client = postgres(target, {
    ...(socketDir ? { host: socketDir } : {}),
    max,
    // No named prepared statements: a statement run through the app's connection could list them
    // (pg_prepared_statements) and put its own in their place, to be run by the next transaction
    // on that connection, whatever its tenant. Unnamed ones are parsed anew each time.
    prepare: false,
    onnotice: () => {},
    connection: { application_name: 'causette' },
  });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' });
  return {
    db: db as unknown as Db,
    driver: 'postgres',
    client,
    dataDir: undefined,
    maintain: (work) => work(db as unknown as Db),
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * libpq's `?host=/run/postgresql` names the directory of the server's Unix socket. On one machine
 * the socket costs much less per round trip than TCP over loopback, and a turn makes a few.
 */
export function unixSocket(url: string): { url: string; socketDir?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  const host = parsed.searchParams.get('host');
  if (!host?.startsWith('/')) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), socketDir: host };
}

async function openPglite(dataDir: string | undefined, snapshot?: Blob): Promise<Database> {
  let lock: DataDirLock | undefined;
  let pgDataDir: string | undefined;
  if (dataDir) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // PGlite has no locking of its own: a second process on the same files corrupts them.
    lock = await acquireDataDirLock(dataDir);
    pgDataDir = join(dataDir, 'pgdata');
  }
  try {
    const client = await PGlite.create({
      ...(pgDataDir ? { dataDir: pgDataDir } : {}),
      extensions: { vector, pg_trgm, unaccent },
      ...(snapshot ? { loadDataDir: snapshot } : {}),
    });
    const db = drizzlePglite(client, { schema, casing: 'snake_case' });
    return {
      db: db as unknown as Db,
      driver: 'pglite',
      client,
      dataDir,
      maintain: (work) => work(db as unknown as Db),
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
