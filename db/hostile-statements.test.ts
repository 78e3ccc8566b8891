import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages, conversations, tenants } from '../migrations/schema/index.ts';
import { type Db, queryRows, type Tx } from './database.ts';
import { sqlState } from './database-errors.ts';
import { withoutTenant, withTenant } from './tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-database.ts';

/**
 * A statement that runs through the app's own connection (an injection, a compromised query) and
 * tries to read another tenant's rows. Each is run inside tenant A's scope, or outside any scope,
 * and must see none of tenant B's rows: it fails, or it reads nothing of B.
 */
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
  for (const [id, slug] of [
    [A, 'tenant-a'],
    [B, 'tenant-b'],
  ] as const) {
    await withTenant(testDb.database.db, id, async (tx) => {
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
    });
  }
});
afterAll(async () => {
  await testDb?.destroy();
});

/** Every tenant's rows that `executor` sees after running `hostile` (in the same transaction). */
async function seenAfter(executor: Db | Tx, hostile: SQL[]): Promise<string[]> {
  for (const statement of hostile) await executor.execute(statement);
  const rows = await queryRows<{ seen: string }>(
    executor,
    sql`select content as seen from conversation_messages union all select slug from tenants order by 1`,
  );
  return rows.map((r) => r.seen);
}

/** In tenant A's scope: the rows seen, or the SQLSTATE the database refused the attempt with. */
function asTenantA(hostile: SQL[]): Promise<string[] | { refused: string | undefined }> {
  return withTenant(testDb.database.db, A, (tx) => seenAfter(tx, hostile)).catch((error: unknown) => ({
    refused: sqlState(error),
  }));
}

/** What tenant A sees of its own, and nothing more. */
const OWN_ROWS_OF_A = ['secret of tenant-a', 'tenant-a'];
/** insufficient_privilege: a forged scope, a role that may not be taken. */
const REFUSED = { refused: '42501' };

describe('hostile statements through the app connection, on any database', () => {
  it("sees its own tenant's rows and no other's when it does nothing hostile", async () => {
    expect(await asTenantA([])).toEqual(OWN_ROWS_OF_A);
  });

  it('read nothing of another tenant by setting its id in the scope', async () => {
    expect(await asTenantA([sql`select set_config('app.tenant_id', ${B}, true)`])).toEqual(OWN_ROWS_OF_A);
    expect(await asTenantA([sql`select set_config('causette.tenant_scope', ${B}, true)`])).toEqual(REFUSED);
  });

  it("read nothing of another tenant by putting its id beside this scope's signature", async () => {
    const forged = await asTenantA([
      sql`select set_config('causette.tenant_scope',
            ${B} || '.' || split_part(current_setting('causette.tenant_scope', true), '.', 2), true)`,
    ]);
    expect(forged).toEqual(REFUSED);
  });

  it('read nothing at all outside a tenant scope', async () => {
    expect(await seenAfter(testDb.database.db, [])).toEqual([]);
    expect(await withoutTenant(testDb.database.db, (tx) => seenAfter(tx, []))).toEqual([]);
  });

  it('cannot read the key tenant scopes are signed with', async () => {
    const outcome = await queryRows(
      testDb.database.db,
      sql`select * from causette_private.tenant_scope_key`,
    ).catch((error: unknown) => ({ refused: sqlState(error) }));
    expect(outcome).toEqual(REFUSED);
  });
});

// Embedded PGlite's one session is its superuser's, switched to the app role: a statement can
// switch it back. The guarantee below is a Postgres server's (docs/deploy.md).
describe.runIf(process.env['TEST_DATABASE_URL'])(
  'hostile statements through the app connection, on a Postgres server',
  () => {
    it('read nothing of another tenant after RESET ROLE', async () => {
      expect(await asTenantA([sql`reset role`])).toEqual(OWN_ROWS_OF_A);
      expect(await asTenantA([sql`reset role`, sql`select set_config('app.tenant_id', ${B}, true)`])).toEqual(
        OWN_ROWS_OF_A,
      );
      expect(await seenAfter(testDb.database.db, [sql`reset role`])).toEqual([]);
    });

    it("cannot become the tables' owner, nor anyone else", async () => {
      const owner = await testDb.asOwner((db) =>
        queryRows<{ owner: string }>(
          db,
          sql`select tableowner as owner from pg_tables where tablename = 'tenants'`,
        ),
      );
      expect(await asTenantA([sql.raw(`set role ${owner[0]!.owner}`)])).toEqual(REFUSED);
      expect(await asTenantA([sql.raw(`set session authorization ${owner[0]!.owner}`)])).toEqual(REFUSED);
      // The group role that holds the schema's grants: no more than the app role itself.
      expect(await asTenantA([sql`set role causette_app`])).toEqual(OWN_ROWS_OF_A);
    });

    it('connects as a role that owns nothing and bypasses nothing', async () => {
      const [role] = await queryRows<{ superuser: boolean; bypass: boolean; owns: number }>(
        testDb.database.db,
        sql`select r.rolsuper as superuser, r.rolbypassrls as bypass,
            (select count(*)::int from pg_class c where pg_has_role(current_user, c.relowner, 'MEMBER')) as owns
          from pg_roles r where r.rolname = session_user`,
      );
      expect(role).toEqual({ superuser: false, bypass: false, owns: 0 });
    });

    it('can leave nothing behind for the next transaction on the connection: no temporary objects', async () => {
      const outcome = await asTenantA([sql`create temporary table planted (v text)`]);
      expect(outcome).toEqual({ refused: '42501' });
    });

    it('finds no named prepared statement of the driver to put its own in place of', async () => {
      const named = await withTenant(testDb.database.db, A, async (tx) => {
        await tx.select().from(conversations);
        return queryRows<{ name: string }>(
          tx,
          sql`select name from pg_prepared_statements where not from_sql`,
        );
      });
      expect(named).toEqual([]);
    });
  },
);
