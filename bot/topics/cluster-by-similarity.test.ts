import { describe, expect, it } from 'vitest';
import { clusterBySimilarity } from './cluster-by-similarity.ts';

/** Unit vectors at these angles (degrees) in a plane: cosine = cos(difference). */
const at = (...degrees: number[]) =>
  degrees.map((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]);

describe('clusterBySimilarity', () => {
  it('finds tight groups, largest first, and leaves a lone item out', () => {
    // A lone item at 45°, a pair near 90°, a triple near 0°: cos(10°) ≈ 0.98, cos(45°) ≈ 0.71.
    const vectors = at(90, 45, 0, 5, 88, 10);
    const labels = clusterBySimilarity(vectors, { linkSimilarity: 0.95, minSize: 2 });
    expect([...labels]).toEqual([1, -1, 0, 0, 1, 0]);
  });

  it('joins the groups once the cut lets their average similarity through', () => {
    const vectors = at(0, 5, 10, 60, 65);
    expect([...clusterBySimilarity(vectors, { linkSimilarity: 0.95, minSize: 1 })]).toEqual([0, 0, 0, 1, 1]);
    // Average similarity of the triple to the pair is about cos(57°) ≈ 0.54.
    expect([...clusterBySimilarity(vectors, { linkSimilarity: 0.5, minSize: 1 })]).toEqual([0, 0, 0, 0, 0]);
  });

  it('uses the average, not the closest pair: a chain of neighbours stays apart', () => {
    // Each neighbour is 30° from the next (cos ≈ 0.87), but the ends are 90° apart.
    const vectors = at(0, 30, 60, 90);
    const labels = clusterBySimilarity(vectors, { linkSimilarity: 0.8, minSize: 1 });
    expect(new Set(labels).size).toBeGreaterThan(1);
  });

  it('marks every item an outlier when no group reaches the minimum size', () => {
    expect([...clusterBySimilarity(at(0, 90, 180), { linkSimilarity: 0.5, minSize: 2 })]).toEqual([
      -1, -1, -1,
    ]);
  });

  it('handles one item, none, and zero vectors', () => {
    expect([...clusterBySimilarity(at(0), { linkSimilarity: 0.5, minSize: 1 })]).toEqual([0]);
    expect([...clusterBySimilarity([], { linkSimilarity: 0.5, minSize: 1 })]).toEqual([]);
    expect([
      ...clusterBySimilarity(
        [
          [0, 0],
          [0, 0],
        ],
        { linkSimilarity: 0.5, minSize: 2 },
      ),
    ]).toEqual([-1, -1]);
  });
});
