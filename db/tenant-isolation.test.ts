import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  conversationMessages,
  conversations,
  knowledgeChunks,
  leads,
  tenants,
} from '../migrations/schema/index.ts';
import { queryRows } from './database.ts';
import { PG_RLS_VIOLATION, sqlState } from './database-errors.ts';
import { withoutTenant, withTenant } from './tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-database.ts';

let testDb: TestDatabase;
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});

beforeEach(async () => {
  await testDb.reset();
  const db = testDb.database.db;
  for (const [id, slug] of [
    [A, 'tenant-a'],
    [B, 'tenant-b'],
  ] as const) {
    await withTenant(db, id, async (tx) => {
      await tx.insert(tenants).values({ id, slug, name: slug });
      const [conversation] = await tx
        .insert(conversations)
        .values({ tenantId: id, userId: `visitor-of-${slug}`, channel: 'widget', lastSeq: 1 })
        .returning();
      await tx.insert(conversationMessages).values({
        tenantId: id,
        conversationId: conversation!.id,
        seq: 1,
        role: 'user',
        content: `secret of ${slug}`,
      });
      await tx
        .insert(knowledgeChunks)
        .values({ tenantId: id, sourceType: 'faq', content: `knowledge of ${slug}` });
    });
  }
});

describe('row level security', () => {
  it('runs the app as a role that is neither superuser nor BYPASSRLS', async () => {
    const [role] = await withTenant(testDb.database.db, A, (tx) =>
      queryRows<{ user: string; super: boolean; bypass: boolean }>(
        tx,
        sql`select current_user as user, r.rolsuper as super, r.rolbypassrls as bypass
            from pg_roles r where r.rolname = current_user`,
      ),
    );
    expect(role).toEqual({ user: testDb.appRole, super: false, bypass: false });
  });

  it('forces row level security, with the tenant and definer policies, on every table of the public schema', async () => {
    const rows = await queryRows<{ name: string; enabled: boolean; forced: boolean; policies: string[] }>(
      testDb.database.db,
      sql`select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
                 coalesce(array_agg(p.polname::text order by p.polname) filter (where p.polname is not null), '{}') as policies
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          left join pg_policy p on p.polrelid = c.oid
          where n.nspname = 'public' and c.relkind = 'r'
          group by c.oid`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(19);
    const unguarded = rows.filter(
      (r) =>
        !r.enabled ||
        !r.forced ||
        !r.policies.includes('definer_access') ||
        // Webhook deliveries belong to no tenant: only the owner's functions reach them.
        (r.name !== 'webhook_events' && !r.policies.includes('tenant_isolation')),
    );
    expect(unguarded.map((r) => r.name)).toEqual([]);
  });

  it("tenant A cannot read tenant B's rows, even when the SQL asks for them by tenant id", async () => {
    const seen = await withTenant(testDb.database.db, A, async (tx) => ({
      tenants: await tx.select().from(tenants).where(eq(tenants.id, B)),
      conversations: await tx.select().from(conversations).where(eq(conversations.tenantId, B)),
      messages: await queryRows(tx, sql`select * from conversation_messages where tenant_id = ${B}`),
      chunks: await queryRows(tx, sql`select content from knowledge_chunks`),
      everything: await queryRows<{ n: number | string }>(
        tx,
        sql`select count(*) as n from conversation_messages`,
      ),
    }));
    expect(seen.tenants).toEqual([]);
    expect(seen.conversations).toEqual([]);
    expect(seen.messages).toEqual([]);
    expect(seen.chunks).toEqual([{ content: 'knowledge of tenant-a' }]);
    expect(Number(seen.everything[0]?.n)).toBe(1);
  });

  it('tenant A cannot insert rows for tenant B', async () => {
    const error = await withTenant(testDb.database.db, A, (tx) =>
      tx.insert(leads).values({ tenantId: B, name: 'Planted lead' }),
    ).catch((e: unknown) => e);
    expect(sqlState(error)).toBe(PG_RLS_VIOLATION);
    const bLeads = await withTenant(testDb.database.db, B, (tx) => tx.select().from(leads));
    expect(bLeads).toEqual([]);
  });

  it("tenant A cannot update or delete tenant B's rows", async () => {
    const outcome = await withTenant(testDb.database.db, A, async (tx) => ({
      updated: await tx
        .update(conversations)
        .set({ status: 'resolved' })
        .where(eq(conversations.tenantId, B))
        .returning(),
      deleted: await tx.delete(conversationMessages).where(eq(conversationMessages.tenantId, B)).returning(),
    }));
    expect(outcome).toEqual({ updated: [], deleted: [] });
    const stillThere = await withTenant(testDb.database.db, B, async (tx) => ({
      status: (await tx.select().from(conversations))[0]?.status,
      messages: (await tx.select().from(conversationMessages)).length,
    }));
    expect(stillThere).toEqual({ status: 'open', messages: 1 });
  });

  it('cannot move a row of its own to another tenant', async () => {
    const error = await withTenant(testDb.database.db, A, (tx) =>
      tx.update(conversations).set({ tenantId: B }).where(eq(conversations.tenantId, A)),
    ).catch((e: unknown) => e);
    expect(sqlState(error)).toBe(PG_RLS_VIOLATION);
  });

  it('sees nothing at all outside a tenant scope', async () => {
    const rows = await withoutTenant(testDb.database.db, (tx) =>
      queryRows<{ n: number | string }>(
        tx,
        sql`select (select count(*) from tenants) + (select count(*) from conversations) as n`,
      ),
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('forgets the tenant when the transaction ends', async () => {
    await withTenant(testDb.database.db, A, async () => {});
    const rows = await withoutTenant(testDb.database.db, (tx) =>
      queryRows<{ tenant: string | null }>(tx, sql`select causette_current_tenant() as tenant`),
    );
    expect(rows[0]?.tenant).toBeNull();
  });
});
