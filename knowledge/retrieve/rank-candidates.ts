import type { Embedder } from '../embed/embedder.ts';
import type { Language } from '../text/detect-language.ts';
import type { VectorMatch } from '../vector/vector-store.ts';
import type { AnalyzedWord } from './analyze-query.ts';
import { fuseRankings } from './fuse-rankings.ts';
import type { LexicalIndex } from './lexical-index.ts';
import {
  answerProbability,
  calibrate,
  evidenceFeatures,
  FAQ_SIZE,
  HYBRID_EVIDENCE,
  LEXICAL_CUT,
} from './relevance-calibration.ts';
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
  // A word the knowledge lacks but whose related words it uses counts for their weight, and each
  // word for its own weight (a follow-up's carried-over words count less).
  const knownShare = (w: AnalyzedWord) =>
    w.lexemes.some((lexeme) => index.frequency(lexeme) > 0)
      ? 1
      : Math.max(
          0,
          ...(w.related ?? []).map((group) =>
            group.lexemes.some((lexeme) => index.frequency(lexeme) > 0) ? group.weight : 0,
          ),
        );
  const weightOf = (w: AnalyzedWord) => w.weight ?? 1;
  const totalWeight = written.reduce((sum, w) => sum + weightOf(w), 0);
  const known =
    totalWeight === 0 ? 0 : written.reduce((sum, w) => sum + weightOf(w) * knownShare(w), 0) / totalWeight;
  trace.known = known;
  const evidence =
    embedder && input.withVector ? HYBRID_EVIDENCE[index.size < FAQ_SIZE ? 'faq' : 'site'] : undefined;

  // Titles say what a passage answers: the question's closeness to them reorders the lexical
  // candidates.
  const best = lexical[0]?.bm25 ?? 0;
  const queryGrams = trigrams(query);
  const titleSimilarity = new Map<string, number>();
  const reranked = lexical
    .map((candidate) => {
      // A title line per wording of the question: the closest one counts.
      const similarity = candidate.title
        ? Math.max(
            ...candidate.title.split('\n').map((line) => trigramSimilarity(queryGrams, trigrams(line))),
          )
        : 0;
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
      const signal = {
        lexical: lexicalScore,
        similarity: similarity ?? null,
        relevance: similarity !== undefined && embedder ? embedder.relevance(similarity) : 0,
        titleSimilarity: titleSimilarity.get(id) ?? 0,
      };
      trace.signals.set(id, signal);
      return {
        id,
        score: evidence
          ? calibrate(answerProbability(evidence, evidenceFeatures(signal, known)), evidence.cut, 1)
          : calibrate(lexicalScore, LEXICAL_CUT, 1),
        rank: ((fused.get(id) ?? 0) + tuning.coverageBonus * (candidate?.coverage ?? 0)) * languageShare,
      };
    })
    .sort((a, b) => b.rank - a.rank)
    .filter((entry) => entry.score >= minimum);
}
