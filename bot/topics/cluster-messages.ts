import { clusterBySimilarity } from './cluster-by-similarity.ts';
import { addUnit, dotUnit, type MessageVector, spaceWidth } from './message-vector.ts';

export interface ClusterMessagesOptions {
  linkSimilarity: number;
  minSize: number;
  /**
   * At most this many messages are clustered (time and memory grow with its square); the others
   * join the cluster they are on average most similar to, when that reaches `linkSimilarity`.
   */
  maxClustered: number;
}

export interface MessageClusters {
  /** Each message's cluster, 0 for the largest, or -1 for outliers. */
  labels: Int32Array;
  /** Message indices of each cluster, most representative first (outliers under -1). */
  members: Map<number, number[]>;
}

/** Clusters message vectors, then orders each cluster's members from its centre outwards. */
export function clusterMessages(
  vectors: readonly MessageVector[],
  options: ClusterMessagesOptions,
): MessageClusters {
  const n = vectors.length;
  const picked = evenlySpaced(n, options.maxClustered);
  const pickedLabels = clusterBySimilarity(
    picked.map((i) => vectors[i]!),
    { linkSimilarity: options.linkSimilarity, minSize: options.minSize },
  );
  const labels = new Int32Array(n).fill(-2);
  picked.forEach((i, k) => {
    labels[i] = pickedLabels[k]!;
  });
  const width = spaceWidth(vectors);
  const sums = centroidSums(vectors, labels, width);
  if (picked.length < n) {
    // The average cosine to a cluster's members is the dot product with their summed unit vectors.
    for (let i = 0; i < n; i += 1) {
      if (labels[i] !== -2) continue;
      let best = -1;
      let bestSimilarity = options.linkSimilarity;
      for (const [label, { sum, count }] of sums) {
        if (label < 0) continue;
        const similarity = dotUnit(sum, vectors[i]!) / count;
        if (similarity >= bestSimilarity) {
          best = label;
          bestSimilarity = similarity;
        }
      }
      labels[i] = best;
    }
  }
  return orderClusters(vectors, labels);
}

/**
 * Renumbers clusters by decreasing size (outliers stay -1) and orders each cluster's members by
 * their average similarity to the others, most representative first.
 */
export function orderClusters(vectors: readonly MessageVector[], labels: Int32Array): MessageClusters {
  const renumbered = bySize(labels);
  const sums = centroidSums(vectors, renumbered, spaceWidth(vectors));
  const members = new Map<number, number[]>();
  renumbered.forEach((label, i) => {
    const list = members.get(label) ?? [];
    list.push(i);
    members.set(label, list);
  });
  for (const [label, list] of members) {
    const sum = sums.get(label)?.sum;
    if (!sum) continue;
    const closeness = new Map(list.map((i) => [i, dotUnit(sum, vectors[i]!)]));
    list.sort((x, y) => closeness.get(y)! - closeness.get(x)! || x - y);
  }
  return { labels: renumbered, members };
}

/** `count` indices spread over 0…n-1 (all of them when n ≤ count), so every hour of the day is in. */
function evenlySpaced(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, k) => Math.floor((k * n) / count));
}

function centroidSums(vectors: readonly MessageVector[], labels: Int32Array, width: number) {
  const sums = new Map<number, { sum: Float64Array; count: number }>();
  labels.forEach((label, i) => {
    if (label === -2) return;
    let entry = sums.get(label);
    if (!entry) {
      entry = { sum: new Float64Array(width), count: 0 };
      sums.set(label, entry);
    }
    addUnit(entry.sum, vectors[i]!);
    entry.count += 1;
  });
  return sums;
}

/** Cluster numbers by decreasing size (ties: the cluster of the earliest message first). */
function bySize(labels: Int32Array): Int32Array {
  const sizes = new Map<number, { count: number; first: number }>();
  labels.forEach((label, i) => {
    if (label < 0) return;
    const entry = sizes.get(label) ?? { count: 0, first: i };
    entry.count += 1;
    sizes.set(label, entry);
  });
  const order = [...sizes].sort(([, x], [, y]) => y.count - x.count || x.first - y.first);
  const renumber = new Map(order.map(([label], rank) => [label, rank]));
  return labels.map((label) => (label < 0 ? -1 : renumber.get(label)!));
}
