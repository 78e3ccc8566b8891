import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { count } from 'drizzle-orm';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase } from '../../db/testing/test-database.ts';
import { createDocumentService } from '../../knowledge/documents/document-service.ts';
import { createHashedEmbedder } from '../../knowledge/embed/hashed-embedder.ts';
import { createJobRunner } from '../../knowledge/jobs/job-runner.ts';
import type { KnowledgeDeps } from '../../knowledge/knowledge-deps.ts';
import { silentKnowledgeLogger } from '../../knowledge/knowledge-logger.ts';
import { createHybridRetriever } from '../../knowledge/retrieve/hybrid-retriever.ts';
import { LexicalIndexCache } from '../../knowledge/retrieve/lexical-index-cache.ts';
import { detectLanguage } from '../../knowledge/text/detect-language.ts';
import { createPgvectorStore } from '../../knowledge/vector/pgvector-store.ts';
import { DEFAULT_CRAWL_SETTINGS } from '../../knowledge/web/crawl-website.ts';
import { knowledgeChunks, tenants } from '../../migrations/schema/index.ts';
import { createPlainBm25 } from './plain-bm25.ts';
import { type JudgedQuery, percentile, qualityFigures } from './retrieval-metrics.ts';

const USAGE = `Usage: npm run bench:retrieval -- --data FILE [--database-url URL] [--pad-to N] [--lexical-only]
       [--unanswerable FILE.jsonl] [--half even|odd]

  --data FILE          a retrieval set: {"name","lang","docs":[{"id","title","text"}],"queries":[{"query","relevant":[]}]}
  --database-url URL   a Postgres server to create a fresh database on (default: embedded PGlite in memory)
  --pad-to N           then add distractor documents until the tenant has N chunks, and measure again
  --lexical-only       no vectors: BM25F with typo correction and title similarity only
  --unanswerable FILE  also ask the "oos" lines of an intent set (JSON Lines {"text","intent"}) as
                       questions with no answer, to measure abstention on a set that has none
  --half even|odd      only the queries at even or odd positions (the retrieval thresholds were
                       fitted on the even ones: measure on the odd ones)`;

const RetrievalSet = Type.Object({
  name: Type.String(),
  lang: Type.Optional(Type.String()),
  docs: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), text: Type.String() })),
  queries: Type.Array(Type.Object({ query: Type.String(), relevant: Type.Array(Type.String()) })),
});
type RetrievalSet = Type.Static<typeof RetrievalSet>;

