/** One ranked list of chunk ids, best first, with how much it counts in the fusion. */
export interface Ranking {
  ids: string[];
  weight: number;
}

/**
 * Weighted reciprocal rank fusion: each list gives a chunk weight / (k + rank). Ranks, not raw
 * scores, are fused because BM25 and cosine similarities live on unrelated scales; a small k lets
 * the top of each list dominate, which suits short answer lists.
 */
export function fuseRankings(rankings: Ranking[], k: number): Map<string, number> {
  const fused = new Map<string, number>();
  for (const { ids, weight } of rankings) {
    ids.forEach((id, rank) => {
      fused.set(id, (fused.get(id) ?? 0) + weight / (k + rank + 1));
    });
  }
  return fused;
}
