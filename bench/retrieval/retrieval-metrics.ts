/** Quality figures of one ranked answer list per query, as information retrieval reports them. */
export interface QualityFigures {
  'recall@1': number;
  'recall@5': number;
  'mrr@10': number;
  'ndcg@10': number;
  /** Of the queries where retrieval abstained, the share that had no answer; null if it never did. */
  abstain_precision: number | null;
  /** Of the queries that had no answer, the share where retrieval abstained; null if none. */
  abstain_recall: number | null;
  /** Share of all queries where retrieval abstained. */
  abstain_rate: number;
}

export interface JudgedQuery {
  relevant: string[];
  /** Document ids, best first. */
  ranked: string[];
  abstained: boolean;
}

/**
 * Recall@k counts a query as found when any relevant document is in the top k; MRR@10 averages
 * 1/rank of the first relevant one; nDCG@10 uses binary gains. Ranking figures are computed over
 * the queries that have an answer; abstention over all.
 */
export function qualityFigures(queries: JudgedQuery[]): QualityFigures {
  const answerable = queries.filter((q) => q.relevant.length > 0);
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  let ndcg = 0;
  for (const query of answerable) {
    const relevant = new Set(query.relevant);
    const top = query.ranked.slice(0, 10);
    const first = top.findIndex((id) => relevant.has(id));
    if (first === 0) r1 += 1;
    if (first >= 0 && first < 5) r5 += 1;
    if (first >= 0) mrr += 1 / (first + 1);
    let dcg = 0;
    top.forEach((id, i) => {
      if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
    });
    let ideal = 0;
    for (let i = 0; i < Math.min(relevant.size, 10); i++) ideal += 1 / Math.log2(i + 2);
    ndcg += ideal > 0 ? dcg / ideal : 0;
  }
  const n = Math.max(answerable.length, 1);
  const abstained = queries.filter((q) => q.abstained);
  const unanswerable = queries.filter((q) => q.relevant.length === 0);
  const rightAbstentions = abstained.filter((q) => q.relevant.length === 0).length;
  return {
    'recall@1': round(r1 / n),
    'recall@5': round(r5 / n),
    'mrr@10': round(mrr / n),
    'ndcg@10': round(ndcg / n),
    abstain_precision: abstained.length > 0 ? round(rightAbstentions / abstained.length) : null,
    abstain_recall: unanswerable.length > 0 ? round(rightAbstentions / unanswerable.length) : null,
    abstain_rate: round(abstained.length / Math.max(queries.length, 1)),
  };
}

/** The value below which `share` of the sorted samples fall (nearest rank). */
export function percentile(samples: number[], share: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
