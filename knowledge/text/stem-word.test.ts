import { describe, expect, it } from 'vitest';
import { stemWord } from './stem-word.ts';

describe('stemWord', () => {
  it('gives the inflections of a French word one stem, with or without accents', () => {
    const forms = ['livrer', 'livré', 'livrées', 'LIVRE'].map((w) => stemWord(w, 'fr'));
    expect(new Set(forms).size).toBe(1);
    expect(stemWord('remboursement', 'fr')).toBe(stemWord('rembourser', 'fr'));
    expect(stemWord('expédition', 'fr')).toBe(stemWord('expedition', 'fr'));
  });

  it('gives the inflections of an English word one stem', () => {
    expect(stemWord('shipping', 'en')).toBe('ship');
    expect(stemWord('shipped', 'en')).toBe('ship');
    expect(stemWord('refunds', 'en')).toBe(stemWord('refunded', 'en'));
  });

  it('keeps words apart that only look alike', () => {
    expect(stemWord('livraison', 'fr')).not.toBe(stemWord('livre', 'fr'));
    expect(stemWord('store', 'en')).not.toBe(stemWord('story', 'en'));
  });
});
