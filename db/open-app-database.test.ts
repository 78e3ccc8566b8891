import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { queryRows } from './database.ts';
import { appRoleUrl, openAppDatabase, UnsafeAppRoleError } from './open-app-database.ts';

const CREDENTIALS = { appPassword: 'test-password', tenantScopeKey: Buffer.alloc(32, 5) };

// Embedded PGlite's opening is tested with its data directory: persistence.test.ts.
const url = process.env['TEST_DATABASE_URL'];
describe.runIf(url)('a Postgres server as the server opens it', () => {
  /** A scratch database, and any role the work names, dropped afterwards. */
  async function scratch(work: (owner: string, roleName: (purpose: string) => string) => Promise<void>) {
    const suffix = randomBytes(6).toString('hex');
    const name = `causette_test_${suffix}`;
    const roles: string[] = [];
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url!);
    target.pathname = `/${name}`;
    try {
      await work(target.toString(), (purpose) => {
        roles.push(`causette_test_${purpose}_${suffix}`);
        return roles.at(-1)!;
      });
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      for (const role of roles) await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
    }
  }

  it('refuses to serve as the owner', async () => {
    await scratch(async (owner) => {
      const refused = await openAppDatabase({
        url: owner,
        appUrl: owner,
        appRole: 'postgres',
        credentials: CREDENTIALS,
        migrate: true,
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UnsafeAppRoleError);
      expect((refused as Error).message).toMatch(/is a superuser, has BYPASSRLS, owns tables/);
    });
  });

  it('serves as a role made by hand, granting it the schema, and refuses one that bypasses row level security', async () => {
    await scratch(async (owner, roleName) => {
      const admin = postgres(owner, { max: 1, onnotice: () => {} });
      const handMade = roleName('hand');
      const bypassing = roleName('bypass');
      await admin.unsafe(`create role ${handMade} login password 'chosen-by-hand'`);
      await admin.unsafe(`create role ${bypassing} login bypassrls password 'chosen-by-hand'`);
      await admin.end();
      const served = await openAppDatabase({
        url: owner,
        appUrl: appRoleUrl(owner, handMade, 'chosen-by-hand'),
        appRole: handMade,
        credentials: CREDENTIALS,
        migrate: true,
      });
      try {
        const [can] = await queryRows<{ member: boolean }>(
          served.db,
          sql`select pg_has_role(current_user, 'causette_app', 'USAGE') as member`,
        );
        expect(can).toEqual({ member: true });
      } finally {
        await served.close();
      }
      const refused = await openAppDatabase({
        url: owner,
        appUrl: appRoleUrl(owner, bypassing, 'chosen-by-hand'),
        appRole: bypassing,
        credentials: CREDENTIALS,
        migrate: true,
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UnsafeAppRoleError);
      expect((refused as Error).message).toContain('has BYPASSRLS');
    });
  });

  it('serves as the app role, and maintains as the owner, on a connection of its own', async () => {
    await scratch(async (owner, roleName) => {
      const appRole = roleName('app');
      const database = await openAppDatabase({
        url: owner,
        appRole,
        credentials: CREDENTIALS,
        migrate: true,
      });
      const who = (db: typeof database.db) =>
        queryRows<{ user: string; pid: number }>(
          db,
          sql`select current_user::text as user, pg_backend_pid() as pid`,
        );
      try {
        const [serving] = await who(database.db);
        const [maintaining] = await database.maintain(who);
        expect(serving?.user).toBe(appRole);
        expect(maintaining?.user).toBe('postgres');
        expect(maintaining?.pid).not.toBe(serving?.pid);
      } finally {
        await database.close();
      }
    });
  });
});
