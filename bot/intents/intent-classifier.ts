import {
  DEFAULT_SOFTMAX_TRAINING,
  mulberry32,
  type SoftmaxState,
  type SoftmaxTraining,
  shuffle,
  softmaxFromState,
  softmaxInPlace,
  trainSoftmax,
} from './softmax-regression.ts';
import { fitTfidf, type TfidfOptions, type TfidfState, tfidfFromState } from './tfidf-vectorizer.ts';

/** The label of "none of the known intents", as in the CLINC150 data. */
export const OUT_OF_SCOPE = 'oos';

export interface IntentExample {
  text: string;
  intent: string;
}

export interface IntentPrediction {
  /** The intent, or OUT_OF_SCOPE when none is likely enough. */
  intent: string;
  /** Calibrated probability that `intent` is right, in [0, 1]. */
  confidence: number;
  /** The most likely in-scope intents with their calibrated probabilities, best first. */
  ranking: { intent: string; confidence: number }[];
}

export interface IntentClassifier {
  readonly intents: readonly string[];
  /** Calibration that was fitted: the softmax temperature and the out-of-scope threshold. */
  readonly calibration: { temperature: number; oosThreshold: number };
  /** The trained model as plain data, which classifierFromState() turns back into a classifier. */
  readonly state: IntentModelState;
  classify(text: string): IntentPrediction;
}

/** A trained classifier as plain data: what a training worker thread sends back. */
export interface IntentModelState {
  intents: string[];
  temperature: number;
  oosThreshold: number;
  tfidf: TfidfState;
  softmax: SoftmaxState;
}

export interface IntentTrainingOptions {
  tfidf?: TfidfOptions;
  training?: SoftmaxTraining;
  /** Folds of the cross-validation that calibrates confidence and picks the threshold. */
  folds?: number;
  /** Use this out-of-scope threshold instead of choosing one from the held-out folds. */
  oosThreshold?: number;
  /**
   * How much held-out in-scope accuracy the out-of-scope threshold may cost, at most (default
   * IN_SCOPE_BUDGET): see chooseOosThreshold.
   */
  inScopeBudget?: number;
}

/**
 * Trains the offline intent classifier: TF-IDF over words and character n-grams, then multinomial
 * logistic regression. Its probabilities are calibrated with a temperature fitted on
 * cross-validated predictions, and a message whose best intent is less likely than a threshold
 * chosen on those same held-out predictions is out of scope. Examples labelled OUT_OF_SCOPE are a
 * class of their own too, which teaches the model what typical off-topic messages look like.
 */
export function trainIntentClassifier(
  examples: readonly IntentExample[],
  options: IntentTrainingOptions = {},
): IntentClassifier {
  if (examples.length === 0) throw new Error('an intent classifier needs examples');
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const labelOf = new Map(intents.map((intent, i) => [intent, i]));
  const labels = Int32Array.from(examples, (e) => labelOf.get(e.intent)!);
  const oosLabel = labelOf.get(OUT_OF_SCOPE) ?? -1;
  const training = options.training ?? DEFAULT_SOFTMAX_TRAINING;

  const trainModel = (rows: readonly number[]) => {
    const vectorizer = fitTfidf(
      rows.map((r) => examples[r]!.text),
      options.tfidf,
    );
    const xs = rows.map((r) => vectorizer.transform(examples[r]!.text));
    const ys = Int32Array.from(rows, (r) => labels[r]!);
    return { vectorizer, model: trainSoftmax(xs, ys, intents.length, vectorizer.size, training) };
  };
  const trainOn = (rows: readonly number[]) => {
    const { vectorizer, model } = trainModel(rows);
    return (text: string) => model.logits(vectorizer.transform(text));
  };

  const heldOut = crossValidatedLogits(examples, labels, options.folds ?? 3, training.seed, trainOn);
  const temperature = heldOut.length > 0 ? fitTemperature(heldOut) : 1;
  const oosThreshold =
    options.oosThreshold ??
    chooseOosThreshold(heldOut, temperature, oosLabel, options.inScopeBudget ?? IN_SCOPE_BUDGET);
  const { vectorizer, model } = trainModel(Array.from(examples.keys()));
  return classifierFromState({
    intents,
    temperature,
    oosThreshold,
    tfidf: vectorizer.state,
    softmax: model.state,
  });
}

/** The classifier a trained one's state describes (see IntentClassifier.state). */
export function classifierFromState(state: IntentModelState): IntentClassifier {
  const { intents, temperature, oosThreshold } = state;
  const vectorizer = tfidfFromState(state.tfidf);
  const model = softmaxFromState(state.softmax);
  const oosLabel = intents.indexOf(OUT_OF_SCOPE);
  return {
    intents,
    calibration: { temperature, oosThreshold },
    state,
    classify(text) {
      const probabilities = softmaxInPlace(model.logits(vectorizer.transform(text)), temperature);
      return decide(probabilities, intents, oosLabel, oosThreshold);
    },
  };
}

interface HeldOut {
  logits: Float64Array;
  label: number;
}

