import type { SparseVector } from '../intents/tfidf-vectorizer.ts';

/** A message as a vector: dense from an embedding model, sparse from TF-IDF. */
export type MessageVector = readonly number[] | SparseVector;

/** Cosine similarity of two vectors of the same space. */
export function cosine(a: MessageVector, b: MessageVector): number {
  if (isSparse(a) && isSparse(b)) return sparseDot(a, b) / (norm(a) * norm(b) || 1);
  if (!isSparse(a) && !isSparse(b)) {
    let dot = 0;
    for (let i = 0; i < a.length; i += 1) dot += (a[i] ?? 0) * (b[i] ?? 0);
    return dot / (norm(a) * norm(b) || 1);
  }
  throw new TypeError('cannot compare a sparse vector with a dense one');
}

/** Adds `vector / |vector|` into `sum` (a centroid being built), growing nothing: `sum` must be wide enough. */
export function addUnit(sum: Float64Array, vector: MessageVector): void {
  const length = norm(vector);
  if (length === 0) return;
  if (isSparse(vector)) {
    for (let k = 0; k < vector.indices.length; k += 1) {
      const i = vector.indices[k]!;
      sum[i] = (sum[i] ?? 0) + vector.values[k]! / length;
    }
  } else {
    for (let i = 0; i < vector.length; i += 1) sum[i] = (sum[i] ?? 0) + (vector[i] ?? 0) / length;
  }
}

/** Dot product of a dense sum with the unit version of `vector`. */
export function dotUnit(sum: Float64Array, vector: MessageVector): number {
  const length = norm(vector);
  if (length === 0) return 0;
  let dot = 0;
  if (isSparse(vector)) {
    for (let k = 0; k < vector.indices.length; k += 1)
      dot += (sum[vector.indices[k]!] ?? 0) * vector.values[k]!;
  } else {
    for (let i = 0; i < vector.length; i += 1) dot += (sum[i] ?? 0) * (vector[i] ?? 0);
  }
  return dot / length;
}

/** How wide a dense sum of these vectors must be. */
export function spaceWidth(vectors: readonly MessageVector[]): number {
  let width = 0;
  for (const vector of vectors) {
    const last = isSparse(vector) ? (vector.indices.at(-1) ?? -1) + 1 : vector.length;
    if (last > width) width = last;
  }
  return width;
}

function isSparse(vector: MessageVector): vector is SparseVector {
  return !Array.isArray(vector);
}

function norm(vector: MessageVector): number {
  let squares = 0;
  const values = isSparse(vector) ? vector.values : vector;
  for (const x of values) squares += x * x;
  return Math.sqrt(squares);
}

/** Both index lists are sorted (fitTfidf's transform sorts them): a merge walk. */
function sparseDot(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i]!;
    const y = b.indices[j]!;
    if (x === y) {
      dot += a.values[i]! * b.values[j]!;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return dot;
}
