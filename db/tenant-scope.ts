import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './database.ts';

/**
 * Where a served database handle keeps the key its tenant scopes are signed with: on the handle,
 * under a symbol of ours, so that the 300 callers of withTenant keep passing the handle alone,
 * and a wrapper of it (a test's proxy counting transactions) still finds the key.
 */
const SCOPE_KEY = Symbol('causette.tenantScopeKey');

/** Lets `db` open tenant scopes, signed with `key` (the one the database checks them against). */
export function bindTenantScopeKey(db: Db, key: Buffer): void {
  Object.defineProperty(db, SCOPE_KEY, { value: key, enumerable: false });
}

/**
 * Runs `work` in a transaction scoped to one tenant. Every row it reads or writes must belong to
 * that tenant: the database enforces it, whatever the SQL says. The scope is the tenant id signed
 * with a key the app's database role cannot read, so a statement that sets another tenant's id
 * reads nothing. `settings` are more configuration parameters local to the transaction (a
 * search's planner settings), set by the same statement.
 */
export async function withTenant<T>(
  db: Db,
  tenantId: string,
  work: (tx: Tx) => Promise<T>,
  settings?: Readonly<Record<string, string>>,
): Promise<T> {
  if (!UUID.test(tenantId)) throw new TypeError(`not a tenant id: ${JSON.stringify(tenantId)}`);
  const scope = `${tenantId}.${signTenantScope(keyOf(db), tenantId)}`;
  const assignments = [`set_config('causette.tenant_scope', '${scope}', true)`];
  for (const [name, value] of Object.entries(settings ?? {})) {
    if (!SETTING_NAME.test(name) || !SETTING_VALUE.test(value)) {
      throw new TypeError(`not a plain setting: ${name} = ${value}`);
    }
    assignments.push(`set_config('${name}', '${value}', true)`);
  }
  // Literals checked above, not parameters: a statement without parameters is one round trip.
  const scoping = sql.raw(`select ${assignments.join(', ')}`);
  return db.transaction(async (tx) => {
    await tx.execute(scoping);
    return work(tx);
  });
}

/**
 * Runs `work` in a transaction with no tenant: only the SECURITY DEFINER lookups (tenant by
 * slug, API key owner…) return anything.
 */
export function withoutTenant<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  keyOf(db);
  return db.transaction(work);
}

/** HMAC-SHA-256 of the tenant id, hex: what causette_current_tenant() checks. */
export function signTenantScope(key: Buffer, tenantId: string): string {
  return createHmac('sha256', key).update(tenantId).digest('hex');
}

function keyOf(db: Db): Buffer {
  const key: unknown = Reflect.get(db, SCOPE_KEY);
  if (!Buffer.isBuffer(key)) {
    throw new Error('this database handle serves no tenant: open it with openAppDatabase()');
  }
  return key;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SETTING_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/i;
const SETTING_VALUE = /^[\w.-]*$/;
