import { describe, expect, it } from 'vitest';
import { TypoVocabulary } from './typo-vocabulary.ts';

describe('TypoVocabulary', () => {
  const vocabulary = new TypoVocabulary(
    [
      ['livraison', 12],
      ['livre', 3],
      ['paiement', 8],
      ['remboursement', 4],
      ['parametres', 2],
      ['parametre', 5],
    ],
    1,
  );

  it('reads a typo as the closest known word', () => {
    // pg_trgm: 6 shared trigrams of 10 and 10, a similarity of 6 / 14.
    expect(vocabulary.closest('livrasion')).toBe('livraison');
    expect(vocabulary.closest('paiment')).toBe('paiement');
    expect(vocabulary.closest('rembourssement')).toBe('remboursement');
  });

  it('leaves a word alone when nothing known is close enough', () => {
    expect(vocabulary.closest('voiture')).toBeNull();
    expect(vocabulary.closest('xyz')).toBeNull();
    expect(vocabulary.closest('livrasion', 0.5)).toBeNull();
  });

  it('prefers the closer word, then the more widely used one', () => {
    expect(vocabulary.closest('parametres')).toBe('parametres');
    const tied = new TypoVocabulary(
      [
        ['abcdx', 1],
        ['abcdy', 9],
      ],
      1,
    );
    expect(tied.closest('abcdz')).toBe('abcdy');
  });

  it('gives the same answer twice (its counters are reset after each lookup)', () => {
    expect(vocabulary.closest('livrasion')).toBe('livraison');
    expect(vocabulary.closest('livrasion')).toBe('livraison');
    expect(vocabulary.size).toBe(6);
  });
});
