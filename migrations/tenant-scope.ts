import { sql } from 'drizzle-orm';
import type { Db, Tx } from './database.ts';

/**
 * Runs `work` in a transaction as the row-level-secured app role, scoped to one tenant. Every row
 * it reads or writes must belong to that tenant; the database enforces it, whatever the SQL says.
 */
export function withTenant<T>(db: Db, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'causette_app', true)`,
    );
    return work(tx);
  });
}

/**
 * Runs `work` as the app role with no tenant: only the SECURITY DEFINER lookups
 * (tenant by slug, API key owner…) return anything.
 */
export function withoutTenant<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'causette_app', true)`);
    return work(tx);
  });
}
