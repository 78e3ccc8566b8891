import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import type { Db } from '../../db/database.ts';
import { AdminCommandError } from './admin-commands.ts';

/** The id of the tenant a command names by slug; refuses an unknown slug. */
export async function tenantIdOf(db: Db, slug: string): Promise<string> {
  const tenantId = await findTenantIdBySlug(db, slug);
  if (!tenantId) throw new AdminCommandError(`No tenant has the slug "${slug}"`);
  return tenantId;
}
