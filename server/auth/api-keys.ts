import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/database.ts';
import { withoutTenant, withTenant } from '../../db/tenant-scope.ts';
import { apiKeys } from '../../migrations/schema/index.ts';

export interface CreatedApiKey {
  id: string;
  name: string;
  /** The whole key. It is never stored and cannot be shown again. */
  key: string;
  prefix: string;
}

const KEY_FORMAT = /^cst_[A-Za-z0-9_-]{43}$/;

/** Creates an admin API key for a tenant; only its SHA-256 is kept. */
export async function createApiKey(db: Db, tenantId: string, name: string): Promise<CreatedApiKey> {
  const key = `cst_${randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, 12);
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .insert(apiKeys)
      .values({ tenantId, name, keyPrefix: prefix, keyHash: hashApiKey(key) })
      .returning({ id: apiKeys.id }),
  );
  if (!row) throw new Error('API key insert returned no row');
  return { id: row.id, name, key, prefix };
}

/** The tenant an active key belongs to, or undefined for an unknown, revoked or malformed key. */
export async function resolveApiKey(
  db: Db,
  key: string,
): Promise<{ tenantId: string; keyId: string } | undefined> {
  if (!KEY_FORMAT.test(key)) return undefined;
  const rows = await withoutTenant(db, (tx) =>
    queryRows<{ tenant_id: string; key_id: string }>(
      tx,
      sql`select tenant_id, key_id from causette_api_key_owner(${hashApiKey(key)})`,
    ),
  );
  const row = rows[0];
  return row ? { tenantId: row.tenant_id, keyId: row.key_id } : undefined;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
