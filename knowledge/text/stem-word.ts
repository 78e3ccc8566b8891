import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as frenchStemmer } from '@orama/stemmers/french';
import type { Language } from './detect-language.ts';

/**
 * The Snowball stem of a word in French or English (the algorithms Postgres's text search uses
 * for the knowledge), lower-case and without accents: "livrées" and "livrer" → "livr",
 * "shipped" and "shipping" → "ship". The word is stemmed with its accents (the French algorithm
 * reads them), which are dropped afterwards, so that a word typed without them stems alike.
 */
export function stemWord(word: string, lang: Language): string {
  const lower = word.toLowerCase();
  return stripAccents(lang === 'fr' ? frenchStemmer(lower) : englishStemmer(lower));
}

/** Lower-case text without accents or ligatures ("Œuvre" → "oeuvre"). */
export function stripAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase();
}
