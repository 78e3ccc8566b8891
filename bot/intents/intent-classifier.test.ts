import { describe, expect, it } from 'vitest';
import { OUT_OF_SCOPE, trainIntentClassifier } from './intent-classifier.ts';

const EXAMPLES = [
  ...['where is my order', 'track my parcel', 'my package has not arrived', 'order status please'].map(
    (text) => ({ text, intent: 'order_status' }),
  ),
  ...['i want a refund', 'refund my purchase', 'give me my money back', 'how do i get refunded'].map(
    (text) => ({ text, intent: 'refund' }),
  ),
  ...['tell me a joke', 'what is the weather', 'who is the president', 'sing a song'].map((text) => ({
    text,
    intent: OUT_OF_SCOPE,
  })),
];

describe('trainIntentClassifier', () => {
  it('refuses to train on nothing', () => {
    expect(() => trainIntentClassifier([])).toThrow(/needs examples/);
  });

  it('gives the same model for the same data (seeded training)', () => {
    const a = trainIntentClassifier(EXAMPLES);
    const b = trainIntentClassifier(EXAMPLES);
    expect(a.classify('where is my parcel')).toEqual(b.classify('where is my parcel'));
    expect(a.calibration).toEqual(b.calibration);
  });

  it('ranks in-scope intents with probabilities that add up to at most 1', () => {
    const prediction = trainIntentClassifier(EXAMPLES).classify('my parcel has not arrived');
    expect(prediction.intent).toBe('order_status');
    const total = prediction.ranking.reduce((sum, r) => sum + r.confidence, 0);
    expect(total).toBeLessThanOrEqual(1.001);
    expect(prediction.ranking.map((r) => r.intent)).not.toContain(OUT_OF_SCOPE);
  });

  it('applies a fixed out-of-scope threshold when one is given', () => {
    const strict = trainIntentClassifier(EXAMPLES, { oosThreshold: 0.999 });
    expect(strict.calibration.oosThreshold).toBe(0.999);
    expect(strict.classify('where is my order').intent).toBe(OUT_OF_SCOPE);
  });

  it('handles text with no words at all', () => {
    const classifier = trainIntentClassifier(EXAMPLES);
    for (const text of ['', '😀😀😀', '!!!', '   ']) {
      const prediction = classifier.classify(text);
      expect(Number.isFinite(prediction.confidence)).toBe(true);
    }
  });
});
