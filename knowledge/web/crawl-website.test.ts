import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { knowledgeChunks, websitePages } from '../../migrations/schema/index.ts';
import { getJob } from '../jobs/job-store.ts';
import { createKnowledgeTestbed, type KnowledgeTestbed } from '../testing/knowledge-testbed.ts';
import { article, html, redirect, startTestSite, type TestSite, text } from '../testing/test-site.ts';
import { createWebsiteService, type WebsiteService } from './website-service.ts';
import { getWebsiteSource, listWebsitePages } from './website-store.ts';

const lorem = (topic: string) =>
  `${topic} : nous répondons à toutes vos questions sur ce sujet, avec des explications détaillées pour chaque cas.\n` +
  `Chaque commande est préparée avec soin dans notre atelier parisien, puis confiée au transporteur le jour même.\n` +
  `Notre service client répond du lundi au vendredi, de 9 h à 18 h, par téléphone et par e-mail.`;

let bed: KnowledgeTestbed;
let websites: WebsiteService;
let tenantId: string;
let site: TestSite;

beforeAll(async () => {
  bed = await createKnowledgeTestbed({
    crawl: { limits: { timeoutMs: 600, maxBytes: 200 * 1024, maxRedirects: 5, allowPrivateNetworks: true } },
  });
});
afterAll(async () => {
  await bed.destroy();
});
beforeEach(async () => {
  await bed.reset();
  websites = createWebsiteService(bed.deps);
  tenantId = await bed.createTenant('shop');
});
afterEach(async () => {
  await site?.close();
});

async function crawl(baseUrl: string, options: { maxPages?: number } = {}) {
  const { source, job } = await websites.create(tenantId, { baseUrl, maxPages: options.maxPages ?? 50 });
  const outcome = await bed.waitForJob(job.id);
  return { source, job, outcome, ...(await state(source.id)) };
}

async function state(sourceId: string) {
  return withTenant(bed.db, tenantId, async (tx) => ({
    stored: (await getWebsiteSource(tx, sourceId))!,
    pages: await listWebsitePages(tx, sourceId),
    chunks: await tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceType, 'website')),
  }));
}

const paths = () => site.requests.map((r) => r.path);
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

