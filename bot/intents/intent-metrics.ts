import { OUT_OF_SCOPE } from './intent-classifier.ts';

export interface IntentMetrics {
  /** Percentages. */
  accuracy: number;
  in_scope_accuracy: number;
  oos_recall: number;
  oos_precision: number;
  macro_f1: number;
}

/**
 * The figures of Larson et al. (2019): accuracy over in-scope messages (a message wrongly called
 * out of scope counts as wrong), recall and precision of the out-of-scope label, plus overall
 * accuracy and the macro-averaged F1 over every label, out-of-scope included.
 */
export function intentMetrics(pairs: readonly { expected: string; predicted: string }[]): IntentMetrics {
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oosTotal = 0;
  let oosFound = 0;
  let oosPredicted = 0;
  const stats = new Map<string, { tp: number; fp: number; fn: number }>();
  const stat = (label: string) => {
    let s = stats.get(label);
    if (!s) {
      s = { tp: 0, fp: 0, fn: 0 };
      stats.set(label, s);
    }
    return s;
  };
  for (const { expected, predicted } of pairs) {
    const right = expected === predicted;
    if (right) {
      correct += 1;
      stat(expected).tp += 1;
    } else {
      stat(expected).fn += 1;
      stat(predicted).fp += 1;
    }
    if (expected === OUT_OF_SCOPE) {
      oosTotal += 1;
      if (right) oosFound += 1;
    } else {
      inScope += 1;
      if (right) inScopeCorrect += 1;
    }
    if (predicted === OUT_OF_SCOPE) oosPredicted += 1;
  }
  let f1Sum = 0;
  let labels = 0;
  for (const [label, s] of stats) {
    // Labels that occur only as wrong predictions would drag the average with an F1 of 0 that
    // says nothing about the test data's classes.
    if (s.tp + s.fn === 0 && label !== OUT_OF_SCOPE) continue;
    const precision = s.tp + s.fp > 0 ? s.tp / (s.tp + s.fp) : 0;
    const recall = s.tp + s.fn > 0 ? s.tp / (s.tp + s.fn) : 0;
    f1Sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    labels += 1;
  }
  const pct = (value: number, total: number) => (total > 0 ? round((100 * value) / total) : 0);
  return {
    accuracy: pct(correct, pairs.length),
    in_scope_accuracy: pct(inScopeCorrect, inScope),
    oos_recall: pct(oosFound, oosTotal),
    oos_precision: pct(oosFound, oosPredicted),
    macro_f1: labels > 0 ? round((100 * f1Sum) / labels) : 0,
  };
}

/** The value below which `q` of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
