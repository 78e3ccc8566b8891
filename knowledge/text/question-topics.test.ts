import { describe, expect, it } from 'vitest';
import { impliedTopicWords } from './question-topics.ts';

describe('impliedTopicWords', () => {
  it('reads a question about time as one about delays', () => {
    expect(impliedTopicWords('Combien de temps prend la livraison ?')).toEqual(['delai', 'delais', 'duree']);
  });

  it('reads a question about cost as one about prices, in French and English', () => {
    expect(impliedTopicWords("C'est combien, la livraison express ?")).toEqual([
      'prix',
      'tarif',
      'frais',
      'cout',
    ]);
    expect(impliedTopicWords('How much is express delivery?')).toEqual(['price', 'cost', 'fee']);
  });

  it('adds nothing to a question that names its topic or has no such shape', () => {
    expect(impliedTopicWords('Quel délai de livraison ?')).toEqual(['delais', 'duree']);
    expect(impliedTopicWords('Quels sont les délais de livraison ?')).toEqual([]);
    expect(impliedTopicWords('Puis-je retourner un article ?')).toEqual([]);
    expect(impliedTopicWords('')).toEqual([]);
  });
});
