import { describe, expect, it } from 'vitest';
import { classKeywords } from './class-tfidf.ts';

describe('classKeywords (c-TF-IDF)', () => {
  const texts = [
    'Quel est le délai de livraison de ma commande ?',
    'Délai de livraison pour ma commande en Belgique',
    'La livraison prend quel délai ?',
    'Je veux un remboursement de ma commande',
    'Remboursement de la commande reçue abîmée',
    'Remboursement possible sur ma commande ?',
    'Vous sponsorisez des clubs de foot ?',
  ];
  const labels = [0, 0, 0, 1, 1, 1, -1];

  it("ranks each cluster's own words first, keeps accents as written and sinks shared words", () => {
    const keywords = classKeywords(texts, labels, { top: 3 });
    expect(keywords.get(0)?.slice(0, 2).sort()).toEqual(['délai', 'livraison']);
    expect(keywords.get(1)?.[0]).toBe('remboursement');
    // "commande" is in both clusters: it is never a cluster's first keyword.
    expect(keywords.get(0)?.[0]).not.toBe('commande');
    expect(keywords.get(1)?.[0]).not.toBe('commande');
  });

  it('leaves out stop words, question words and numbers, and words a single message used', () => {
    const keywords = classKeywords(
      ['Où est ma commande 12345 ?', 'Où est ma commande 67890 svp', 'Comment suivre ma commande 12345 ?'],
      [0, 0, 0],
      { top: 10 },
    );
    expect(keywords.get(0)).toEqual(['commande']);
  });

  it('gives a lone message its own words', () => {
    const keywords = classKeywords(['Vendez-vous des cartes cadeaux ?'], [0], { top: 5 });
    expect(keywords.get(0)?.sort()).toEqual(['cadeaux', 'cartes', 'vendez']);
  });
});
