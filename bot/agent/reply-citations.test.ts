import { describe, expect, it } from 'vitest';
import { citeShownPassages } from './reply-citations.ts';
import type { ShownPassage } from './tools/turn-scope.ts';

const shown: ShownPassage[] = [
  { marker: 1, chunkId: 'a', score: 0.6, citation: { title: 'Delivery' } },
  {
    marker: 2,
    chunkId: 'b',
    score: 0.9,
    citation: { title: 'Returns', url: 'https://shop.example/returns' },
  },
  { marker: 3, chunkId: 'c', score: 0.5, citation: { title: 'Payment' } },
];

describe('citeShownPassages', () => {
  it('keeps the cited passages in order of first citation and renumbers the markers', () => {
    const result = citeShownPassages('Returns are free [2]. Delivery takes 3 days [1], see [2].', shown);
    expect(result.text).toBe('Returns are free [1]. Delivery takes 3 days [2], see [1].');
    expect(result.citations).toEqual([shown[1]!.citation, shown[0]!.citation]);
    expect(result.passages.map((p) => p.chunkId)).toEqual(['b', 'a']);
  });

  it('drops markers of passages that were never shown', () => {
    const result = citeShownPassages('Payment by card [3] or by cheque [7].', shown);
    expect(result.text).toBe('Payment by card [1] or by cheque.');
    expect(result.citations).toEqual([{ title: 'Payment' }]);
  });

  it('credits an uncited answer to the best passage shown, and cites nothing without a search', () => {
    expect(citeShownPassages('Returns are free within 30 days.', shown).citations).toEqual([
      shown[1]!.citation,
    ]);
    expect(citeShownPassages('Hello! How can I help? [1]', [])).toEqual({
      text: 'Hello! How can I help?',
      citations: [],
      passages: [],
    });
  });
});
