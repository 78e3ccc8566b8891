import { mulberry32, shuffle } from '../../bot/intents/softmax-regression.ts';

/** One question as abstention sees it: whether it has an answer, and the best hit's score (0: none). */
export interface AbstentionSample {
  /** The question's position in the set: both of its passes go to the same half. */
  index: number;
  answerable: boolean;
  score: number;
  /** The best hit's evidence (see EvidenceFeatures in the retriever); absent without a hit. */
  features?: readonly number[] | undefined;
}

/** A logistic model of whether the best hit answers the question, and the probability to cut at. */
export interface FittedEvidence {
  weights: number[];
  bias: number;
  cut: number;
}

/**
 * Fits the odds that a question's best hit answers it from the hit's evidence (logistic
 * regression, gradient descent, a little L2), then the probability below which to abstain: the
 * highest recall at precision `minPrecision` or more. On the samples given only.
 */
export function fitEvidence<S extends AbstentionSample>(
  samples: readonly S[],
  minPrecision: number,
  /** Each sample's weight in the fit (default 1): sets of different sizes can count alike. */
  weightOf: (sample: S) => number = () => 1,
): FittedEvidence {
  const rows = samples.map((s) => ({ x: s.features ?? [], y: s.answerable ? 1 : 0, w: weightOf(s) }));
  const totalWeight = rows.reduce((sum, r) => sum + r.w, 0);
  const size = Math.max(0, ...rows.map((r) => r.x.length));
  const weights = new Array<number>(size).fill(0);
  let bias = 0;
  const l2 = 0.001;
  for (let step = 0; step < 3000; step += 1) {
    const gradient = new Array<number>(size).fill(0);
    let gradientBias = 0;
    for (const { x, y, w } of rows) {
      const p = sigmoid(dot(weights, x) + bias);
      for (let i = 0; i < size; i += 1) gradient[i]! += w * (p - y) * (x[i] ?? 0);
      gradientBias += w * (p - y);
    }
    for (let i = 0; i < size; i += 1) weights[i]! -= gradient[i]! / totalWeight + l2 * weights[i]!;
    bias -= gradientBias / totalWeight;
  }
  const probability = (s: AbstentionSample) => (s.features ? sigmoid(dot(weights, s.features) + bias) : 0);
  const cut = fitThreshold(
    samples.map((s) => ({ ...s, score: probability(s) })),
    minPrecision,
  );
  const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return { weights: weights.map(round4), bias: round4(bias), cut: round4(cut) };
}

export function evidenceProbability(
  evidence: FittedEvidence,
  features: readonly number[] | undefined,
): number {
  return features ? sigmoid(dot(evidence.weights, features) + evidence.bias) : 0;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * (b[i] ?? 0);
  return sum;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
}

export interface AbstentionFigures {
  /** Of the questions retrieval abstained on, the share that had no answer; null if it never did. */
  precision: number | null;
  /** Of the questions that had no answer, the share it abstained on; null if none. */
  recall: number | null;
  /** Of the questions that had one, the share it abstained on. */
  answerable_abstained: number | null;
  samples: number;
}

/** Abstention at a threshold: a question whose best score is below it gets no answer. */
export function abstentionFigures(
  samples: readonly AbstentionSample[],
  threshold: number,
): AbstentionFigures {
  const abstained = samples.filter((s) => s.score < threshold);
  const unanswerable = samples.filter((s) => !s.answerable);
  const answerable = samples.length - unanswerable.length;
  const right = abstained.filter((s) => !s.answerable).length;
  return {
    precision: abstained.length > 0 ? round(right / abstained.length) : null,
    recall: unanswerable.length > 0 ? round(right / unanswerable.length) : null,
    answerable_abstained: answerable > 0 ? round((abstained.length - right) / answerable) : null,
    samples: samples.length,
  };
}

/**
 * The threshold with the highest abstention recall whose precision is at least `minPrecision`
 * on these samples (the highest precision if none reaches it); of equal recalls, the lowest.
 */
export function fitThreshold(samples: readonly AbstentionSample[], minPrecision: number): number {
  const candidates = [...new Set(samples.map((s) => s.score))].sort((a, b) => a - b);
  let best = { threshold: 0, recall: -1, precision: -1 };
  let fallback = { threshold: 0, precision: -1 };
  // A threshold just above a score abstains on that score.
  for (const score of candidates) {
    const threshold = score + 1e-6;
    const figures = abstentionFigures(samples, threshold);
    const precision = figures.precision ?? 0;
    const recall = figures.recall ?? 0;
    if (precision > fallback.precision) fallback = { threshold, precision };
    if (precision >= minPrecision && recall > best.recall) best = { threshold, recall, precision };
  }
  return best.recall >= 0 ? best.threshold : fallback.threshold;
}

/** Which half each of `count` questions falls in: a seeded shuffle, so the split never changes. */
export function halves(count: number, seed: number): ('A' | 'B')[] {
  const order = Array.from({ length: count }, (_, i) => i);
  shuffle(order, mulberry32(seed));
  const half: ('A' | 'B')[] = new Array(count);
  order.forEach((index, k) => {
    half[index] = k < count / 2 ? 'A' : 'B';
  });
  return half;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
