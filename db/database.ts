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
  | { driver: 'pglite'; dataDir?: string; snapshot?: Blob };

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
  const client = pipelining(
    postgres(target, {
      ...(socketDir ? { host: socketDir } : {}),
      max,
      onnotice: () => {},
      connection: { application_name: 'causette' },
    }),
  );
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' });
  return {
    db: db as unknown as Db,
    driver: 'postgres',
    client,
    dataDir: undefined,
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

/**
 * Makes postgres.js prepare drizzle's statements. Drizzle sends every query through `unsafe`,
 * which postgres.js does not prepare; and a query with parameters that is not prepared costs two
 * round trips (its parameter types are asked first) and stops the pipeline until they are back.
 * Prepared, it is one round trip, and a transaction's independent queries travel together.
 * Drizzle's SQL is parameterised, so the statements of one connection are a bounded set.
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql | postgres.ReservedSql>(sql: T): T {
  const unsafe = sql.unsafe;
  const prepared: typeof unsafe = (query, args, options) =>
    Array.isArray(args) && args.length > 0
      ? unsafe(query, args, { ...options, prepare: true })
      : unsafe(query, args, options);
  sql.unsafe = prepared;
  return sql;
}

/** The pool's transactions, begun without waiting for BEGIN's answer (see pipelinedBegin). */
function pipelining(pool: postgres.Sql): postgres.Sql {
  const begin = pipelinedBegin(pool);
  Reflect.set(pool, 'begin', (...args: unknown[]) => {
    const work = args.pop();
    if (typeof work !== 'function') throw new TypeError('begin needs a function');
    return begin(typeof args[0] === 'string' ? args[0] : '', work as (sql: postgres.Sql) => unknown);
  });
  return preparing(pool);
}

/**
 * A transaction on a connection of its own, whose BEGIN travels with its first statements:
 * postgres.js's own begin waits for BEGIN's answer before running the first of them, a round trip
 * per transaction that a busy server pays in every turn. Like postgres.js's, it rolls back when
 * the work throws, and also when a statement failed that the work did not wait for (that error
 * is thrown); nested transactions are savepoints.
 */
function pipelinedBegin(pool: postgres.Sql) {
  return async <T>(mode: string, work: (sql: postgres.Sql) => T | Promise<T>): Promise<T> => {
    const connection = await pool.reserve();
    const noted: { failure?: { error: unknown } | undefined } = {};
    const unsafe = connection.unsafe;
    // Every statement's failure is noted, whether or not the work waits for it; a query starts
    // only after this tick, so a caller may still ask for `.values()` as drizzle does.
    connection.unsafe = ((...args: Parameters<typeof unsafe>) => {
      const query = unsafe(...args);
      query.catch((error: unknown) => {
        noted.failure ??= { error };
      });
      return query;
    }) as typeof unsafe;
    let savepoints = 0;
    Reflect.set(connection, 'savepoint', async (...args: unknown[]) => {
      const inner = args.pop();
      if (typeof inner !== 'function') throw new TypeError('savepoint needs a function');
      const name = `s${savepoints++}`;
      const before = noted.failure;
      // Neither SAVEPOINT nor RELEASE is waited for, as BEGIN is not: the statements run in the
      // order they were sent, and a failure of either is noted and fails the commit.
      const opened = connection.unsafe(`savepoint ${name}`).execute();
      try {
        const result = await inner(connection);
        await opened;
        void connection.unsafe(`release savepoint ${name}`).execute();
        return result;
      } catch (error) {
        await opened.catch(() => {});
        await connection.unsafe(`rollback to savepoint ${name}`);
        // Rolled back to the savepoint: what failed inside it no longer dooms the transaction.
        noted.failure = before;
        throw error;
      }
    });
    preparing(connection);
    const began = connection.unsafe(`begin ${mode.replace(/[^a-z ]/gi, '')}`).execute();
    try {
      const result = await work(connection as unknown as postgres.Sql);
      await began;
      if (noted.failure) throw noted.failure.error;
      const committed = await connection.unsafe('commit');
      // A transaction that an error aborted answers COMMIT with ROLLBACK, and no error.
      if (committed.command === 'ROLLBACK') throw new Error('the transaction was rolled back');
      return result;
    } catch (error) {
      await began.catch(() => {});
      await connection.unsafe('rollback').catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  };
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
