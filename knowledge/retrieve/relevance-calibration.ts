import { DEFAULT_RELEVANCE_THRESHOLD } from '../knowledge-defaults.ts';

/**
 * How the evidence for a passage adds up to its score, with vectors: the odds that it answers the
 * question, a logistic model of its lexical score (IDF-weighted share of the question it covers,
 * synonyms and places counted at their weight), its vector's calibrated similarity, the share of
 * the question's words the knowledge uses at all, and how close its title (or another wording of
 * its question) is to the question. The share of known words tells apart a question on a topic
 * the knowledge lacks ("plombier", "bitcoin"); the title, a question on a neighbouring topic
 * whose own answer is missing. `cut` is the probability that maps to DEFAULT_RELEVANCE_THRESHOLD.
 *
 * Fitted by `npm run bench:retrieval -- --leave-gold-out` on half A of a set (each question asked
 * with its answer, and again with its answer removed); half B is left for measuring. One model
 * per size of knowledge rather than per language: how many of a question's words a passage or
 * the knowledge holds depends on how much there is to hold them, and the stemmers make the two
 * languages alike. A shop's FAQ (fitted on the Ma Boutique set, 30 entries) and a help site
 * (StackFAQ, 453 chunks); a model fitted on both at once did worse on each. The two sets differ
 * in language too, so that cannot be ruled out.
 */
export const HYBRID_EVIDENCE: Record<'faq' | 'site', LogisticEvidence> = {
  faq: { weights: [2.7772, 0.925, 0.9361, 1.2815], bias: -2.1607, cut: 0.2339 },
  site: { weights: [1.7034, 1.1713, 0.4149, 4.6184], bias: -3.2624, cut: 0.2356 },
};

/** Knowledge of fewer chunks than this is read as an FAQ: between the two sets' sizes (geometric mean). */
export const FAQ_SIZE = 120;

export interface LogisticEvidence {
  /** Of evidenceFeatures(), in order. */
  weights: number[];
  bias: number;
  cut: number;
}

/** Without vectors nothing was fitted: the lexical score alone decides, as it always has. */
export const LEXICAL_CUT = DEFAULT_RELEVANCE_THRESHOLD;

/** What the score of a passage is computed from (see HYBRID_EVIDENCE), in the model's order. */
export function evidenceFeatures(
  signal: { lexical: number; relevance: number; titleSimilarity: number },
  known: number,
): number[] {
  return [signal.lexical, signal.relevance, known, signal.titleSimilarity];
}

/** The odds, as a probability, that a passage with these features answers the question. */
export function answerProbability(evidence: LogisticEvidence, features: readonly number[]): number {
  let z = evidence.bias;
  features.forEach((value, i) => {
    z += (evidence.weights[i] ?? 0) * value;
  });
  return 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
}

/**
 * Maps raw evidence to a score in [0, 1], piecewise linear, so that `cut` lands on the default
 * threshold and a configured threshold keeps its meaning.
 */
export function calibrate(raw: number, cut: number, most: number): number {
  const t = DEFAULT_RELEVANCE_THRESHOLD;
  const score = raw < cut ? (t * raw) / cut : t + ((1 - t) * (raw - cut)) / Math.max(most - cut, 1e-9);
  return Math.min(1, Math.max(0, score));
}
