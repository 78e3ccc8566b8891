import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { tenants } from '../migrations/schema/index.ts';
import { DataDirBusyError } from './data-dir-lock.ts';
import { openDatabase } from './database.ts';
import { runMigrations } from './migrate.ts';
import { withTenant } from './tenant-scope.ts';

const TENANT = '33333333-3333-4333-8333-333333333333';

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
    const first = await openDatabase({ driver: 'pglite', dataDir });
    await runMigrations(first);
    await writeTenant(first.db);
    await first.close();

    const second = await openDatabase({ driver: 'pglite', dataDir });
    await runMigrations(second); // nothing left to apply, and nothing lost by applying nothing
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
  it('keeps data written before the connection pool is closed and reopened', async () => {
    const name = `causette_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url!);
    target.pathname = `/${name}`;
    try {
      const first = await openDatabase({ driver: 'postgres', url: target.toString() });
      await runMigrations(first);
      await writeTenant(first.db);
      await first.close();
      const second = await openDatabase({ driver: 'postgres', url: target.toString() });
      await runMigrations(second);
      expect(await readTenants(second.db)).toEqual([{ slug: 'kept' }]);
      await second.close();
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it('migrates safely when several processes start at once', async () => {
    const name = `causette_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url!);
    target.pathname = `/${name}`;
    try {
      const databases = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ driver: 'postgres', url: target.toString() })),
      );
      await Promise.all(databases.map((database) => runMigrations(database)));
      await writeTenant(databases[0]!.db);
      expect(await readTenants(databases[2]!.db)).toEqual([{ slug: 'kept' }]);
      await Promise.all(databases.map((database) => database.close()));
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
