import { sql } from 'drizzle-orm';
import type { Db, Tx } from './database.ts';

/**
 * Runs `work` in a transaction as the row-level-secured app role, scoped to one tenant. Every row
 * it reads or writes must belong to that tenant; the database enforces it, whatever the SQL says.
 * `settings` are more configuration parameters local to the transaction (a search's planner
 * settings), set by the same statement: they cost no statement of their own.
 */
export function withTenant<T>(
  db: Db,
  tenantId: string,
  work: (tx: Tx) => Promise<T>,
  settings?: Readonly<Record<string, string>>,
): Promise<T> {
  const extra = Object.entries(settings ?? {}).map(
    ([name, value]) => sql`, set_config(${name}, ${value}, true)`,
  );
  return scoped(
    db,
    sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'causette_app', true)${sql.join(extra)}`,
    work,
  );
}

/**
 * Runs `work` as the app role with no tenant: only the SECURITY DEFINER lookups
 * (tenant by slug, API key owner…) return anything.
 */
export function withoutTenant<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return scoped(db, sql`select set_config('role', 'causette_app', true)`, work);
}

/**
 * The scoping statement is sent without waiting for its answer: both drivers run a
 * transaction's statements one after another in the order they were issued, so `work`'s first
 * query still runs as the app role, and scoping costs no round trip of its own. Should it fail,
 * the transaction is aborted and every statement after it fails too.
 */
function scoped<T>(db: Db, scope: ReturnType<typeof sql>, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const scoping = tx.execute(scope).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      throw (await scoping)?.error ?? error;
    }
    const failed = await scoping;
    if (failed) throw failed.error;
    return result;
  });
}