/**
 * The retrieval benchmark: a fresh tenant ingests the set's documents through the normal upload
 * pipeline (Markdown files: title as heading, text as body), then every query is retrieved and
 * judged. A plain BM25 over the same documents is computed in the same run as the baseline. The
 * last line printed is one JSON object with every figure.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      'database-url': { type: 'string' },
      'pad-to': { type: 'string' },
      'lexical-only': { type: 'boolean' },
      unanswerable: { type: 'string' },
      half: { type: 'string' },
    },
  });
  if (!values.data) {
    console.error(USAGE);
    return 2;
  }
  const raw: unknown = JSON.parse(await readFile(values.data, 'utf8'));
  const check = Compile(RetrievalSet);
  if (!check.Check(raw)) {
    console.error(`${values.data} is not a retrieval set.\n\n${USAGE}`);
    return 2;
  }
  const set = raw;
  if (values.half === 'even' || values.half === 'odd') {
    const parity = values.half === 'even' ? 0 : 1;
    set.queries = set.queries.filter((_, i) => i % 2 === parity);
  }
  if (values.unanswerable) {
    for (const line of (await readFile(values.unanswerable, 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const row: unknown = JSON.parse(line);
      if (typeof row === 'object' && row !== null && 'intent' in row && 'text' in row && row.intent === 'oos')
        set.queries.push({ query: String(row.text), relevant: [] });
    }
  }
  const padTo = values['pad-to'] ? Number(values['pad-to']) : 0;

  const testDb = await createTestDatabase(values['database-url']);
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-bench-'));
  const db = testDb.database.db;
  const embedder = values['lexical-only'] ? undefined : createHashedEmbedder();
  const vectors = values['lexical-only'] ? undefined : createPgvectorStore();
  const deps: KnowledgeDeps = {
    db,
    embedder,
    vectors,
    log: silentKnowledgeLogger,
    dataDir,
    runner: createJobRunner({ db, log: silentKnowledgeLogger, maxConcurrent: 1 }),
    maxUploadBytes: 50 * 1024 * 1024,
    crawl: DEFAULT_CRAWL_SETTINGS,
  };
  try {
    const tenantId = randomUUID();
    await withTenant(db, tenantId, (tx) =>
      tx.insert(tenants).values({ id: tenantId, slug: 'bench', name: 'Bench' }),
    );
    const documents = createDocumentService(deps);
    const retriever = createHybridRetriever({
      db,
      embedder,
      vectors,
      lexicalIndexes: new LexicalIndexCache(),
    });

    log(
      `${set.name}: ${set.docs.length} documents, ${set.queries.length} queries, ${testDb.database.driver}, ${embedder?.model ?? 'lexical only'}`,
    );
    const ingestion = await ingest(deps, documents, tenantId, set.docs);
    log(
      `ingested ${ingestion.chunks} chunks in ${ingestion.seconds.toFixed(1)} s (${ingestion.chunksPerSecond.toFixed(0)} chunks/s)`,
    );

    const chunkToDoc = async () => {
      const rows = await withTenant(db, tenantId, (tx) =>
        tx.select({ id: knowledgeChunks.id, filename: knowledgeChunks.metadata }).from(knowledgeChunks),
      );
      return new Map(rows.map((r) => [r.id, String(r.filename['filename'] ?? '').replace(/\.md$/, '')]));
    };

    const run = async (queries: RetrievalSet['queries']) => {
      const docOf = await chunkToDoc();
      // The first query loads the tenant's lexical index; it is timed apart.
      const loadStart = performance.now();
      await retriever.retrieve(tenantId, 'warm up');
      const indexLoadMs = performance.now() - loadStart;
      const judged: JudgedQuery[] = [];
      const latencies: number[] = [];
      const steps = new Map<string, number[]>();
      for (const query of queries) {
        const lang =
          detectLanguage(query.query) ?? (set.lang === 'fr' || set.lang === 'en' ? set.lang : undefined);
        const start = performance.now();
        const { hits, trace } = await retriever.retrieveWithTrace(tenantId, query.query, {
          limit: 30,
          lang,
          threshold: 0,
        });
        latencies.push(performance.now() - start);
        for (const [step, ms] of Object.entries(trace.timings)) {
          steps.set(step, [...(steps.get(step) ?? []), ms]);
        }
        const ranked = [...new Set(hits.map((h) => docOf.get(h.chunkId) ?? ''))].filter(Boolean);
        const abstained = (await retriever.retrieve(tenantId, query.query, { limit: 1, lang })).length === 0;
        judged.push({ relevant: query.relevant, ranked, abstained });
      }
      // Where the time goes: the median of each step of a retrieval.
      const stepsP50 = Object.fromEntries([...steps].map(([step, ms]) => [step, round(percentile(ms, 0.5))]));
      return { figures: qualityFigures(judged), latencies, indexLoadMs, stepsP50 };
    };

    const bm25 = createPlainBm25(set.docs);
    const baselineLatencies: number[] = [];
    const baseline = qualityFigures(
      set.queries.map((query) => {
        const start = performance.now();
        const ranked = bm25(query.query);
        baselineLatencies.push(performance.now() - start);
        return { relevant: query.relevant, ranked, abstained: ranked.length === 0 };
      }),
    );

    const measured = await run(set.queries);
    const result = {
      dataset: set.name,
      driver: testDb.database.driver,
      embedder: embedder?.model ?? null,
      docs: set.docs.length,
      queries: set.queries.length,
      chunks: ingestion.chunks,
      ...measured.figures,
      p50_ms: round(percentile(measured.latencies, 0.5)),
      p95_ms: round(percentile(measured.latencies, 0.95)),
      index_load_ms: round(measured.indexLoadMs),
      steps_p50_ms: measured.stepsP50,
      ingest_chunks_per_s: round(ingestion.chunksPerSecond),
      bm25: {
        ...baseline,
        p50_ms: round(percentile(baselineLatencies, 0.5)),
        p95_ms: round(percentile(baselineLatencies, 0.95)),
      },
      mrr_ratio_vs_bm25: round(measured.figures['mrr@10'] / Math.max(baseline['mrr@10'], 1e-9)),
      scaled: null as null | Record<string, unknown>,
    };
    printTable(result.bm25, measured.figures, result);

    if (padTo > ingestion.chunks) {
      log(`adding distractor documents up to ${padTo} chunks…`);
      const padding = await ingest(deps, documents, tenantId, distractors(set, padTo - ingestion.chunks));
      log(
        `ingested ${padding.chunks} more chunks in ${padding.seconds.toFixed(1)} s (${padding.chunksPerSecond.toFixed(0)} chunks/s)`,
      );
      const [{ total } = { total: 0 }] = await withTenant(db, tenantId, (tx) =>
        tx.select({ total: count() }).from(knowledgeChunks),
      );
      // Latency at scale needs a few hundred queries, not the whole set twice.
      const scaled = await run(set.queries.slice(0, 400));
      result.scaled = {
        chunks: total,
        queries: Math.min(400, set.queries.length),
        ...scaled.figures,
        p50_ms: round(percentile(scaled.latencies, 0.5)),
        p95_ms: round(percentile(scaled.latencies, 0.95)),
        index_load_ms: round(scaled.indexLoadMs),
        steps_p50_ms: scaled.stepsP50,
        ingest_chunks_per_s: round(padding.chunksPerSecond),
      };
      log(
        `at ${total} chunks: p50 ${result.scaled['p50_ms']} ms, p95 ${result.scaled['p95_ms']} ms, ` +
          `mrr@10 ${scaled.figures['mrr@10']} (index load ${round(scaled.indexLoadMs)} ms)`,
      );
    }
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    await deps.runner.close();
    await testDb.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function ingest(
  deps: KnowledgeDeps,
  documents: ReturnType<typeof createDocumentService>,
  tenantId: string,
  docs: { id: string; title: string; text: string }[],
) {
  const start = performance.now();
  let chunks = 0;
  let failed = 0;
  const waits: Promise<void>[] = [];
  for (const doc of docs) {
    const { job } = await documents.upload(tenantId, {
      filename: `${doc.id}.md`,
      mimeType: 'text/markdown',
      bytes: new TextEncoder().encode(`# ${doc.title.replace(/\n/g, ' ')}\n\n${doc.text}`),
    });
    if (!job) {
      failed += 1;
      continue;
    }
    waits.push(
      deps.runner.wait(job.id)!.then((outcome) => {
        if (outcome.status === 'succeeded') chunks += outcome.chunksIndexed;
        else failed += 1;
      }),
    );
  }
  await Promise.all(waits);
  if (failed > 0) log(`${failed} documents failed to ingest`);
  const seconds = (performance.now() - start) / 1000;
  return { chunks, seconds, chunksPerSecond: chunks / seconds };
}

/**
 * Documents made of the set's own sentences, shuffled: the same vocabulary and lengths as the
 * real documents, so the index grows realistically, but about nothing in particular.
 */
