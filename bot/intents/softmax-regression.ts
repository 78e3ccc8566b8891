import type { SparseVector } from './tfidf-vectorizer.ts';

/** Multinomial logistic regression over sparse vectors. */
export interface SoftmaxModel {
  readonly classes: number;
  /** The weights as plain data (a worker thread sends them to the server's). */
  readonly state: SoftmaxState;
  /** Raw class scores (logits) of one vector. */
  logits(x: SparseVector): Float64Array;
}

export interface SoftmaxState {
  classes: number;
  /** Feature-major: the class weights of feature f are at [f × classes, (f + 1) × classes). */
  weights: Float32Array;
  bias: Float64Array;
}

export interface SoftmaxTraining {
  epochs: number;
  /** L2 penalty per example; larger keeps weights small and probabilities less extreme. */
  l2: number;
  learningRate: number;
  /** Shuffling is seeded, so the same data always gives the same model. */
  seed: number;
}

export const DEFAULT_SOFTMAX_TRAINING: SoftmaxTraining = { epochs: 10, l2: 1e-6, learningRate: 2, seed: 7 };

/**
 * Trains by stochastic gradient descent with a decaying step (Bottou's 1/(1 + η₀λt)) and a lazily
 * applied L2 penalty, so each step costs only the example's non-zero features × classes. Weights
 * are stored feature-major, which keeps one feature's class weights together in memory.
 */
export function trainSoftmax(
  xs: readonly SparseVector[],
  ys: ArrayLike<number>,
  classes: number,
  features: number,
  training: SoftmaxTraining = DEFAULT_SOFTMAX_TRAINING,
): SoftmaxModel {
  const weights = new Float32Array(features * classes);
  const bias = new Float64Array(classes);
  let scale = 1;
  const order = Array.from(xs.keys());
  const random = mulberry32(training.seed);
  const scores = new Float64Array(classes);
  let t = 0;
  // The weights of the later epochs are averaged (Polyak): SGD's last iterate jitters around the
  // optimum, and its average generalises better.
  const averaged = new Float64Array(weights.length);
  const averagedBias = new Float64Array(classes);
  const firstAveraged = Math.floor(training.epochs / 2);
  let snapshots = 0;

  for (let epoch = 0; epoch < training.epochs; epoch += 1) {
    shuffle(order, random);
    for (const row of order) {
      const x = xs[row]!;
      const y = ys[row]!;
      const eta = training.learningRate / (1 + training.learningRate * training.l2 * t);
      t += 1;
      computeLogits(x, weights, bias, classes, scale, scores);
      softmaxInPlace(scores);
      scale *= 1 - eta * training.l2;
      if (scale < 1e-6) {
        for (let i = 0; i < weights.length; i += 1) weights[i]! *= scale;
        scale = 1;
      }
      const step = eta / scale;
      for (let c = 0; c < classes; c += 1) {
        const gradient = scores[c]! - (c === y ? 1 : 0);
        // Classes the model already rules out contribute nothing worth the memory traffic.
        if (gradient > -1e-5 && gradient < 1e-5) continue;
        bias[c]! -= eta * gradient;
        const g = step * gradient;
        for (let k = 0; k < x.indices.length; k += 1) {
          weights[x.indices[k]! * classes + c]! -= g * x.values[k]!;
        }
      }
    }
    if (epoch >= firstAveraged) {
      for (let i = 0; i < weights.length; i += 1) averaged[i]! += weights[i]! * scale;
      for (let c = 0; c < classes; c += 1) averagedBias[c]! += bias[c]!;
      snapshots += 1;
    }
  }
  for (let i = 0; i < weights.length; i += 1) weights[i] = averaged[i]! / snapshots;
  for (let c = 0; c < classes; c += 1) bias[c] = averagedBias[c]! / snapshots;
  return softmaxFromState({ classes, weights, bias });
}

/** The model a trained one's state describes. */
export function softmaxFromState(state: SoftmaxState): SoftmaxModel {
  const { classes, weights, bias } = state;
  return {
    classes,
    state,
    logits(x) {
      const out = new Float64Array(classes);
      computeLogits(x, weights, bias, classes, 1, out);
      return out;
    },
  };
}

/** Turns logits into probabilities in place, dividing them by a temperature first. */
export function softmaxInPlace(values: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    values[i]! /= temperature;
    if (values[i]! > max) max = values[i]!;
  }
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) {
    values[i] = Math.exp(values[i]! - max);
    sum += values[i]!;
  }
  for (let i = 0; i < values.length; i += 1) values[i]! /= sum;
  return values;
}

/** A small, fast, seedable generator; Math.random cannot be seeded. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

function computeLogits(
  x: SparseVector,
  weights: Float32Array,
  bias: Float64Array,
  classes: number,
  scale: number,
  out: Float64Array,
): void {
  for (let c = 0; c < classes; c += 1) out[c] = 0;
  for (let k = 0; k < x.indices.length; k += 1) {
    const base = x.indices[k]! * classes;
    const v = x.values[k]! * scale;
    for (let c = 0; c < classes; c += 1) out[c]! += v * weights[base + c]!;
  }
  for (let c = 0; c < classes; c += 1) out[c]! += bias[c]!;
}