describe('crawling a site', () => {
  it('follows links breadth-first, indexes each page once with its title and URL, and answers from it', async () => {
    site = await startTestSite({
      '/': article('Accueil', lorem('Bienvenue'), [
        '/livraison',
        '/retours#conditions',
        '/livraison/?utm_source=x',
      ]),
      '/livraison': article('Livraison', lorem('Livraison en 3 à 5 jours ouvrés'), [
        '/',
        '/retours',
        '/livraison#top',
      ]),
      '/retours': article('Retours', lorem('Retours gratuits pendant 30 jours'), ['/livraison/', '/']),
    });
    const { outcome, stored, pages, chunks, job } = await crawl(site.url);
    expect(outcome.status).toBe('succeeded');
    expect(pages.map((p) => pathOf(p.url)).sort()).toEqual(['/', '/livraison', '/retours']);
    // Fragments, trailing slashes and tracking parameters never cause a second fetch.
    const fetched = paths().filter((p) => p !== '/robots.txt' && p !== '/sitemap.xml');
    expect(fetched.sort()).toEqual(['/', '/livraison', '/retours']);
    expect(stored).toMatchObject({ status: 'completed', pagesCrawled: 3, error: null });
    expect(stored.lastCrawledAt).toBeInstanceOf(Date);
    const page = pages.find((p) => p.url.endsWith('/livraison'))!;
    expect(page).toMatchObject({ title: 'Livraison', status: 'indexed', httpStatus: 200 });
    expect(page.chunkCount).toBeGreaterThan(0);
    const pageChunk = chunks.find((c) => c.sourceId === page.id)!;
    expect(pageChunk.metadata).toMatchObject({ parent_url: page.url, chunk_index: 0, title: 'Livraison' });
    const finished = await withTenant(bed.db, tenantId, (tx) => getJob(tx, job.id));
    expect(finished).toMatchObject({ status: 'succeeded', pagesCrawled: 3, pagesFailed: 0 });
    expect(finished!.chunksIndexed).toBe(chunks.length);

    const hits = await bed.retriever.retrieve(tenantId, 'Combien de jours pour un retour gratuit ?', {
      lang: 'fr',
    });
    expect(hits[0]?.citation).toEqual({ title: 'Retours', url: `${site.url}/retours` });
  });

  it('obeys robots.txt (disallow and crawl-delay) and uses the sitemap', async () => {
    site = await startTestSite({
      '/robots.txt': text(
        'User-agent: *\nDisallow: /private\nCrawl-delay: 0.3\nSitemap: /sitemap-main.xml\n',
      ),
      '/sitemap-main.xml': text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' +
          '<url><loc>SITE/hidden</loc></url><url><loc>SITE/private/listed</loc></url></urlset>',
        'application/xml',
      ),
      '/': article('Accueil', lorem('Accueil'), ['/private/secret', '/public']),
      '/public': article('Public', lorem('Public')),
      '/hidden': article('Page seulement dans le sitemap', lorem('Sitemap')),
      '/private/secret': article('Secret', lorem('Secret')),
      '/private/listed': article('Secret listé', lorem('Secret')),
    });
    const sitemap = site.routes.get('/sitemap-main.xml')!;
    site.routes.set('/sitemap-main.xml', (request, response) => {
      const write = response.end.bind(response);
      response.end = ((body: string) => write(body.replaceAll('SITE', site.url))) as typeof response.end;
      sitemap(request, response);
    });
    const { pages, stored } = await crawl(site.url);
    expect(pages.map((p) => pathOf(p.url)).sort()).toEqual(['/', '/hidden', '/public']);
    expect(paths().some((p) => p.startsWith('/private'))).toBe(false);
    const skipped = (stored.metadata['last_crawl'] as { skipped: { url: string; reason: string }[] }).skipped;
    expect(skipped).toContainEqual({ url: `${site.url}/private/secret`, reason: 'disallowed by robots.txt' });
    // Crawl-delay spaces the page requests. Arrival times are read in this (busy) process, so
    // only the span of the three requests is checked, with slack, not each gap.
    expect((stored.metadata['last_crawl'] as { crawl_delay_ms: number }).crawl_delay_ms).toBe(300);
    const times = site.requests
      .filter((r) => !r.path.endsWith('.txt') && !r.path.endsWith('.xml'))
      .map((r) => r.at);
    expect(times).toHaveLength(3);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(450);
  });

  it('escapes link loops and a calendar that never ends', async () => {
    site = await startTestSite({
      '/': article('Accueil', lorem('Accueil'), ['/a', '/agenda?month=1']),
      '/a': article('A', lorem('A'), ['/b']),
      '/b': article('B', lorem('B'), ['/a', '/', '/b?ref=b']),
    });
    site.routes.set('/agenda', (request, response) => {
      const month = Number(new URL(request.url!, site.url).searchParams.get('month'));
      article(`Agenda ${month}`, lorem(`Agenda du mois ${month}`), [
        `/agenda?month=${month + 1}`,
        `/agenda?month=${month - 1}`,
      ])(request, response);
    });
    const { outcome, pages } = await crawl(site.url, { maxPages: 200 });
    expect(outcome.status).toBe('succeeded');
    const agenda = pages.filter((p) => p.url.includes('/agenda'));
    expect(agenda.length).toBeGreaterThan(0);
    expect(agenda.length).toBeLessThanOrEqual(10);
    expect(
      pages
        .filter((p) => !p.url.includes('/agenda'))
        .map((p) => pathOf(p.url))
        .sort(),
    ).toEqual(['/', '/a', '/b', '/b?ref=b']);
    const counts = new Map<string, number>();
    for (const p of paths()) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('follows redirects on the site, not off it', async () => {
    site = await startTestSite({
      '/': article('Accueil', lorem('Accueil'), ['/ancienne', '/ailleurs']),
      '/ancienne': redirect('/nouvelle'),
      '/nouvelle': article('Nouvelle page', lorem('Nouvelle')),
    });
    site.routes.set('/ailleurs', redirect(`${site.url.replace('127.0.0.1', 'localhost')}/page`, 302));
    const { pages, stored } = await crawl(site.url);
    expect(pages.map((p) => pathOf(p.url)).sort()).toEqual(['/', '/nouvelle']);
    const skipped = (stored.metadata['last_crawl'] as { skipped: { reason: string }[] }).skipped;
    expect(skipped.some((s) => s.reason.startsWith('redirects off the site'))).toBe(true);
  });

  it('records 404, 500, huge, slow and script-only pages as failed, skips non-HTML, and keeps going', async () => {
    site = await startTestSite({
      '/': article('Accueil', lorem('Accueil'), [
        '/absente',
        '/panne',
        '/enorme',
        '/lente',
        '/scripts',
        '/tarifs.pdf',
        '/ok',
      ]),
      '/panne': html('<p>Erreur</p>', 'Erreur', 500),
      '/enorme': html(`<p>${'x '.repeat(300_000)}</p>`, 'Énorme'),
      '/lente': () => {},
      '/scripts': html(
        Array.from({ length: 300 }, (_, i) => `<script>var v${i}="${'y'.repeat(50)}"</script>`).join(''),
      ),
      '/tarifs.pdf': text('%PDF-1.4 not really', 'application/pdf'),
      '/ok': article('Tout va bien', lorem('Tout va bien')),
    });
    const { outcome, pages, stored, chunks, job } = await crawl(site.url);
    expect(outcome.status).toBe('succeeded');
    const byPath = new Map(pages.map((p) => [pathOf(p.url), p]));
    expect(byPath.get('/absente')).toMatchObject({
      status: 'failed',
      httpStatus: 404,
      error: 'HTTP 404 Not Found',
      chunkCount: 0,
    });
    expect(byPath.get('/panne')).toMatchObject({ status: 'failed', httpStatus: 500, chunkCount: 0 });
    expect(byPath.get('/enorme')?.error).toMatch(/larger than/);
    expect(byPath.get('/lente')?.error).toMatch(/No complete answer within/);
    expect(byPath.get('/scripts')?.error).toMatch(/no readable text/);
    expect(byPath.has('/tarifs.pdf')).toBe(false);
    expect(byPath.get('/ok')?.status).toBe('indexed');
    const failedIds = new Set(pages.filter((p) => p.status === 'failed').map((p) => p.id));
    expect(chunks.some((c) => failedIds.has(c.sourceId!))).toBe(false);
    expect(stored).toMatchObject({ status: 'completed', pagesCrawled: 2 });
    const finished = await withTenant(bed.db, tenantId, (tx) => getJob(tx, job.id));
    expect(finished).toMatchObject({ pagesCrawled: 2, pagesFailed: 5 });
  });

  it('fails the crawl of a site that does not answer, with a readable error, and keeps serving', async () => {
    site = await startTestSite({ '/robots.txt': () => {} });
    const { outcome, stored } = await crawl(site.url);
    expect(outcome.status).toBe('failed');
    expect(stored.status).toBe('failed');
    expect(stored.error).toMatch(/did not answer/);
    const down = await startTestSite();
    const url = down.url;
    await down.close();
    const second = await crawl(url);
    expect(second.stored.status).toBe('failed');
    expect(second.stored.error).toMatch(/did not answer|ECONNREFUSED/);
  });

  it('re-crawls: only changed pages are re-indexed, and pages that disappeared lose their chunks', async () => {
    site = await startTestSite({
      '/': article('Accueil', lorem('Accueil'), ['/stable', '/change', '/disparait']),
      '/stable': article('Stable', lorem('Stable')),
      '/change': article('Change', lorem('Version 1')),
      '/disparait': article('Disparaît', lorem('Bientôt supprimée')),
    });
    const first = await crawl(site.url);
    const chunkIdsOf = (rows: typeof first.chunks, pageUrl: string, pages: typeof first.pages) => {
      const page = pages.find((p) => p.url === `${site.url}${pageUrl}`);
      return rows
        .filter((c) => c.sourceId === page?.id)
        .map((c) => c.id)
        .sort();
    };
    site.routes.set('/', article('Accueil', lorem('Accueil'), ['/stable', '/change']));
    site.routes.set('/change', article('Change', lorem('Version 2 avec un nouveau tarif')));
    site.routes.delete('/disparait');
    const job = await websites.crawl(tenantId, first.source.id);
    await bed.waitForJob(job.id);
    const second = await state(first.source.id);
    expect(chunkIdsOf(second.chunks, '/stable', second.pages)).toEqual(
      chunkIdsOf(first.chunks, '/stable', first.pages),
    );
    expect(chunkIdsOf(second.chunks, '/change', second.pages)).not.toEqual(
      chunkIdsOf(first.chunks, '/change', first.pages),
    );
    expect(second.pages.map((p) => pathOf(p.url)).sort()).toEqual(['/', '/change', '/stable']);
    expect(chunkIdsOf(second.chunks, '/disparait', first.pages)).toEqual([]);
    expect(second.stored.pagesCrawled).toBe(3);
    const finished = await withTenant(bed.db, tenantId, (tx) => getJob(tx, job.id));
    expect(finished).toMatchObject({ pagesUnchanged: 2, pagesCrawled: 1 });
  });

  it('stops at max_pages and deletes a source with its pages and chunks', async () => {
    const routes: Record<string, ReturnType<typeof article>> = {
      '/': article(
        'Accueil',
        lorem('Accueil'),
        Array.from({ length: 8 }, (_, i) => `/p${i}`),
      ),
    };
    for (let i = 0; i < 8; i++) routes[`/p${i}`] = article(`Page ${i}`, lorem(`Page ${i}`));
    site = await startTestSite(routes);
    const { source, pages } = await crawl(site.url, { maxPages: 4 });
    expect(pages).toHaveLength(4);
    expect(await websites.remove(tenantId, source.id)).toBe(true);
    const after = await withTenant(bed.db, tenantId, async (tx) => ({
      pages: await tx.select().from(websitePages),
      chunks: await tx.select().from(knowledgeChunks),
    }));
    expect(after).toEqual({ pages: [], chunks: [] });
  });

  it('refuses a second crawl of a source while one runs, and a duplicate source', async () => {
    site = await startTestSite({ '/': article('Accueil', lorem('Accueil')) });
    const { source, job } = await websites.create(tenantId, { baseUrl: site.url });
    await expect(websites.crawl(tenantId, source.id)).rejects.toMatchObject({
      code: 'CAUSETTE_ERR_SOURCE_BUSY',
    });
    await bed.waitForJob(job.id);
    await expect(websites.create(tenantId, { baseUrl: `${site.url}/` })).rejects.toMatchObject({
      code: 'CAUSETTE_ERR_CONFLICT',
    });
    await expect(websites.create(tenantId, { baseUrl: 'ftp://example.com' })).rejects.toMatchObject({
      code: 'CAUSETTE_ERR_INVALID_URL',
    });
  });
});
