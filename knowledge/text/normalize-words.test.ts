import { expect, it } from 'vitest';
import { normalizeWords } from './normalize-words.ts';

it('lower-cases, strips accents and ligatures, splits on anything else and keeps each word once', () => {
  expect(normalizeWords("Délai de LIVRAISON, délai d'œuvre — 3 à 5 jours (MB-1234)")).toEqual([
    'delai',
    'livraison',
    'oeuvre',
    'jours',
    '1234',
  ]);
});

it('drops words shorter than three characters and longer than 64', () => {
  expect(normalizeWords(`ab ${'x'.repeat(65)} abc`)).toEqual(['abc']);
});
