import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { createJobRunner } from '../../knowledge/jobs/job-runner.ts';
import { DEFAULT_RELEVANCE_THRESHOLD } from '../../knowledge/knowledge-defaults.ts';
import type { KnowledgeDeps } from '../../knowledge/knowledge-deps.ts';
import { silentKnowledgeLogger } from '../../knowledge/knowledge-logger.ts';
import { rebuildVectors } from '../../knowledge/maintenance/rebuild-vectors.ts';
import { createHybridRetriever } from '../../knowledge/retrieve/hybrid-retriever.ts';
import { LexicalIndexCache } from '../../knowledge/retrieve/lexical-index-cache.ts';
import { evidenceFeatures } from '../../knowledge/retrieve/relevance-calibration.ts';
import { detectLanguage } from '../../knowledge/text/detect-language.ts';
import { createPgvectorStore } from '../../knowledge/vector/pgvector-store.ts';
import { DEFAULT_CRAWL_SETTINGS } from '../../knowledge/web/crawl-website.ts';
import { knowledgeChunks, tenants } from '../../migrations/schema/index.ts';
import {
  type AbstentionSample,
  abstentionFigures,
  evidenceProbability,
  fitEvidence,
  halves,
} from './abstention.ts';
import { createPlainBm25 } from './plain-bm25.ts';
import { type JudgedQuery, percentile, qualityFigures } from './retrieval-metrics.ts';

