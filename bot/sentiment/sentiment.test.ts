import { describe, expect, it } from 'vitest';
import { sentimentScore } from './sentiment.ts';

describe('sentimentScore', () => {
  it('reads a calm question as neutral', () => {
    expect(sentimentScore('Quels sont vos délais de livraison ?')).toBe(0);
    expect(sentimentScore('How long does delivery take?')).toBe(0);
  });

  it('reads an angry message as strongly negative, in French and English', () => {
    expect(
      sentimentScore("C'est inadmissible, je suis furieux, colis cassé et personne ne répond !!!"),
    ).toBeLessThan(-0.6);
    expect(sentimentScore('This is outrageous, the worst service ever. I am furious!')).toBeLessThan(-0.6);
    expect(sentimentScore('😡😡 nul')).toBeLessThan(-0.6);
  });

  it('flips negated words and strengthens intensified ones', () => {
    expect(sentimentScore('je ne suis pas content')).toBeLessThan(0);
    expect(sentimentScore('not happy')).toBeLessThan(0);
    expect(sentimentScore('pas mal du tout')).toBeGreaterThan(0);
    expect(sentimentScore('very disappointed')).toBeLessThan(sentimentScore('disappointed'));
  });

  it('reads thanks as positive and stays within [-1, 1] however long the message', () => {
    expect(sentimentScore('Merci beaucoup, super service 👍')).toBeGreaterThan(0.5);
    const long = 'terrible '.repeat(5000);
    expect(sentimentScore(long)).toBeGreaterThanOrEqual(-1);
  });
});
