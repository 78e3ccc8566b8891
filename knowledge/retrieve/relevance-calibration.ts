import { DEFAULT_RELEVANCE_THRESHOLD } from '../knowledge-defaults.ts';
import type { Language } from '../text/detect-language.ts';

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
export const EVIDENCE: Record<'hybrid' | 'lexical', Evidence> = {
  hybrid: { lexical: 0.25, dense: 0.75, known: 1, cut: { en: 1.1, fr: 0.65 } },
  // Without vectors nothing was fitted: the lexical score alone decides, as it always has (a cut
  // at the threshold makes the calibration the identity).
  lexical: {
    lexical: 1,
    dense: 0,
    known: 0,
    cut: { en: DEFAULT_RELEVANCE_THRESHOLD, fr: DEFAULT_RELEVANCE_THRESHOLD },
  },
};

export interface Evidence {
  lexical: number;
  dense: number;
  known: number;
  cut: Record<Language, number>;
}

/**
 * Maps raw evidence to a score in [0, 1], piecewise linear, so that `cut` lands on the default
 * threshold and a configured threshold keeps its meaning across languages.
 */
export function calibrate(raw: number, cut: number, most: number): number {
  const t = DEFAULT_RELEVANCE_THRESHOLD;
  const score = raw < cut ? (t * raw) / cut : t + ((1 - t) * (raw - cut)) / Math.max(most - cut, 1e-9);
  return Math.min(1, Math.max(0, score));
}