function distractors(set: RetrievalSet, chunks: number): { id: string; title: string; text: string }[] {
  const sentences = set.docs.flatMap((d) => d.text.split(/(?<=[.!?])\s+/)).filter((s) => s.length > 20);
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = () => sentences[Math.floor(random() * sentences.length)]!;
  const docs: { id: string; title: string; text: string }[] = [];
  // About 40 chunks of 1,000 characters (less overlap) per distractor.
  for (let made = 0; made < chunks; made += 40) {
    let text = '';
    while (text.length < 36_000) text += `${pick()} ${pick()} ${pick()}\n\n`;
    docs.push({ id: `distractor-${docs.length}`, title: pick().split(/\s+/).slice(0, 8).join(' '), text });
  }
  return docs;
}

function printTable(
  bm25: object,
  ours: object,
  result: { p50_ms: number; p95_ms: number; mrr_ratio_vs_bm25: number },
) {
  const keys = ['recall@1', 'recall@5', 'mrr@10', 'ndcg@10', 'abstain_precision', 'abstain_recall'];
  log('');
  log(`${'metric'.padEnd(20)}${'causette'.padStart(10)}${'bm25'.padStart(10)}`);
  for (const key of keys) {
    const show = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
    const value = (figures: object) => (figures as Record<string, number | null>)[key];
    log(`${key.padEnd(20)}${show(value(ours)).padStart(10)}${show(value(bm25)).padStart(10)}`);
  }
  log(`${'p50 / p95 ms'.padEnd(20)}${`${result.p50_ms} / ${result.p95_ms}`.padStart(10)}`);
  log(`mrr@10 ratio vs bm25: ${result.mrr_ratio_vs_bm25}`);
  log('');
}

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

process.exitCode = await main();
