import { cosine, type MessageVector } from './message-vector.ts';

export interface ClusterOptions {
  /** Two groups merge while the average similarity between their members reaches this. */
  linkSimilarity: number;
  /** Groups smaller than this are outliers. */
  minSize: number;
}

/**
 * Average-linkage agglomerative clustering, cut where the average similarity between two groups
 * falls below `linkSimilarity`. Returns each item's cluster: 0 for the largest, 1, 2… (ties: the
 * group with the earliest item first), or -1 for the items of groups under `minSize`.
 *
 * It runs the nearest-neighbour-chain algorithm (O(n²) time and memory). Average linkage never
 * brings a group closer to another than the closest of its parts was, so a group whose nearest
 * neighbour is below the cut is final and leaves the chain at once.
 */
export function clusterBySimilarity(vectors: readonly MessageVector[], options: ClusterOptions): Int32Array {
  const n = vectors.length;
  const sim = similarityMatrix(vectors);
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const groups: number[][] = [];
  const chain: number[] = [];
  let remaining = n;
  let scan = 0;

  while (remaining > 0) {
    if (chain.length === 0) {
      while (!active[scan]) scan += 1;
      chain.push(scan);
    }
    const a = chain[chain.length - 1]!;
    const previous = chain.length >= 2 ? chain[chain.length - 2]! : -1;
    let nearest = -1;
    let best = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k += 1) {
      if (!active[k] || k === a) continue;
      const s = sim[a * n + k]!;
      // Preferring the previous link on ties keeps the chain from cycling.
      if (s > best || (s === best && k === previous)) {
        best = s;
        nearest = k;
      }
    }
    if (nearest === -1 || best < options.linkSimilarity) {
      groups.push(members[a]!);
      active[a] = 0;
      remaining -= 1;
      chain.pop();
      continue;
    }
    if (nearest !== previous) {
      chain.push(nearest);
      continue;
    }
    chain.pop();
    chain.pop();
    // `previous` becomes the merged group; Lance–Williams update for average linkage.
    const total = size[a]! + size[previous]!;
    for (let k = 0; k < n; k += 1) {
      if (!active[k] || k === a || k === previous) continue;
      const s = (size[a]! * sim[a * n + k]! + size[previous]! * sim[previous * n + k]!) / total;
      sim[previous * n + k] = s;
      sim[k * n + previous] = s;
    }
    size[previous] = total;
    members[previous]!.push(...members[a]!);
    active[a] = 0;
    remaining -= 1;
  }

  const kept = groups
    .filter((group) => group.length >= options.minSize)
    .map((group) => ({ group, first: Math.min(...group) }))
    .sort((x, y) => y.group.length - x.group.length || x.first - y.first);
  const labels = new Int32Array(n).fill(-1);
  kept.forEach(({ group }, cluster) => {
    for (const i of group) labels[i] = cluster;
  });
  return labels;
}

/** Cosine similarity of every pair, row-major. */
function similarityMatrix(vectors: readonly MessageVector[]): Float32Array {
  const n = vectors.length;
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i += 1) {
    sim[i * n + i] = 1;
    for (let j = i + 1; j < n; j += 1) {
      const s = cosine(vectors[i]!, vectors[j]!);
      sim[i * n + j] = s;
      sim[j * n + i] = s;
    }
  }
  return sim;
}
