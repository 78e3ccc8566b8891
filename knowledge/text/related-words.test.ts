import { describe, expect, it } from 'vitest';
import { expandQuery, LEXICON_WEIGHT, PLACE_WEIGHT, relatedWords } from './related-words.ts';

describe('query expansion', () => {
  it("adds a subject's synonyms, in both languages, to the words that named it, at a lower weight", () => {
    const related = relatedWords("Et pour l'envoyer en Belgique ?");
    const envoyer = related.get('envoyer')!;
    expect(envoyer).toHaveLength(1);
    expect(envoyer[0]!.weight).toBe(LEXICON_WEIGHT);
    expect(envoyer[0]!.words).toEqual(
      expect.arrayContaining(['livraison', 'expedition', 'shipping', 'delivery']),
    );
    expect(envoyer[0]!.words).not.toContain('envoyer');
  });

  it("adds a place's region words with the place's weight, and keeps a place of two letters", () => {
    const related = relatedWords('do you ship to the UK?');
    expect(related.get('uk')).toEqual([
      expect.objectContaining({
        weight: PLACE_WEIGHT,
        place: true,
        words: expect.arrayContaining(['europe']),
      }),
    ]);
    expect(relatedWords('livraison à Lyon').get('lyon')![0]!.words).toContain('france');
  });

  it('can be switched off part by part', () => {
    expect(relatedWords('ship to Italy', { lexicon: false }).has('ship')).toBe(false);
    expect(relatedWords('ship to Italy', { gazetteer: false }).has('italy')).toBe(false);
  });

  it('names the subject a question asks about, and stands it in when only question words named it', () => {
    const tracking = expandQuery('comment je sais où en est mon colis ?', 'fr');
    expect(tracking.added.has('suivi')).toBe(true);
    expect(expandQuery('je reçois ma commande quand ?', 'fr').implied).toContain('livraison');
    expect(expandQuery('is shipping free?', 'en').implied).toContain('delivery');
  });
});
