import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase } from '../../db/testing/test-database.ts';
import { createDocumentService } from '../../knowledge/documents/document-service.ts';
import { createHashedEmbedder } from '../../knowledge/embed/hashed-embedder.ts';
import { createJobRunner } from '../../knowledge/jobs/job-runner.ts';
import type { KnowledgeDeps } from '../../knowledge/knowledge-deps.ts';
import { silentKnowledgeLogger } from '../../knowledge/knowledge-logger.ts';
import { article, startTestSite } from '../../knowledge/testing/test-site.ts';
import { createPgvectorStore } from '../../knowledge/vector/pgvector-store.ts';
import { DEFAULT_CRAWL_SETTINGS } from '../../knowledge/web/crawl-website.ts';
import { createWebsiteService } from '../../knowledge/web/website-service.ts';
import { tenants } from '../../migrations/schema/index.ts';

/**
 * Ingestion throughput: a site of N pages served on loopback by the benchmark itself is crawled
 * through the normal pipeline (robots.txt, politeness delay, extraction, chunking, offline
 * embedding, pgvector), then as many Markdown documents are uploaded. Prints pages per minute and
 * chunks per second; the last line is one JSON object.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string' },
      'database-url': { type: 'string' },
      'min-delay-ms': { type: 'string' },
    },
  });
  const pages = Number(values.pages ?? 200);
  const minDelayMs = Number(values['min-delay-ms'] ?? DEFAULT_CRAWL_SETTINGS.minDelayMs);
  const words =
    'livraison retour commande paiement taille couleur stock boutique colis remboursement échange garantie'.split(
      ' ',
    );
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const paragraph = () =>
    `${Array.from({ length: 60 }, () => words[Math.floor(random() * words.length)]).join(' ')}.`;
  const routes: Record<string, ReturnType<typeof article>> = {};
  for (let i = 0; i < pages; i++) {
    const links = [
      `/page-${(i * 7 + 1) % pages}`,
      `/page-${(i * 13 + 2) % pages}`,
      `/page-${i + 1 < pages ? i + 1 : 0}`,
    ];
    routes[i === 0 ? '/' : `/page-${i}`] = article(
      `Page ${i}`,
      Array.from({ length: 6 }, paragraph).join('\n'),
      links,
    );
  }
  const site = await startTestSite(routes);
  const testDb = await createTestDatabase(values['database-url']);
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-ingest-bench-'));
  const db = testDb.database.db;
  const deps: KnowledgeDeps = {
    db,
    embedder: createHashedEmbedder(),
    vectors: createPgvectorStore(),
    log: silentKnowledgeLogger,
    dataDir,
    runner: createJobRunner({ db, maintain: testDb.database.maintain, log: silentKnowledgeLogger }),
    maxUploadBytes: 50 * 1024 * 1024,
    crawl: {
      ...DEFAULT_CRAWL_SETTINGS,
      minDelayMs,
      maxDepth: 50,
      limits: { ...DEFAULT_CRAWL_SETTINGS.limits, allowPrivateNetworks: true },
    },
  };
  try {
    const tenantId = randomUUID();
    await withTenant(db, tenantId, (tx) =>
      tx.insert(tenants).values({ id: tenantId, slug: 'bench', name: 'Bench' }),
    );
    const crawlStart = performance.now();
    const { job } = await createWebsiteService(deps).create(tenantId, { baseUrl: site.url, maxPages: pages });
    const crawl = await deps.runner.wait(job.id)!;
    const crawlSeconds = (performance.now() - crawlStart) / 1000;
    process.stderr.write(
      `crawl: ${crawl.pagesCrawled} pages, ${crawl.chunksIndexed} chunks in ${crawlSeconds.toFixed(1)} s ` +
        `(${testDb.database.driver}, ${minDelayMs} ms between requests)\n`,
    );

    const documents = createDocumentService(deps);
    const uploadStart = performance.now();
    let chunks = 0;
    const waits: Promise<void>[] = [];
    for (let i = 0; i < pages; i++) {
      const { job: ingest } = await documents.upload(tenantId, {
        filename: `doc-${i}.md`,
        mimeType: 'text/markdown',
        bytes: new TextEncoder().encode(
          `# Document ${i}\n\n${Array.from({ length: 6 }, paragraph).join('\n\n')}`,
        ),
      });
      waits.push(
        deps.runner.wait(ingest!.id)!.then((outcome) => {
          chunks += outcome.chunksIndexed;
        }),
      );
    }
    await Promise.all(waits);
    const uploadSeconds = (performance.now() - uploadStart) / 1000;
    process.stderr.write(
      `documents: ${pages} documents, ${chunks} chunks in ${uploadSeconds.toFixed(1)} s\n`,
    );
    const round = (x: number) => Math.round(x * 10) / 10;
    console.log(
      JSON.stringify({
        driver: testDb.database.driver,
        pages: crawl.pagesCrawled,
        pages_per_minute: round((crawl.pagesCrawled / crawlSeconds) * 60),
        crawl_chunks_per_s: round(crawl.chunksIndexed / crawlSeconds),
        min_delay_ms: minDelayMs,
        documents: pages,
        document_chunks_per_s: round(chunks / uploadSeconds),
      }),
    );
    return crawl.status === 'succeeded' ? 0 : 1;
  } finally {
    await deps.runner.close();
    await testDb.destroy();
    await site.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
