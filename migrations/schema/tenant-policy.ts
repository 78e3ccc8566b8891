import { sql } from 'drizzle-orm';
import { pgPolicy, pgRole } from 'drizzle-orm/pg-core';

/**
 * The role every server query runs as. It is created by the first custom migration, has no
 * BYPASSRLS and owns nothing, so row level security always applies to it.
 */
export const appRole = pgRole('causette_app').existing();

/**
 * Rows are visible and writable only while `app.tenant_id` (set per transaction by
 * `withTenant`) names their tenant. `causette_current_tenant()` is NULL outside a tenant
 * transaction, and NULL never equals anything, so unscoped work sees nothing.
 */
export function tenantPolicy(column = 'tenant_id') {
  const check = sql.raw(`${column} = causette_current_tenant()`);
  return pgPolicy('tenant_isolation', {
    as: 'permissive',
    for: 'all',
    to: appRole,
    using: check,
    withCheck: check,
  });
}
