import { readFile, stat, writeFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../database.ts';
import { migratedPgliteArchive, openMigratedPglite } from './test-database.ts';

const tables = `select count(*)::int as n from pg_tables where schemaname = 'public'`;

describe('the migrated embedded database of the tests', () => {
  it('starts every test file from the same migrated archive, each database its own', async () => {
    const first = await openMigratedPglite();
    const second = await openMigratedPglite();
    try {
      const archive = await migratedPgliteArchive();
      expect((await stat(archive)).size).toBeGreaterThan(0);
      const [a] = await queryRows<{ n: number }>(first.db, sql.raw(tables));
      const [b] = await queryRows<{ n: number }>(second.db, sql.raw(tables));
      expect(a!.n).toBeGreaterThan(10);
      expect(b!.n).toBe(a!.n);
      await first.db.execute(sql`insert into tenants (name, slug) values ('A', 'only-in-first')`);
      const [seen] = await queryRows<{ n: number }>(
        second.db,
        sql`select count(*)::int as n from tenants where slug = 'only-in-first'`,
      );
      expect(seen!.n).toBe(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('makes the archive again when the one it finds is damaged', async () => {
    const archive = await migratedPgliteArchive();
    await writeFile(archive, Buffer.from('not a tar archive'));
    const database = await openMigratedPglite();
    try {
      const [row] = await queryRows<{ n: number }>(database.db, sql.raw(tables));
      expect(row!.n).toBeGreaterThan(10);
    } finally {
      await database.close();
    }
    // Made again, whole: the next database loads from it.
    expect((await stat(archive)).size).toBeGreaterThan(1_000_000);
    const next = await openDatabase({ driver: 'pglite', snapshot: new Blob([await readFile(archive)]) });
    try {
      const [row] = await queryRows<{ n: number }>(next.db, sql.raw(tables));
      expect(row!.n).toBeGreaterThan(10);
    } finally {
      await next.close();
    }
  });
});
