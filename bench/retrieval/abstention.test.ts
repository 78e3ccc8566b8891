import { describe, expect, it } from 'vitest';
import { abstentionFigures, evidenceProbability, fitEvidence, fitThreshold, halves } from './abstention.ts';

describe('abstention figures', () => {
  const samples = [
    { index: 0, answerable: true, score: 0.9 },
    { index: 1, answerable: true, score: 0.3 },
    { index: 2, answerable: false, score: 0.2 },
    { index: 3, answerable: false, score: 0.6 },
  ];

  it('count the abstentions below the threshold against the questions without an answer', () => {
    expect(abstentionFigures(samples, 0.5)).toEqual({
      precision: 0.5,
      recall: 0.5,
      answerable_abstained: 0.5,
      samples: 4,
    });
  });

  it('fit the threshold with the most recall at the precision asked, on the samples given', () => {
    expect(fitThreshold(samples, 0.9)).toBeCloseTo(0.2, 3);
    expect(abstentionFigures(samples, fitThreshold(samples, 0.9))).toMatchObject({
      precision: 1,
      recall: 0.5,
    });
  });
});

describe('the evidence model', () => {
  it('learns which feature tells answered questions apart, and cuts at the precision asked', () => {
    // Feature 0 separates them; feature 1 is noise.
    const samples = Array.from({ length: 200 }, (_, i) => {
      const answerable = i % 2 === 0;
      return {
        index: i,
        answerable,
        score: 0,
        features: [answerable ? 0.7 + (i % 7) / 20 : (i % 9) / 20, (i % 5) / 5],
      };
    });
    const evidence = fitEvidence(samples, 0.85);
    expect(evidence.weights[0]).toBeGreaterThan(Math.abs(evidence.weights[1]!) * 3);
    const scored = samples.map((s) => ({ ...s, score: evidenceProbability(evidence, s.features) }));
    const figures = abstentionFigures(scored, evidence.cut);
    expect(figures.precision).toBeGreaterThanOrEqual(0.85);
    expect(figures.recall).toBeGreaterThan(0.9);
  });
});

describe('halves', () => {
  it('split the questions in two fixed halves of equal size', () => {
    const split = halves(11, 7);
    expect(split).toEqual(halves(11, 7));
    expect(split.filter((h) => h === 'A')).toHaveLength(6);
    expect(halves(11, 8)).not.toEqual(split);
  });
});
