import { normalizeWords } from '../text/normalize-words.ts';

/**
 * pg_trgm's similarity(), in process: the share of distinct three-letter sequences (each word
 * padded with two spaces before and one after) that two texts have in common. Used on the few
 * best candidates' titles, where a round trip would cost more than the arithmetic.
 */
export function trigramSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const gram of small) if (large.has(gram)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of normalizeWords(text)) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}
