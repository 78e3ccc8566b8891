import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { startTestCli, type TestCli } from '../testing/test-cli.ts';

let testDb: TestDatabase;
let cli: TestCli;

beforeAll(async () => {
  testDb = await createTestDatabase();
  cli = await startTestCli(testDb.database);
  const { db } = testDb.database;
  for (const slug of ['shop', 'atelier']) {
    const tenant = await createTenant(db, { slug, name: slug });
    await withTenant(db, tenant.id, (tx) =>
      createFaqEntry(tx, tenant.id, { lang: 'en', question: 'Delivery?', answer: 'Three to five days.' }),
    );
  }
}, 60_000);
afterAll(async () => {
  await cli.close();
  await testDb.destroy();
});

describe('causette knowledge', () => {
  it('embeds what lacks a vector, then everything, for one tenant or all of them', async () => {
    expect(await cli.run(['knowledge', 'reembed', '--tenant', 'shop', '--stale'])).toEqual({
      code: 0,
      output: 'reembed of shop: 1 chunks indexed',
    });
    expect(await cli.run(['knowledge', 'reembed', '--tenant', 'shop', '--stale'])).toEqual({
      code: 0,
      output: 'reembed of shop: 0 chunks indexed',
    });
    expect(await cli.run(['knowledge', 'reembed'])).toEqual({
      code: 0,
      output: 'reembed of 2 tenants: 2 chunks indexed',
    });
    expect(await cli.run(['knowledge', 'reindex', '--tenant', 'atelier'])).toEqual({
      code: 0,
      output: 'reindex of atelier: 1 chunks indexed',
    });
  });

  it('refuses an unknown tenant with exit code 1, and a mistaken command line with 2', async () => {
    expect(await cli.run(['knowledge', 'reindex', '--tenant', 'nobody'])).toEqual({
      code: 1,
      output: 'No tenant has the slug "nobody"',
    });
    for (const [args, problem] of [
      [['knowledge', 'refresh'], 'Unknown knowledge command "refresh"'],
      [['knowledge', 'reembed', 'shop'], "Unexpected argument 'shop'"],
    ] as const) {
      const run = await cli.run([...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.output.split('\n')[0]).toContain(problem);
    }
  });
});
