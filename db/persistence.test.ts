import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { tenants } from '../migrations/schema/index.ts';
import { DataDirBusyError } from './data-dir-lock.ts';
import { openDatabase } from './database.ts';
import { sqlState } from './database-errors.ts';
import { type AppDatabaseOptions, openAppDatabase } from './open-app-database.ts';
import { withTenant } from './tenant-scope.ts';

const TENANT = '33333333-3333-4333-8333-333333333333';
const CREDENTIALS = { appPassword: 'test-password', tenantScopeKey: Buffer.alloc(32, 7) };

function served(options: Partial<AppDatabaseOptions>): AppDatabaseOptions {
  return { url: undefined, appRole: 'causette_app', credentials: CREDENTIALS, migrate: true, ...options };
}

async function writeTenant(db: Parameters<typeof withTenant>[0]) {
  await withTenant(db, TENANT, (tx) => tx.insert(tenants).values({ id: TENANT, slug: 'kept', name: 'Kept' }));
}
async function readTenants(db: Parameters<typeof withTenant>[0]) {
  return withTenant(db, TENANT, (tx) => tx.select({ slug: tenants.slug }).from(tenants));
}

// Two on-disk PGlite starts and a full migration each: tens of seconds on a busy two-core machine.
describe('embedded Postgres (PGlite)', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps data written before a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'causette-persist-'));
    dirs.push(dataDir);
    const first = await openAppDatabase(served({ url: undefined, dataDir }));
    await writeTenant(first.db);
    await first.close();

    // Nothing left to apply, and nothing lost by applying nothing.
    const second = await openAppDatabase(served({ url: undefined, dataDir }));
    expect(await readTenants(second.db)).toEqual([{ slug: 'kept' }]);
    await second.close();
  });

  it('lets only one process open a data directory at a time', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'causette-lock-'));
    dirs.push(dataDir);
    const holder = await openDatabase({ driver: 'pglite', dataDir });
    const refused = await openDatabase({ driver: 'pglite', dataDir }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirBusyError);
    expect((refused as DataDirBusyError).message).toContain(`pid ${process.pid}`);
    await holder.close();
    const reopened = await openDatabase({ driver: 'pglite', dataDir });
    await reopened.close();
  });
});

const url = process.env['TEST_DATABASE_URL'];
describe.runIf(url)('a real Postgres server', () => {
  /** A scratch database and app role on the server, dropped afterwards. */
  async function scratch(work: (target: string, appRole: string) => Promise<void>) {
    const suffix = randomBytes(6).toString('hex');
    const name = `causette_test_${suffix}`;
    const appRole = `causette_test_app_${suffix}`;
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url!);
    target.pathname = `/${name}`;
    try {
      await work(target.toString(), appRole);
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`drop role if exists ${appRole}`);
      await admin.end();
    }
  }

  it('keeps data written before the connection pool is closed and reopened', async () => {
    await scratch(async (target, appRole) => {
      const first = await openAppDatabase(served({ url: target, appRole }));
      await writeTenant(first.db);
      await first.close();
      const second = await openAppDatabase(served({ url: target, appRole }));
      expect(await readTenants(second.db)).toEqual([{ slug: 'kept' }]);
      await second.close();
    });
  });

  it('migrates safely when several processes start at once', async () => {
    await scratch(async (target, appRole) => {
      const databases = await Promise.all(
        [1, 2, 3].map(() => openAppDatabase(served({ url: target, appRole }))),
      );
      await writeTenant(databases[0]!.db);
      expect(await readTenants(databases[2]!.db)).toEqual([{ slug: 'kept' }]);
      await Promise.all(databases.map((database) => database.close()));
    });
  });

  it('lets the app role in again after the secret changed, with the new password and key only', async () => {
    await scratch(async (target, appRole) => {
      const before = await openAppDatabase(served({ url: target, appRole }));
      await writeTenant(before.db);
      const rotated = { appPassword: 'rotated-password', tenantScopeKey: Buffer.alloc(32, 9) };
      const after = await openAppDatabase(served({ url: target, appRole, credentials: rotated }));
      expect(await readTenants(after.db)).toEqual([{ slug: 'kept' }]);
      // A process still signing with the old key reads nothing any more.
      expect(sqlState(await readTenants(before.db).catch((e: unknown) => e))).toBe('42501');
      await before.close();
      await after.close();
      // Stored as a SCRAM verifier: the password itself was never sent.
      const admin = postgres(url!, { max: 1, onnotice: () => {} });
      const [stored] = await admin`select rolpassword from pg_authid where rolname = ${appRole}`;
      await admin.end();
      expect(String(stored?.['rolpassword'])).toMatch(/^SCRAM-SHA-256\$4096:/);
    });
  });
});
