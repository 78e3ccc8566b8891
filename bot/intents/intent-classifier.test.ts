import { describe, expect, it } from 'vitest';
import { DEFAULT_INTENTS } from './default-intents.ts';
import { classifierFromState, OUT_OF_SCOPE, trainIntentClassifier } from './intent-classifier.ts';

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

describe('the out-of-scope threshold of a model trained on in-scope examples only', () => {
  // The built-in intents' examples, without any out-of-scope one: how a tenant's own intents train.
  const inScope = DEFAULT_INTENTS.flatMap((intent) =>
    [...intent.examples.fr, ...intent.examples.en].map((text) => ({ text, intent: intent.name })),
  );
  const classifier = trainIntentClassifier(inScope);

  it('is set from held-out in-scope confidences, well above the old floor of 2/labels', () => {
    expect(classifier.calibration.oosThreshold).toBeGreaterThan(2 / DEFAULT_INTENTS.length);
  });

  it('rejects messages that fit no intent, which the old floor let through, and keeps those that fit one', () => {
    const offTopic = [
      'quelle est la capitale du japon',
      'raconte-moi une blague',
      'who won the football match yesterday',
      'what is the square root of 144',
    ];
    const floor = trainIntentClassifier(inScope, { oosThreshold: 2 / DEFAULT_INTENTS.length });
    const rejectedBy = (model: typeof classifier) =>
      offTopic.filter((text) => model.classify(text).intent === OUT_OF_SCOPE).length;
    expect(rejectedBy(floor)).toBe(0);
    expect(rejectedBy(classifier)).toBeGreaterThanOrEqual(1);
    expect(classifier.classify('où est ma commande ?').intent).toBe('order_status');
    expect(classifier.classify('I want to return these shoes').intent).toBe('returns_refund');
  });

  it('rises with the in-scope accuracy it may cost', () => {
    const strict = trainIntentClassifier(inScope, { inScopeBudget: 0 });
    const loose = trainIntentClassifier(inScope, { inScopeBudget: 0.1 });
    expect(strict.calibration.oosThreshold).toBeLessThan(classifier.calibration.oosThreshold);
    expect(loose.calibration.oosThreshold).toBeGreaterThan(classifier.calibration.oosThreshold);
  });

  it('turns back into the same classifier from its state', () => {
    const again = classifierFromState(structuredClone(classifier.state));
    for (const text of ['où est ma commande ?', 'raconte-moi une blague', 'bonjour']) {
      expect(again.classify(text)).toEqual(classifier.classify(text));
    }
  });
});
