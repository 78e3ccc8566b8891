import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { startTestSite, type TestSite } from '../../knowledge/testing/test-site.ts';
import { startTestCli, type TestCli } from '../testing/test-cli.ts';

let testDb: TestDatabase;
let cli: TestCli;
let site: TestSite;

const page = (title: string, text: string, links = '') =>
  `<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p>${links}</body></html>`;

beforeAll(async () => {
  testDb = await createTestDatabase();
  cli = await startTestCli(testDb.database);
  await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' });
  site = await startTestSite({
    '/': (_request, response) =>
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(page('Shop', 'Shoes and bags made in Lyon.', '<a href="/about">About</a>')),
    '/about': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end(page('About', 'Making shoes since 1920.')),
  });
}, 60_000);
afterAll(async () => {
  await cli.close();
  await site.close();
  await testDb.destroy();
});

describe('causette websites', () => {
  it('adds a website and crawls it, lists it, crawls it again and deletes it', async () => {
    const url = `${site.url}/`;
    const args = ['--max-pages', '5', '--max-depth', '1', '--frequency', 'weekly'];
    expect(await cli.run(['websites', 'add', url, '--tenant', 'shop', ...args])).toEqual({
      code: 0,
      output: `${url}: 2 chunks indexed`,
    });
    const listed = await cli.run(['websites', 'list', '--tenant', 'shop']);
    const id = /^[0-9a-f-]{36}/.exec(listed.output)?.[0];
    expect(listed).toEqual({ code: 0, output: `${id}  completed     2 pages  ${url}` });
    // Nothing changed on the site: nothing to index again.
    expect(await cli.run(['websites', 'crawl', id!, '--tenant', 'shop'])).toEqual({
      code: 0,
      output: `${id}: 0 chunks indexed`,
    });
    expect(await cli.run(['websites', 'delete', id!, '--tenant', 'shop'])).toEqual({
      code: 0,
      output: `Deleted website source ${id}, its pages and chunks.`,
    });
    expect(await cli.run(['websites', 'list', '--tenant', 'shop'])).toEqual({
      code: 0,
      output: 'No website sources.',
    });
  });

  it('says what is wrong with a command line, with exit code 2', async () => {
    const url = `${site.url}/`;
    for (const [args, problem] of [
      [
        ['websites', 'add', url, '--tenant', 'shop', '--frequency', 'hourly'],
        '--frequency must be manual, daily or weekly',
      ],
      [
        ['websites', 'add', url, '--tenant', 'shop', '--max-pages', 'many'],
        '--max-pages must be a whole number',
      ],
      [['websites', 'add', '--tenant', 'shop'], 'websites add needs a URL'],
      [['websites', 'crawl', '--tenant', 'shop'], 'websites crawl needs a source ID'],
      [['websites', 'list'], 'websites list needs --tenant'],
      [['websites', 'mirror', '--tenant', 'shop'], 'Unknown websites command "mirror"'],
    ] as const) {
      const run = await cli.run([...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.output.split('\n')[0]).toBe(problem);
    }
  });
});