const USAGE = `Usage: npm run bench:retrieval -- --data FILE [--database-url URL] [--pad-to N] [--lexical-only]
       [--unanswerable FILE.jsonl] [--half even|odd] [--no-lexicon] [--no-gazetteer] [--exact-forms]
       [--leave-gold-out] [--seed N] [--samples-out FILE] [--faq-half even|odd [--link]]

  --data FILE          a retrieval set: {"name","lang","docs":[{"id","title","text"}],"queries":[{"query","relevant":[]}]}
  --database-url URL   a Postgres server to create a fresh database on (default: embedded PGlite in memory)
  --pad-to N           then add distractor documents until the tenant has N chunks, and measure again
  --lexical-only       no vectors: BM25F with typo correction and title similarity only
  --unanswerable FILE  also ask the "oos" lines of an intent set (JSON Lines {"text","intent"}) as
                       questions with no answer, to measure abstention on a set that has none
  --half even|odd      only the queries at even or odd positions (the retrieval thresholds were
                       fitted on the even ones: measure on the odd ones)
  --no-lexicon         no query expansion with the commerce lexicon's synonyms (to measure it)
  --no-gazetteer       no expansion of places to their region (to measure it)
  --exact-forms        the lexicon matched on exact word forms, without stemming (to measure it)
  --leave-gold-out     abstention when the answer is missing: each question is asked again with its
                       relevant documents removed from the index, and must then abstain. The
                       questions are split in two halves (seeded by --seed, default 7); the evidence
                       model (weights and cut, abstention precision >= 0.85) is fitted on half A,
                       and both halves are reported with it and with the configured one
  --samples-out FILE   with --leave-gold-out: write each question's evidence and half to FILE, for
                       bench/retrieval/fit-evidence.ts to fit one model on several sets
  --faq-half even|odd  the documents become FAQ entries, and only the queries not at those
                       positions are asked
  --link               with --faq-half: the queries at those positions are linked to their
                       entries as other wordings of the question, as operators do`;

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
      'no-lexicon': { type: 'boolean' },
      'no-gazetteer': { type: 'boolean' },
      'exact-forms': { type: 'boolean' },
      'leave-gold-out': { type: 'boolean' },
      'samples-out': { type: 'string' },
      'faq-half': { type: 'string' },
      link: { type: 'boolean' },
      seed: { type: 'string' },
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
  const faqHalf = values['faq-half'];
  let linked: RetrievalSet['queries'] = [];
  if (faqHalf !== undefined) {
    if ((faqHalf !== 'even' && faqHalf !== 'odd') || values['leave-gold-out'] || values.half) {
      console.error(`--faq-half takes even or odd, without --leave-gold-out or --half\n\n${USAGE}`);
      return 2;
    }
    const parity = faqHalf === 'even' ? 0 : 1;
    if (values.link) linked = set.queries.filter((_, i) => i % 2 === parity);
    set.queries = set.queries.filter((_, i) => i % 2 !== parity);
  }
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
    runner: createJobRunner({
      db,
      maintain: testDb.database.maintain,
      log: silentKnowledgeLogger,
      maxConcurrent: 1,
    }),
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
      expansion: {
        lexicon: !values['no-lexicon'],
        gazetteer: !values['no-gazetteer'],
        exactForms: values['exact-forms'] === true,
      },
    });

    log(
      `${set.name}: ${set.docs.length} documents, ${set.queries.length} queries, ${testDb.database.driver}, ${embedder?.model ?? 'lexical only'}`,
    );
    const ingestion =
      faqHalf !== undefined
        ? await ingestFaq(deps, tenantId, set, linked)
        : await ingest(deps, documents, tenantId, set.docs);
    log(
      `ingested ${ingestion.chunks} chunks in ${ingestion.seconds.toFixed(1)} s (${ingestion.chunksPerSecond.toFixed(0)} chunks/s)`,
    );

    const chunkToDoc = async () => {
      const rows = await withTenant(db, tenantId, (tx) =>
        tx.select({ id: knowledgeChunks.id, filename: knowledgeChunks.metadata }).from(knowledgeChunks),
      );
      return new Map(
        rows.map((r) => [
          r.id,
          String(r.filename['faq_group'] ?? r.filename['filename'] ?? '').replace(/\.md$/, ''),
        ]),
      );
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

    if (values['leave-gold-out']) {
      const seed = Number(values.seed ?? 7);
      result.scaled = null;
      const lgo = await leaveGoldOut(
        set,
        seed,
        async (query) => {
          const lang =
            detectLanguage(query) ?? (set.lang === 'fr' || set.lang === 'en' ? set.lang : undefined);
          const { hits, trace } = await retriever.retrieveWithTrace(tenantId, query, {
            limit: 1,
            lang,
            threshold: 0,
          });
          const best = hits[0];
          const signal = best ? trace.signals.get(best.chunkId) : undefined;
          return {
            score: best?.score ?? 0,
            features: signal ? evidenceFeatures(signal, trace.known) : undefined,
          };
        },
        async (docIds) => {
          const removed = set.docs.filter((doc) => docIds.includes(doc.id));
          for (const doc of removed) await documents.remove(tenantId, ingestion.ids.get(doc.id)!);
          return async () => {
            const again = await ingest(deps, documents, tenantId, removed);
            for (const [id, documentId] of again.ids) ingestion.ids.set(id, documentId);
          };
        },
      );
      Object.assign(result, { leave_gold_out: lgo.report });
      if (values['samples-out']) {
        await writeFile(values['samples-out'], JSON.stringify({ name: set.name, samples: lgo.samples }));
      }
    }

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

/**
 * Abstention with the answer left out: every question's best score with its relevant documents in
 * the index, then without them (removed, asked, put back). A threshold is fitted on one half of
 * the questions and reported on both, beside the configured one.
 */
async function leaveGoldOut(
  set: RetrievalSet,
  seed: number,
  bestHit: (query: string) => Promise<{ score: number; features: number[] | undefined }>,
  without: (docIds: string[]) => Promise<() => Promise<void>>,
) {
  const samples: AbstentionSample[] = [];
  for (const [index, query] of set.queries.entries()) {
    samples.push({ index, answerable: query.relevant.length > 0, ...(await bestHit(query.query)) });
  }
  const groups = new Map<string, number[]>();
  for (const [index, query] of set.queries.entries()) {
    if (query.relevant.length === 0) continue;
    const key = [...query.relevant].sort().join('\n');
    groups.set(key, [...(groups.get(key) ?? []), index]);
  }
  for (const [key, indexes] of groups) {
    const restore = await without(key.split('\n'));
    for (const index of indexes) {
      samples.push({ index, answerable: false, ...(await bestHit(set.queries[index]!.query)) });
    }
    await restore();
  }
  const half = halves(set.queries.length, seed);
  const inHalf = (h: 'A' | 'B') => samples.filter((s) => half[s.index] === h);
  const evidence = fitEvidence(inHalf('A'), 0.85);
  const fitted = (h: 'A' | 'B') =>
    abstentionFigures(
      inHalf(h).map((sample) => ({ ...sample, score: evidenceProbability(evidence, sample.features) })),
      evidence.cut,
    );
  const report = {
    seed,
    configured: {
      threshold: DEFAULT_RELEVANCE_THRESHOLD,
      A: abstentionFigures(inHalf('A'), DEFAULT_RELEVANCE_THRESHOLD),
      B: abstentionFigures(inHalf('B'), DEFAULT_RELEVANCE_THRESHOLD),
    },
    fitted_on_A: { evidence, A: fitted('A'), B: fitted('B') },
  };
  log(`leave gold out (seed ${seed}), as configured (threshold ${DEFAULT_RELEVANCE_THRESHOLD}):`);
  log(`  half A ${JSON.stringify(report.configured.A)}`);
  log(`  half B ${JSON.stringify(report.configured.B)}`);
  log(`evidence fitted on half A (precision >= 0.85): ${JSON.stringify(evidence)}`);
  log(`  half A (fitted on) ${JSON.stringify(report.fitted_on_A.A)}`);
  log(`  half B (held out)  ${JSON.stringify(report.fitted_on_A.B)}`);
  return { report, samples: samples.map((sample) => ({ ...sample, half: half[sample.index] })) };
}

/**
 * The set's documents as FAQ entries (title as question, text as answer, the document's id as
 * group key), each with the `linked` questions it answers as other wordings of its question.
 */
async function ingestFaq(
  deps: KnowledgeDeps,
  tenantId: string,
  set: RetrievalSet,
  linked: RetrievalSet['queries'],
) {
  const start = performance.now();
  const lang = set.lang === 'en' ? 'en' : 'fr';
  await withTenant(deps.db, tenantId, async (tx) => {
    for (const doc of set.docs) {
      const alternativeQuestions = linked.filter((q) => q.relevant.includes(doc.id)).map((q) => q.query);
      await createFaqEntry(tx, tenantId, {
        question: doc.title,
        answer: doc.text,
        lang,
        groupKey: doc.id,
        alternativeQuestions,
      });
    }
  });
  await rebuildVectors(deps, tenantId, { scope: 'stale' })(
    { update() {}, add() {} },
    new AbortController().signal,
  );
  const seconds = (performance.now() - start) / 1000;
  const chunks = set.docs.length;
  return { chunks, seconds, chunksPerSecond: chunks / seconds, ids: new Map<string, string>() };
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
  const ids = new Map<string, string>();
  for (const doc of docs) {
    const { document, job } = await documents.upload(tenantId, {
      filename: `${doc.id}.md`,
      mimeType: 'text/markdown',
      bytes: new TextEncoder().encode(`# ${doc.title.replace(/\n/g, ' ')}\n\n${doc.text}`),
    });
    ids.set(doc.id, document.id);
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
  return { chunks, seconds, chunksPerSecond: chunks / seconds, ids };
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
