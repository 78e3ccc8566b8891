import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { queryRows } from '../../db/database.ts';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../db/database-errors.ts';
import { withoutTenant, withTenant } from '../../db/tenant-scope.ts';
import { tenantBusinessProfiles, tenants, tenantWidgetConfigs } from '../../migrations/schema/index.ts';

export type Tenant = typeof tenants.$inferSelect;
export type WidgetConfig = typeof tenantWidgetConfigs.$inferSelect;
export type BusinessProfile = typeof tenantBusinessProfiles.$inferSelect;
export type WidgetConfigPatch = Partial<
  Omit<typeof tenantWidgetConfigs.$inferInsert, 'tenantId' | 'createdAt' | 'updatedAt'>
>;
export type BusinessProfilePatch = Partial<
  Omit<typeof tenantBusinessProfiles.$inferInsert, 'tenantId' | 'createdAt' | 'updatedAt'>
>;
export type TenantPatch = Partial<Pick<typeof tenants.$inferInsert, 'name' | 'websiteUrl' | 'contactEmail'>>;

export interface NewTenant {
  slug: string;
  name: string;
  websiteUrl?: string | null;
  contactEmail?: string | null;
}

export class SlugTakenError extends Error {
  readonly code = 'CAUSETTE_ERR_SLUG_TAKEN';
  constructor(readonly slug: string) {
    super(`A tenant with the slug "${slug}" already exists`);
  }
}

export const SLUG_PATTERN = /^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$/;

/**
 * Creates a tenant with its default widget configuration and business profile. The id is chosen
 * first so that even this insert runs under the new tenant's row level security.
 */
export async function createTenant(db: Db, input: NewTenant): Promise<Tenant> {
  const id = randomUUID();
  try {
    return await withTenant(db, id, async (tx) => {
      const [tenant] = await tx
        .insert(tenants)
        .values({
          id,
          slug: input.slug,
          name: input.name,
          websiteUrl: input.websiteUrl ?? null,
          contactEmail: input.contactEmail ?? null,
        })
        .returning();
      await tx.insert(tenantWidgetConfigs).values({ tenantId: id });
      await tx.insert(tenantBusinessProfiles).values({ tenantId: id, email: input.contactEmail ?? null });
      if (!tenant) throw new Error('tenant insert returned no row');
      return tenant;
    });
  } catch (error) {
    if (sqlState(error) === PG_UNIQUE_VIOLATION) throw new SlugTakenError(input.slug);
    throw error;
  }
}

/** The tenant id for a public slug, looked up before any tenant scope exists. */
export async function findTenantIdBySlug(db: Db, slug: string): Promise<string | undefined> {
  if (!SLUG_PATTERN.test(slug)) return undefined;
  const rows = await withoutTenant(db, (tx) =>
    queryRows<{ id: string | null }>(tx, sql`select causette_tenant_by_slug(${slug}) as id`),
  );
  return rows[0]?.id ?? undefined;
}

export async function getTenant(tx: Tx, tenantId: string): Promise<Tenant | undefined> {
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
  return tenant;
}

export async function updateTenant(
  tx: Tx,
  tenantId: string,
  patch: TenantPatch,
): Promise<Tenant | undefined> {
  if (Object.keys(patch).length === 0) return getTenant(tx, tenantId);
  const [tenant] = await tx.update(tenants).set(patch).where(eq(tenants.id, tenantId)).returning();
  return tenant;
}

export async function getWidgetConfig(tx: Tx, tenantId: string): Promise<WidgetConfig | undefined> {
  const [config] = await tx
    .select()
    .from(tenantWidgetConfigs)
    .where(eq(tenantWidgetConfigs.tenantId, tenantId));
  return config;
}

export async function updateWidgetConfig(
  tx: Tx,
  tenantId: string,
  patch: WidgetConfigPatch,
): Promise<WidgetConfig | undefined> {
  if (Object.keys(patch).length === 0) return getWidgetConfig(tx, tenantId);
  const [config] = await tx
    .update(tenantWidgetConfigs)
    .set(patch)
    .where(eq(tenantWidgetConfigs.tenantId, tenantId))
    .returning();
  return config;
}

export async function getBusinessProfile(tx: Tx, tenantId: string): Promise<BusinessProfile | undefined> {
  const [profile] = await tx
    .select()
    .from(tenantBusinessProfiles)
    .where(eq(tenantBusinessProfiles.tenantId, tenantId));
  return profile;
}

export async function updateBusinessProfile(
  tx: Tx,
  tenantId: string,
  patch: BusinessProfilePatch,
): Promise<BusinessProfile | undefined> {
  if (Object.keys(patch).length === 0) return getBusinessProfile(tx, tenantId);
  const [profile] = await tx
    .update(tenantBusinessProfiles)
    .set(patch)
    .where(eq(tenantBusinessProfiles.tenantId, tenantId))
    .returning();
  return profile;
}
