import { batched, byGroup, gathered } from '../../db/batched.ts';
import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { Embedder } from '../embed/embedder.ts';
import { DEFAULT_RELEVANCE_THRESHOLD } from '../knowledge-defaults.ts';
import type { KnowledgeLogger } from '../knowledge-logger.ts';
import type { Language } from '../text/detect-language.ts';
import type { RelatedWordOptions } from '../text/related-words.ts';
import type { VectorMatch, VectorStore } from '../vector/vector-store.ts';
import { type AnalyzedWord, analyzeQueries, correctedWords } from './analyze-query.ts';
import { ChunkRowCache } from './chunk-row-cache.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { LexicalIndexCache } from './lexical-index-cache.ts';
import { rankCandidates } from './rank-candidates.ts';
import { type ChunkRow, readHits } from './read-hits.ts';
import type { RetrievalHit, RetrieveOptions, Retriever } from './retrieval-hit.ts';
import { emptyTrace, type RetrievalTrace, recordStep, timedStep } from './retrieval-trace.ts';
import { DEFAULT_RETRIEVAL_TUNING, type RetrievalTuning } from './retrieval-tuning.ts';
import type { TypoVocabulary } from './typo-vocabulary.ts';
import { WordAnalysisCache } from './word-analysis-cache.ts';

/** Hits returned when the caller does not say how many. */
const DEFAULT_HIT_LIMIT = 5;
/** Shorter words are not looked up as typos: too many known words are that close to them. */
const TYPO_MIN_LENGTH = 4;

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
  /** The default relevance threshold when absent. */
  threshold?: number | undefined;
  log?: KnowledgeLogger;
  tuning?: Partial<RetrievalTuning>;
  /** Query expansion with the commerce lexicon and the gazetteer (both on by default). */
  expansion?: RelatedWordOptions | undefined;
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
  const tuning = { ...DEFAULT_RETRIEVAL_TUNING, ...options.tuning };
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
      context: retrieveOptions.context,
      limit: retrieveOptions.limit ?? DEFAULT_HIT_LIMIT,
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
        try {
          return await timedStep([request.trace], 'embed', () => embedder.embedQuery(request.query));
        } catch (error) {
          // Without the query's vector, lexical retrieval still answers.
          options.log?.warn({ err: error, model: embedder.model }, 'query embedding failed');
          return undefined;
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
    const traces = requests.map((request) => request.trace);
    // All sent at once; a remote store (Qdrant) answers meanwhile.
    const started = performance.now();
    const [analysis, dense] = await Promise.all([
      analyzeQueries(tx, requests, wordCache, options.expansion).finally(() =>
        recordStep(traces, 'analyze', started),
      ),
      searchAll(tx, tenantId, searched, queryVectors, settingsApplied).finally(() =>
        recordStep(traces, 'dense', started),
      ),
    ]);
    const { revision } = analysis;
    const index = await timedStep(traces, 'index', () => cache.get(tx, tenantId, revision));
    const corrections = await timedStep(traces, 'typos', () =>
      correctTypos(tx, analysis.words, index, cache.vocabulary(tenantId)),
    );
    const ranked = requests.map((request, i) => {
      const start = performance.now();
      const ranking = rankCandidates({
        question: request,
        words: analysis.words[i]!.map((w) => corrections.get(w.word) ?? w),
        dense: dense[i]!,
        withVector: queryVectors[i] !== undefined,
        index,
        embedder,
        tuning,
      });
      recordStep([request.trace], 'lexical', start);
      return { ranked: ranking, limit: request.limit };
    });
    const hits = await timedStep(traces, 'rows', () => readHits(tx, tenantId, revision, ranked, rowCache));
    return { hits, revision };
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

  return {
    retrieveWithTrace,
    async retrieve(tenantId, query, retrieveOptions) {
      return (await retrieveWithTrace(tenantId, query, retrieveOptions)).hits;
    },
    retrieveIn: inline
      ? async (tx, tenantId, query, retrieveOptions = {}) => {
          if (query.trim() === '') return [];
          return retrieveInTransaction(tx, {
            tenantId,
            query,
            context: retrieveOptions.context,
            limit: retrieveOptions.limit ?? DEFAULT_HIT_LIMIT,
            lang: retrieveOptions.lang,
            minimum: threshold,
            trace: emptyTrace(),
          });
        }
      : undefined,
  };
}

/**
 * The questions' words that the knowledge never uses, read as typos of known words where the
 * vocabulary has a close one. Only those are looked up: most questions need no second round trip.
 */
async function correctTypos(
  tx: Tx,
  words: readonly AnalyzedWord[][],
  index: LexicalIndex,
  vocabulary: TypoVocabulary | undefined,
): Promise<Map<string, AnalyzedWord>> {
  const fixes = new Map<string, string>();
  for (const w of words.flat()) {
    if (w.implied || w.word.length < TYPO_MIN_LENGTH || fixes.has(w.word)) continue;
    // A word the lexicon or the gazetteer knows is no typo, even when the knowledge lacks it.
    if (w.related || w.lexemes.some((lexeme) => index.frequency(lexeme) > 0)) continue;
    const fixed = vocabulary?.closest(w.word);
    if (fixed) fixes.set(w.word, fixed);
  }
  return fixes.size > 0 ? correctedWords(tx, fixes) : new Map<string, AnalyzedWord>();
}

/** One question on its way through a batch. */
interface Request {
  tenantId: string;
  query: string;
  context: string | undefined;
  limit: number;
  lang: Language | undefined;
  minimum: number;
  trace: RetrievalTrace;
}
