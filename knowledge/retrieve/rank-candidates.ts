import type { Embedder } from '../embed/embedder.ts';
import type { Language } from '../text/detect-language.ts';
import type { VectorMatch } from '../vector/vector-store.ts';
import type { AnalyzedWord } from './analyze-query.ts';
import { fuseRankings } from './fuse-rankings.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { calibrate, EVIDENCE } from './relevance-calibration.ts';
import type { RetrievalTrace } from './retrieval-trace.ts';
import type { RetrievalTuning } from './retrieval-tuning.ts';
import { trigramSimilarity, trigrams } from './trigram-similarity.ts';

/** Share of a candidate's lexical score that depends on how much of its title the question covers. */
const TITLE_COVERAGE_SHARE = 0.15;
/** Candidates scored per hit wanted, and at least this many in all. */
const SHORTLIST = { perHit: 4, least: 20 };

/** A question as ranking sees it; its trace receives the lists and the signals. */
export interface RankedQuestion {
  query: string;
  lang: Language | undefined;
  limit: number;
  /** Candidates scoring below it are dropped. */
  minimum: number;
  trace: RetrievalTrace;
}

/** A candidate, ranked and scored, before its row is read. */
export interface RankedEntry {
  id: string;
  score: number;
  rank: number;
}

export interface RankingInput {
  question: RankedQuestion;
  words: AnalyzedWord[];
  dense: VectorMatch[];
  /** Whether the question was embedded (the dense list may still be empty). */
  withVector: boolean;
  index: LexicalIndex;
  embedder: Embedder | undefined;
  tuning: RetrievalTuning;
}

/** A question's candidates, fused, scored and ordered, from the index alone. */
export function rankCandidates(input: RankingInput): RankedEntry[] {
  const { question, words, dense, index, embedder, tuning } = input;
  const { query, lang, limit, minimum, trace } = question;
  const lexical = index.search(words, tuning.lexicalCandidates);
  const written = words.filter((w) => !w.implied);
  const known =
    written.length === 0
      ? 0
      : written.filter((w) => w.lexemes.some((lexeme) => index.frequency(lexeme) > 0)).length /
        written.length;
  const evidence = EVIDENCE[embedder && input.withVector ? 'hybrid' : 'lexical'];
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
    .slice(0, Math.max(limit * SHORTLIST.perHit, SHORTLIST.least))
    .map(([id]) => id);

  const lexicalById = new Map(lexical.map((c) => [c.chunkId, c]));
  const denseById = new Map(dense.map((d) => [d.chunkId, d.similarity]));
  // Ranked and scored from the index alone (it knows each chunk's language): only the hits
  // returned are read from the table, a handful of rows rather than the whole shortlist.
  return shortlist
    .map((id) => {
      const chunkLang = index.languageOf(id);
      const sameLanguage = !lang || !chunkLang || chunkLang === lang;
      const languageShare = sameLanguage ? 1 : tuning.otherLanguage;
      const candidate = lexicalById.get(id);
      const lexicalScore = candidate
        ? candidate.coverage *
          (1 - TITLE_COVERAGE_SHARE + TITLE_COVERAGE_SHARE * candidate.titleCoverage) *
          languageShare
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
        rank: (fused.get(id) ?? 0) * languageShare,
      };
    })
    .sort((a, b) => b.rank - a.rank)
    .filter((entry) => entry.score >= minimum);
}
