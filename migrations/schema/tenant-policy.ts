import { sql } from 'drizzle-orm';
import { pgPolicy } from 'drizzle-orm/pg-core';

/**
 * The row level security of a tenant table (docs/decisions/0012-app-role-and-signed-tenant-scope.md):
 *
 * - `tenant_isolation`, for every role: a row is visible and writable only while the transaction's
 *   tenant scope, signed by the server and checked by `causette_current_tenant()`, names its
 *   tenant. Outside a scope the function is NULL, and NULL equals nothing. Evaluated once per
 *   statement (the sub-select), not once per row.
 * - `definer_access`, for the role that ran the migrations (the owner): every row, but only inside
 *   the SECURITY DEFINER functions it owns (the lookups made before a tenant is known), where the
 *   current user is the owner and the session's is the app's. The owner's own sessions get no
 *   such pass: tables are FORCE ROW LEVEL SECURITY (a custom migration per table).
 *
 * Spread into the table's extra configuration: `(t) => [index(…), ...tenantPolicies()]`.
 */
export function tenantPolicies(column = 'tenant_id') {
  const check = sql.raw(`${column} = (select causette_current_tenant())`);
  return [
    pgPolicy('tenant_isolation', {
      as: 'permissive',
      for: 'all',
      to: 'public',
      using: check,
      withCheck: check,
    }),
    definerPolicy(),
  ];
}

/** The owner's functions' pass alone: a table no tenant reads directly (webhook_events). */
export function definerPolicy() {
  const inDefinerFunction = sql`current_user <> session_user`;
  return pgPolicy('definer_access', {
    as: 'permissive',
    for: 'all',
    to: 'current_user',
    using: inDefinerFunction,
    withCheck: inDefinerFunction,
  });
}
