import { describe, expect, it } from 'vitest';
import { parseTsvector } from './lexical-index-cache.ts';

describe('parseTsvector', () => {
  it('reads lexemes with their title and body counts from the text form', () => {
    expect(parseTsvector("'livraison':1A,7,12 'gratuit':9B 'l''été':3 'c\\\\d':4A 'sans'")).toEqual([
      ['livraison', 1, 2],
      ['gratuit', 0, 1],
      ["l'été", 0, 1],
      ['c\\d', 1, 0],
      ['sans', 0, 1],
    ]);
    expect(parseTsvector('')).toEqual([]);
  });
});