function decide(
  probabilities: Float64Array,
  intents: readonly string[],
  oosLabel: number,
  threshold: number,
): IntentPrediction {
  const ranking = Array.from(probabilities, (p, i) => ({ intent: intents[i]!, confidence: p }))
    .filter((_, i) => i !== oosLabel)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, 3)
    .map((r) => ({ intent: r.intent, confidence: round(r.confidence) }));
  const best = ranking[0];
  const pOos = oosLabel >= 0 ? probabilities[oosLabel]! : 0;
  if (!best || pOos > best.confidence || best.confidence < threshold) {
    return { intent: OUT_OF_SCOPE, confidence: round(Math.max(pOos, 1 - (best?.confidence ?? 0))), ranking };
  }
  return { intent: best.intent, confidence: best.confidence, ranking };
}

/** Logits of every example from a model that did not see it (stratified, seeded folds). */
function crossValidatedLogits(
  examples: readonly IntentExample[],
  labels: Int32Array,
  folds: number,
  seed: number,
  trainOn: (rows: readonly number[]) => (text: string) => Float64Array,
): HeldOut[] {
  if (folds < 2) return [];
  const foldOf = new Int32Array(examples.length);
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i += 1) {
    const rows = byLabel.get(labels[i]!) ?? [];
    rows.push(i);
    byLabel.set(labels[i]!, rows);
  }
  const random = mulberry32(seed + 1);
  let offset = 0;
  for (const rows of byLabel.values()) {
    shuffle(rows, random);
    rows.forEach((row, k) => {
      foldOf[row] = (k + offset) % folds;
    });
    offset += rows.length;
  }
  const heldOut: HeldOut[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < examples.length; i += 1) (foldOf[i] === fold ? test : train).push(i);
    if (train.length === 0 || test.length === 0) continue;
    const logitsOf = trainOn(train);
    for (const row of test) heldOut.push({ logits: logitsOf(examples[row]!.text), label: labels[row]! });
  }
  return heldOut;
}

/** The temperature that minimises the held-out negative log-likelihood (golden-section search). */
function fitTemperature(heldOut: readonly HeldOut[]): number {
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let total = 0;
    for (const { logits, label } of heldOut) {
      const p = softmaxInPlace(Float64Array.from(logits), t);
      total -= Math.log(Math.max(p[label]!, 1e-12));
    }
    return total;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(5);
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i += 1) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Share of messages assumed to fall outside every intent when weighing a missed intent against a
 * missed off-topic message. Cross-validated predictions are more confident than predictions on
 * new wording, so a threshold that looks free on them costs in-scope accuracy in use; a small
 * share keeps it mild. Chosen on the first half of CLINC150's validation data (see the README).
 */
const ASSUMED_OOS_SHARE = 0.05;

/**
 * The held-out in-scope accuracy (in [0, 1]) the out-of-scope threshold may give up. Set before
 * any measurement as the price of rejecting what no intent covers: a tenant trains on its own
 * intents only, so the threshold must come from how confident the model is on in-scope messages
 * it did not see, and this is the margin it may cut into.
 */
export const IN_SCOPE_BUDGET = 0.02;

/**
 * The out-of-scope threshold, from the held-out predictions of the cross-validation folds:
 * - from the in-scope ones alone, the highest threshold that costs at most `budget` of their
 *   accuracy: the lowest confidences of in-scope messages are mostly wrong guesses anyway, and
 *   messages that fit no intent get lower ones still;
 * - when there are out-of-scope examples too, the threshold that maximises accuracy on both,
 *   weighted by the assumed share above, if it is higher.
 */
function chooseOosThreshold(
  heldOut: readonly HeldOut[],
  temperature: number,
  oosLabel: number,
  budget: number,
): number {
  const summarize = (h: HeldOut) => {
    const p = softmaxInPlace(Float64Array.from(h.logits), temperature);
    let best = -1;
    for (let c = 0; c < p.length; c += 1) if (c !== oosLabel && (best < 0 || p[c]! > p[best]!)) best = c;
    return { best, pBest: p[best]!, pOos: oosLabel >= 0 ? p[oosLabel]! : 0, label: h.label };
  };
  const inScopeRows = heldOut.filter((h) => h.label !== oosLabel).map(summarize);
  const oosRows = heldOut.filter((h) => h.label === oosLabel).map(summarize);
  if (inScopeRows.length === 0) return 0;
  const rejected = (r: ReturnType<typeof summarize>, threshold: number) =>
    r.pOos > r.pBest || r.pBest < threshold;
  const correct = (threshold: number) =>
    inScopeRows.filter((r) => !rejected(r, threshold) && r.best === r.label).length / inScopeRows.length;

  const unthresholded = correct(0);
  let fromInScope = 0;
  for (let step = 1; step <= 1000; step += 1) {
    if (unthresholded - correct(step / 1000) > budget) break;
    fromInScope = step / 1000;
  }
  if (oosRows.length === 0) return fromInScope;

  let fromBoth = 0;
  let bestScore = -1;
  for (let step = 0; step <= 95; step += 1) {
    const threshold = step / 100;
    const recall = oosRows.filter((r) => rejected(r, threshold)).length / oosRows.length;
    const score = (1 - ASSUMED_OOS_SHARE) * correct(threshold) + ASSUMED_OOS_SHARE * recall;
    if (score > bestScore + 1e-9) {
      bestScore = score;
      fromBoth = threshold;
    }
  }
  return Math.max(fromInScope, fromBoth);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
