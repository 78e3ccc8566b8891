/** Everything a retrieval measured, for benchmarks and debugging. */
export interface RetrievalTrace {
  lexical: string[];
  dense: string[];
  /**
   * Per returned chunk: its lexical score (coverage), its vector's cosine similarity and its
   * calibrated relevance, its title's similarity to the question.
   */
  signals: Map<
    string,
    { lexical: number; similarity: number | null; relevance: number; titleSimilarity: number }
  >;
  /** The share of the question's words that the knowledge uses at all. */
  known: number;
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

export type RetrievalStep = keyof RetrievalTrace['timings'];

export function emptyTrace(): RetrievalTrace {
  return {
    lexical: [],
    dense: [],
    signals: new Map(),
    known: 0,
    timings: { embed: 0, analyze: 0, dense: 0, index: 0, typos: 0, lexical: 0, rows: 0 },
  };
}

/** Records in each trace the time from `since` to now as the time of `step`. */
export function recordStep(traces: readonly RetrievalTrace[], step: RetrievalStep, since: number): void {
  const ms = performance.now() - since;
  for (const trace of traces) trace.timings[step] = ms;
}

/** Runs a step shared by the questions of `traces`, recording its time in each. */
export async function timedStep<T>(
  traces: readonly RetrievalTrace[],
  step: RetrievalStep,
  work: () => T | Promise<T>,
): Promise<T> {
  const since = performance.now();
  try {
    return await work();
  } finally {
    recordStep(traces, step, since);
  }
}
