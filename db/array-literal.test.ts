import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from './array-literal.ts';
import { queryRows } from './database.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-database.ts';

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
    // Read back as JSON text: the drivers' own array parsers are not what is tested here.
    const [row] = await queryRows<{ texts: string; numbers: string; json: string }>(
      testDb.database.db,
      sql`select to_json(${arrayLiteral(texts)}::text[])::text as texts,
                 to_json(${arrayLiteral([1, -2, 30])}::int[])::text as numbers,
                 to_json(${arrayLiteral([JSON.stringify({ a: 'x"y' }), '[1]'])}::jsonb[])::text as json`,
    );
    expect(JSON.parse(row!.texts)).toEqual(texts);
    expect(JSON.parse(row!.numbers)).toEqual([1, -2, 30]);
    expect(JSON.parse(row!.json)).toEqual([{ a: 'x"y' }, [1]]);
  });
});
