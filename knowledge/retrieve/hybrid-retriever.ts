import { sql } from 'drizzle-orm';
import { batched, byGroup, gathered } from '../../db/batched.ts';
import { type Db, queryRows, type Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { KnowledgeLogger } from '../knowledge-logger.ts';
import type { Language } from '../text/detect-language.ts';
import type { VectorMatch, VectorStore } from '../vector/vector-store.ts';
import { type AnalyzedWord, analyzeQueries, correctedWords } from './analyze-query.ts';
import { ChunkRowCache } from './chunk-row-cache.ts';
import { citationOf } from './citation.ts';
import { fuseRankings } from './fuse-rankings.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { LexicalIndexCache } from './lexical-index-cache.ts';
import type { RetrievalHit, RetrieveOptions, Retriever } from './retrieval-hit.ts';
import { trigramSimilarity, trigrams } from './trigram-similarity.ts';
import { WordAnalysisCache } from './word-analysis-cache.ts';

/** Below this score a passage is more likely wrong than right, so retrieval reports nothing. */
export const DEFAULT_RELEVANCE_THRESHOLD = 0.45;

/**
 * How the evidence for a passage adds up to its score: its lexical score (IDF-weighted share of
 * the question it covers), its vector's calibrated similarity, and the share of the question's
 * words the knowledge uses at all. That last one is what tells an unanswerable question apart
 * best: "plombier", "bitcoin" or "overdraft" are words no passage of a shop's FAQ or of a help
 * site uses, whereas a paraphrase of an answerable question mostly keeps a few of the
 * knowledge's words. `cut` is the raw evidence that maps to DEFAULT_RELEVANCE_THRESHOLD, per
 * language of the question.
 *
 * Fitted on half of each benchmark set (queries at even positions) with, for English, the
 * out-of-scope queries of CLINC150's training split as unanswerable questions; the other halves
 * and CLINC150's validation split are left for measuring. French questions to a small FAQ find
 * far fewer known words than English ones to a large help site, hence a lower cut; with one set
 * per language, language and size of the knowledge cannot be told apart.
 */
const EVIDENCE: Record<'hybrid' | 'lexical', Evidence> = {
  hybrid: { lexical: 0.25, dense: 0.75, known: 1, cut: { en: 1.1, fr: 0.65 } },
  // Without vectors nothing was fitted: the lexical score alone decides, as it always has.
  lexical: { lexical: 1, dense: 0, known: 0, cut: { en: 0.45, fr: 0.45 } },
};

interface Evidence {
  lexical: number;
  dense: number;
  known: number;
  cut: Record<Language, number>;
}

/**
 * Maps raw evidence to a score in [0, 1], piecewise linear, so that `cut` lands on the default
 * threshold and a configured threshold keeps its meaning across languages.
 */
function calibrate(raw: number, cut: number, most: number): number {
  const t = DEFAULT_RELEVANCE_THRESHOLD;
  const score = raw < cut ? (t * raw) / cut : t + ((1 - t) * (raw - cut)) / Math.max(most - cut, 1e-9);
  return Math.min(1, Math.max(0, score));
}

export interface HybridRetrieverOptions {
  db: Db;
  /** Both absent: lexical retrieval only. */
  embedder?: Embedder | undefined;
  vectors?: VectorStore | undefined;
  /** Shared by the retrievers of one process; one is made when absent. */
  lexicalIndexes?: LexicalIndexCache;
  /** Words already analysed, shared likewise. */
  words?: WordAnalysisCache;
  /** Chunks already read back as hits, shared likewise. */
  chunkRows?: ChunkRowCache<ChunkRow>;
  threshold?: number;
  log?: KnowledgeLogger;
  tuning?: Partial<RetrievalTuning>;
}

export interface RetrievalTuning {
  /** Lexical candidates ranked (and reranked by title similarity). */
  lexicalCandidates: number;
  /** Nearest neighbours asked of the vector store. */
  denseCandidates: number;
  /** Weight of the title's trigram similarity to the question, against the normalised BM25F. */
  titleSimilarity: number;
  /** The k of reciprocal rank fusion. */
  fusionK: number;
  /** A chunk in another language than the visitor's keeps this share of its fused score. */
  otherLanguage: number;
}

const DEFAULT_TUNING: RetrievalTuning = {
  lexicalCandidates: 100,
  denseCandidates: 40,
  titleSimilarity: 1,
  fusionK: 10,
  otherLanguage: 0.9,
};

/** Everything a retrieval measured, for benchmarks and debugging. */
export interface RetrievalTrace {
  lexical: string[];
  dense: string[];
  /** Per returned chunk: its lexical score (coverage) and its vector's cosine similarity. */
  signals: Map<string, { lexical: number; similarity: number | null; titleSimilarity: number }>;
  /** Milliseconds spent in each step. */
  timings: {
    embed: number;
    analyze: number;
    dense: number;
    index: number;
    typos: number;
    lexical: number;
    rows: number;
  };
}

/**
 * Hybrid retrieval: BM25F over Postgres's text analysis (with typo correction), reranked by how
 * close each title is to the question; nearest neighbours from the vector store; the two fused by
 * reciprocal rank. Each hit gets a score in [0, 1]: the share of the question it covers, or the
 * calibrated similarity of its vector, whichever is higher; below the threshold nothing is
 * returned, so the bot can say it doesn't know.
 */
export function createHybridRetriever(options: HybridRetrieverOptions): Retriever & {
  retrieveWithTrace(
    tenantId: string,
    query: string,
    options?: RetrieveOptions & { threshold?: number },
  ): Promise<{ hits: RetrievalHit[]; trace: RetrievalTrace }>;
} {
  const cache = options.lexicalIndexes ?? new LexicalIndexCache();
  const wordCache = options.words ?? new WordAnalysisCache();
  const rowCache = options.chunkRows ?? new ChunkRowCache<ChunkRow>();
  const threshold = options.threshold ?? DEFAULT_RELEVANCE_THRESHOLD;
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const { embedder, vectors } = options;
  // The questions asked of a tenant while its last retrieval runs are answered together: one
  // transaction for all of them, a vector search each, and their hits read in one statement.
  const retrieveBatch = batched(
    (requests: Request[]) => byGroup(requests, (request) => request.tenantId, retrieveTenant),
    {},
  );

  async function retrieveWithTrace(
    tenantId: string,
    query: string,
    retrieveOptions: RetrieveOptions & { threshold?: number } = {},
  ) {
    const trace = emptyTrace();
    if (query.trim() === '') return { hits: [], trace };
    const hits = await retrieveBatch({
      tenantId,
      query,
      limit: retrieveOptions.limit ?? 5,
      lang: retrieveOptions.lang,
      minimum: retrieveOptions.threshold ?? threshold,
      trace,
    });
    return { hits, trace };
  }

  /** Each question's vector (undefined without vectors, or when embedding failed). */
  function embedQueries(requests: Request[]): Promise<(number[] | undefined)[]> {
    return Promise.all(
      requests.map(async (request) => {
        if (!embedder || !vectors) return undefined;
        const start = performance.now();
        try {
          return await embedder.embedQuery(request.query);
        } catch (error) {
          // Without the query's vector, lexical retrieval still answers.
          options.log?.warn({ err: error, model: embedder.model }, 'query embedding failed');
          return undefined;
        } finally {
          request.trace.timings.embed = performance.now() - start;
        }
      }),
    );
  }

  function searchedWith(queryVectors: (number[] | undefined)[]) {
    return embedder && vectors && queryVectors.some(Boolean) ? { embedder, vectors } : undefined;
  }

  async function retrieveTenant(tenantId: string, requests: Request[]): Promise<RetrievalHit[][]> {
    // Embedding may call a remote service: done before the transaction holds a connection.
    const queryVectors = await embedQueries(requests);
    const searched = searchedWith(queryVectors);
    // The vector store's planner settings are set as the transaction opens, with the tenant.
    const settings = searched?.vectors.transactionSettings?.(tuning.denseCandidates);
    const found = await withTenant(
      options.db,
      tenantId,
      (tx) => searchIn(tx, tenantId, requests, queryVectors, settings !== undefined),
      settings,
    );
    refreshVocabulary(tenantId, found.revision);
    return found.hits;
  }

  // A vocabulary behind the knowledge is reloaded after the answer, not before it.
  function refreshVocabulary(tenantId: string, revision: number): void {
    cache.refreshVocabulary(tenantId, revision, (work) => withTenant(options.db, tenantId, work));
  }

  /**
   * The questions of turns answered in the transaction that stores their messages: those asked
   * of one transaction in the same turn of the event loop are searched together. Offered only
   * when nothing of retrieval leaves the process.
   */
  const inline = (!embedder || embedder.local === true) && (!vectors || vectors.kind === 'pgvector');
  const retrieveInTransaction = gathered(async (tx: Tx, requests: Request[]) =>
    byGroup(
      requests,
      (request) => request.tenantId,
      async (tenantId, group) => {
        const queryVectors = await embedQueries(group);
        const found = await searchIn(tx, tenantId, group, queryVectors, false);
        refreshVocabulary(tenantId, found.revision);
        return found.hits;
      },
    ),
  );

  /**
   * Searches the questions of one tenant in `tx`, which is scoped to that tenant; the vector
   * store sets its planner settings itself unless `settingsApplied`.
   */
  async function searchIn(
    tx: Tx,
    tenantId: string,
    requests: Request[],
    queryVectors: (number[] | undefined)[],
    settingsApplied: boolean,
  ): Promise<{ hits: RetrievalHit[][]; revision: number }> {
    const searched = searchedWith(queryVectors);
    const each = (step: keyof RetrievalTrace['timings'], ms: number) => {
      for (const request of requests) request.trace.timings[step] = ms;
    };
    // All sent at once; a remote store (Qdrant) answers meanwhile.
    const started = performance.now();
    const [analysis, dense] = await Promise.all([
      analyzeQueries(tx, requests, wordCache).finally(() => each('analyze', performance.now() - started)),
      searchAll(tx, tenantId, searched, queryVectors, settingsApplied).finally(() =>
        each('dense', performance.now() - started),
      ),
    ]);
    let clock = performance.now();
    const index = await cache.get(tx, tenantId, analysis.revision);
    each('index', performance.now() - clock);

    // Only words the knowledge never uses are looked up as typos: most questions need no
    // second round trip.
    clock = performance.now();
    const vocabulary = cache.vocabulary(tenantId);
    const fixes = new Map<string, string>();
    for (const words of analysis.words) {
      for (const w of words) {
        if (w.implied || w.word.length < 4 || fixes.has(w.word)) continue;
        if (w.lexemes.some((lexeme) => index.frequency(lexeme) > 0)) continue;
        const fixed = vocabulary?.closest(w.word);
        if (fixed) fixes.set(w.word, fixed);
      }
    }
    const corrections = fixes.size > 0 ? await correctedWords(tx, fixes) : new Map<string, AnalyzedWord>();
    each('typos', performance.now() - clock);

    const ranked = requests.map((request, i) => {
      const start = performance.now();
      const words = analysis.words[i]!.map((w) => corrections.get(w.word) ?? w);
      const list = rank(request, words, dense[i]!, queryVectors[i] !== undefined, index);
      request.trace.timings.lexical = performance.now() - start;
      return list;
    });

    // Rows are read back under row level security: a stale index entry or a vector store
    // point without its chunk never becomes a hit. A few spare ones stand in for those.
    clock = performance.now();
    const hits = requests.map((): RetrievalHit[] => []);
    const next = requests.map(() => 0);
    for (;;) {
      const wanted = new Map<number, RankedEntry[]>();
      for (const [i, request] of requests.entries()) {
        const missing = request.limit - hits[i]!.length;
        if (missing <= 0 || next[i]! >= ranked[i]!.length) continue;
        const batch = ranked[i]!.slice(next[i], next[i]! + missing + 2);
        next[i] = next[i]! + batch.length;
        wanted.set(i, batch);
      }
      if (wanted.size === 0) break;
      const revision = analysis.revision;
      const rowById = new Map<string, ChunkRow>();
      const missing = new Set<string>();
      for (const entry of [...wanted.values()].flat()) {
        if (rowById.has(entry.id) || missing.has(entry.id)) continue;
        const known = rowCache.get(tenantId, revision, entry.id);
        if (known) rowById.set(entry.id, known);
        else missing.add(entry.id);
      }
      if (missing.size > 0) {
        const ids = [...missing];
        const rows = await queryRows<ChunkRow>(
          tx,
          // Joined to the ids rather than filtered by "id = any(…)": each id is then one probe
          // of the primary key, where the filter lets the planner combine it with the tenant
          // index and read the whole tenant's entries of it (a cost that grows with the knowledge).
          sql`select k.id, k.source_type, k.source_id, k.title, k.content, k.lang, k.metadata
                from unnest(${`{${ids.join(',')}}`}::uuid[]) as wanted(id)
                join knowledge_chunks k on k.id = wanted.id`,
        );
        for (const row of rows) {
          rowById.set(row.id, row);
          rowCache.set(tenantId, revision, row.id, row);
        }
      }
      for (const [i, batch] of wanted) {
        for (const entry of batch) {
          const row = rowById.get(entry.id);
          if (row && hits[i]!.length < requests[i]!.limit) hits[i]!.push(toHit(row, entry.score));
        }
      }
    }
    each('rows', performance.now() - clock);
    return { hits, revision: analysis.revision };
  }

  /** Each question's nearest chunks (none without a vector), all asked of the store at once. */
  async function searchAll(
    tx: Tx,
    tenantId: string,
    searched: { embedder: Embedder; vectors: VectorStore } | undefined,
    queryVectors: (number[] | undefined)[],
    settingsApplied: boolean,
  ): Promise<VectorMatch[][]> {
    if (!searched) return queryVectors.map(() => []);
    const asked = queryVectors.flatMap((vector, i) => (vector ? [{ i, vector }] : []));
    const queries = asked.map(({ vector }) => ({
      vector,
      model: searched.embedder.model,
      limit: tuning.denseCandidates,
      settingsApplied,
    }));
    let found: VectorMatch[][];
    try {
      found = searched.vectors.searchMany
        ? await searched.vectors.searchMany(tx, tenantId, queries)
        : await Promise.all(queries.map((query) => searched.vectors.search(tx, tenantId, query)));
    } catch (error) {
      options.log?.warn({ err: error, store: searched.vectors.kind }, 'vector search failed');
      found = queries.map(() => []);
    }
    const matches = queryVectors.map((): VectorMatch[] => []);
    for (const [j, { i }] of asked.entries()) matches[i] = found[j] ?? [];
    return matches;
  }

  /** A question's candidates, fused, scored and ordered, from the index alone. */
  function rank(
    request: Request,
    words: AnalyzedWord[],
    dense: VectorMatch[],
    withVector: boolean,
    index: LexicalIndex,
  ): RankedEntry[] {
    const { query, lang, limit, minimum, trace } = request;
    const lexical = index.search(words, tuning.lexicalCandidates);
    const written = words.filter((w) => !w.implied);
    const known =
      written.length === 0
        ? 0
        : written.filter((w) => w.lexemes.some((lexeme) => index.frequency(lexeme) > 0)).length /
          written.length;
    const evidence = EVIDENCE[embedder && withVector ? 'hybrid' : 'lexical'];
    const cut = evidence.cut[lang ?? 'en'];

    // Titles say what a passage answers: the question's closeness to them reorders the lexical
    // candidates.
    const best = lexical[0]?.bm25 ?? 0;
    const queryGrams = trigrams(query);
    const titleSimilarity = new Map<string, number>();
    const reranked = lexical
      .map((candidate) => {
        const similarity = candidate.title ? trigramSimilarity(queryGrams, trigrams(candidate.title)) : 0;
        titleSimilarity.set(candidate.chunkId, similarity);
        return { candidate, value: candidate.bm25 / (best || 1) + tuning.titleSimilarity * similarity };
      })
      .sort((a, b) => b.value - a.value)
      .map((entry) => entry.candidate);
    trace.lexical = reranked.map((c) => c.chunkId);
    trace.dense = dense.map((d) => d.chunkId);

    const fused = fuseRankings(
      [
        { ids: trace.lexical, weight: 1 },
        { ids: trace.dense, weight: embedder?.fusionWeight ?? 0 },
      ],
      tuning.fusionK,
    );
    const shortlist = [...fused.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Math.max(limit * 4, 20))
      .map(([id]) => id);

    const lexicalById = new Map(lexical.map((c) => [c.chunkId, c]));
    const denseById = new Map(dense.map((d) => [d.chunkId, d.similarity]));
    // Ranked and scored from the index alone (it knows each chunk's language): only the hits
    // returned are read from the table, a handful of rows rather than the whole shortlist.
    return shortlist
      .map((id) => {
        const chunkLang = index.languageOf(id);
        const sameLanguage = !lang || !chunkLang || chunkLang === lang;
        const candidate = lexicalById.get(id);
        const lexicalScore = candidate
          ? candidate.coverage * (0.85 + 0.15 * candidate.titleCoverage) * (sameLanguage ? 1 : 0.9)
          : 0;
        const similarity = denseById.get(id);
        const denseScore = similarity !== undefined && embedder ? embedder.relevance(similarity) : 0;
        trace.signals.set(id, {
          lexical: lexicalScore,
          similarity: similarity ?? null,
          titleSimilarity: titleSimilarity.get(id) ?? 0,
        });
        const raw = evidence.lexical * lexicalScore + evidence.dense * denseScore + evidence.known * known;
        return {
          id,
          score: calibrate(raw, cut, evidence.lexical + evidence.dense + evidence.known),
          rank: (fused.get(id) ?? 0) * (sameLanguage ? 1 : tuning.otherLanguage),
        };
      })
      .sort((a, b) => b.rank - a.rank)
      .filter((entry) => entry.score >= minimum);
  }

  return {
    retrieveWithTrace,
    async retrieve(tenantId, query, retrieveOptions) {
      return (await retrieveWithTrace(tenantId, query, retrieveOptions)).hits;
    },
    ...(inline
      ? {
          async retrieveIn(tx: Tx, tenantId: string, query: string, retrieveOptions: RetrieveOptions = {}) {
            if (query.trim() === '') return [];
            return retrieveInTransaction(tx, {
              tenantId,
              query,
              limit: retrieveOptions.limit ?? 5,
              lang: retrieveOptions.lang,
              minimum: threshold,
              trace: emptyTrace(),
            });
          },
        }
      : {}),
  };
}

function emptyTrace(): RetrievalTrace {
  return {
    lexical: [],
    dense: [],
    signals: new Map(),
    timings: { embed: 0, analyze: 0, dense: 0, index: 0, typos: 0, lexical: 0, rows: 0 },
  };
}

/** One question on its way through a batch. */
interface Request {
  tenantId: string;
  query: string;
  limit: number;
  lang: Language | undefined;
  minimum: number;
  trace: RetrievalTrace;
}

interface RankedEntry {
  id: string;
  score: number;
  rank: number;
}

/** A chunk as read back for a hit. */
export interface ChunkRow extends Record<string, unknown> {
  id: string;
  source_type: string;
  source_id: string | null;
  title: string | null;
  content: string;
  lang: string | null;
  metadata: Record<string, unknown> | string;
}

function toHit(row: ChunkRow, score: number): RetrievalHit {
  const metadata = typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata;
  return {
    chunkId: row.id,
    sourceType: row.source_type,
    sourceId: row.source_id,
    title: row.title,
    content: row.content,
    lang: row.lang === 'fr' || row.lang === 'en' ? (row.lang as Language) : null,
    score,
    citation: citationOf({ title: row.title, sourceType: row.source_type }, metadata),
  };
}
