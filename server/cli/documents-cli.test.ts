import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { startTestCli, type TestCli } from '../testing/test-cli.ts';

let testDb: TestDatabase;
let cli: TestCli;
let dir: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  cli = await startTestCli(testDb.database);
  await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' });
  dir = await mkdtemp(join(tmpdir(), 'causette-documents-'));
  await writeFile(join(dir, 'delivery.md'), '# Delivery\n\nDelivery takes 3 to 5 days in France.\n');
  await writeFile(join(dir, 'payment.md'), '# Payment\n\nWe accept cards and PayPal.\n');
  // Named a PDF, but not one: recorded as failed, with the reason.
  await writeFile(join(dir, 'catalogue.pdf'), 'not a PDF at all');
}, 60_000);
afterAll(async () => {
  await cli.close();
  await testDb.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('causette documents', () => {
  it('adds files with a line each, lists, reprocesses and deletes them', async () => {
    const add = ['documents', 'add', join(dir, 'delivery.md'), join(dir, 'payment.md'), '--tenant', 'shop'];
    expect(await cli.run([...add, '--description', 'FAQ'])).toEqual({
      code: 0,
      output: 'delivery.md: 1 chunks indexed\npayment.md: 1 chunks indexed',
    });
    const listed = await cli.run(['documents', 'list', '--tenant', 'shop']);
    expect(listed.code).toBe(0);
    const rows = listed.output.split('\n');
    // Newest first, which may be either file.
    expect(rows.toSorted((a, b) => a.slice(37).localeCompare(b.slice(37)))).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36} {2}processed {5}1 chunks {2}delivery\.md$/),
      expect.stringMatching(/^[0-9a-f-]{36} {2}processed {5}1 chunks {2}payment\.md$/),
    ]);
    const [id, , , , filename] = rows[0]!.split(/\s+/);
    expect(await cli.run(['documents', 'reprocess', id!, '--tenant', 'shop'])).toEqual({
      code: 0,
      output: `${filename}: 1 chunks indexed`,
    });
    expect(await cli.run(['documents', 'delete', id!, '--tenant', 'shop'])).toEqual({
      code: 0,
      output: `Deleted document ${id} and its chunks.`,
    });
    expect(await cli.run(['documents', 'delete', id!, '--tenant', 'shop'])).toEqual({
      code: 1,
      output: `No document ${id} in shop`,
    });
  });

  it('reports a file that is not what its name says as failed, with exit code 1', async () => {
    const added = await cli.run(['documents', 'add', join(dir, 'catalogue.pdf'), '--tenant', 'shop']);
    expect(added.code).toBe(1);
    expect(added.output).toMatch(/^catalogue\.pdf: failed: .*PDF/);
    const listed = await cli.run(['documents', 'list', '--tenant', 'shop']);
    expect(listed.output).toMatch(/ {2}failed {8}0 chunks {2}catalogue\.pdf {2}.*PDF/);
  });

  it('refuses what it cannot do, with exit code 1, and mistakes in the command line with 2', async () => {
    expect(await cli.run(['documents', 'add', join(dir, 'missing.md'), '--tenant', 'shop'])).toEqual({
      code: 1,
      output: `No file at ${join(dir, 'missing.md')}`,
    });
    expect(await cli.run(['documents', 'list', '--tenant', 'nobody'])).toEqual({
      code: 1,
      output: 'No tenant has the slug "nobody"',
    });
    for (const [args, problem] of [
      [['documents', 'list'], 'documents list needs --tenant'],
      [['documents', 'add', '--tenant', 'shop'], 'documents add needs at least one FILE'],
      [['documents', 'delete', '--tenant', 'shop'], 'documents delete needs a document ID'],
      [['documents', 'shred', '--tenant', 'shop'], 'Unknown documents command "shred"'],
      [['documents', 'list', '--tenant', 'shop', '--all'], "Unknown option '--all'"],
    ] as const) {
      const run = await cli.run([...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.output.split('\n')[0]).toContain(problem);
      expect(run.output).toContain('\n\nUsage: causette');
    }
  });
});
