import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from './array-literal.ts';
import { queryRows } from './database.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.destroy();
});

describe('arrayLiteral', () => {
  it('carries any text, nulls and numbers through the database unchanged', async () => {
    const texts = [
      'plain',
      'with "quotes"',
      'back\\slash',
      'comma, {braces}',
      'NULL',
      '',
      'line\nbreak',
      'é 🙂',
      null,
    ];
    const [row] = await queryRows<{ texts: (string | null)[]; numbers: number[]; json: unknown[] }>(
      testDb.database.db,
      sql`select ${arrayLiteral(texts)}::text[] as texts, ${arrayLiteral([1, -2, 30])}::int[] as numbers,
                 ${arrayLiteral([JSON.stringify({ a: 'x"y' }), '[1]'])}::jsonb[] as json`,
    );
    expect(row?.texts).toEqual(texts);
    expect(row?.numbers).toEqual([1, -2, 30]);
    expect(row?.json).toEqual([{ a: 'x"y' }, [1]]);
  });
});
