import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from './database.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-database.ts';

// drizzle's transactions on postgres.js are the driver's own (sql.begin, sql.savepoint): what the
// code relies on of them, on a real Postgres. PGlite's are its own.
const url = process.env['TEST_DATABASE_URL'];

describe.runIf(url)('transactions on a real Postgres', () => {
  let testDb: TestDatabase;
  const rows = async () =>
    (await queryRows<{ v: string }>(testDb.database.db, sql`select v from scratch order by v`)).map(
      (r) => r.v,
    );

  beforeAll(async () => {
    testDb = await createTestDatabase(url);
    // The owner's new table: the app role may write it (the schema's default privileges).
    await testDb.asOwner((owner) => owner.execute(sql`create table scratch (v text primary key)`));
  });
  afterAll(async () => {
    await testDb?.destroy();
  });
  beforeEach(async () => {
    await testDb.asOwner((owner) => owner.execute(sql`truncate scratch`));
  });

  it('commits what the work wrote, and runs its statements inside the transaction', async () => {
    const db = testDb.database.db;
    const inside = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into scratch values ('a')`);
      const [row] = await queryRows<{ x: string }>(tx, sql`select txid_current_if_assigned()::text as x`);
      return row?.x;
    });
    expect(inside).toMatch(/^\d+$/);
    expect(await rows()).toEqual(['a']);
  });

  it('rolls back when the work throws', async () => {
    const db = testDb.database.db;
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into scratch values ('a')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await rows()).toEqual([]);
  });

  it('rolls back, and says why, when a statement failed that the work caught', async () => {
    const db = testDb.database.db;
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into scratch values ('a')`);
        await tx.execute(sql`insert into scratch values ('a')`).catch(() => {});
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([]);
  });

  it('keeps the outer work when a nested transaction (a savepoint) fails', async () => {
    const db = testDb.database.db;
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into scratch values ('outer')`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute(sql`insert into scratch values ('inner')`);
          await inner.execute(sql`insert into scratch values ('inner')`);
        }),
      ).rejects.toMatchObject({ cause: { code: '23505' } });
      await tx.transaction((inner) => inner.execute(sql`insert into scratch values ('second')`));
    });
    expect(await rows()).toEqual(['outer', 'second']);
  });

  it('rolls back a savepoint’s statements, waited for or not, and commits what came before it', async () => {
    const db = testDb.database.db;
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into scratch values ('outer')`);
      await expect(
        tx.transaction(async (inner) => {
          void inner.execute(sql`insert into scratch values ('sent')`).catch(() => {});
          await inner.execute(sql`insert into scratch values ('outer')`);
        }),
      ).rejects.toMatchObject({ cause: { code: '23505' } });
    });
    expect(await rows()).toEqual(['outer']);
  });

  it('keeps concurrent transactions apart, more of them than the pool has connections', async () => {
    const db = testDb.database.db;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction(async (tx) => {
          await tx.execute(sql`insert into scratch values (${`t${String(i).padStart(2, '0')}`})`);
          if (i % 3 === 0) throw new Error(`no ${i}`);
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(4);
    expect(await rows()).toEqual(
      Array.from({ length: 12 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => `t${String(i).padStart(2, '0')}`),
    );
  });
});
