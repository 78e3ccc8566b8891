/**
 * The sparse features of a short text, as the intent classifier and the topic clusterer read it:
 * words, pairs of adjacent words, and character n-grams inside each word. Character n-grams make
 * the model tolerant of typos, plurals and French/English word forms it has not seen
 * ("livraisons", "remboursé", "refunded") without stemmers or a model download.
 */
export interface FeatureOptions {
  /** Smallest and largest character n-gram, boundaries included (" li", "ivr"…). */
  charMin: number;
  charMax: number;
  /** Adjacent word pairs ("track order"). */
  wordBigrams: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { charMin: 2, charMax: 4, wordBigrams: true };

/** Feature → raw count, for one text. */
export type FeatureCounts = Map<string, number>;

export function extractFeatures(
  text: string,
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): FeatureCounts {
  const counts: FeatureCounts = new Map();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const words = tokenize(text);
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    add(`w ${word}`);
    if (options.wordBigrams && i > 0) add(`b ${words[i - 1]} ${word}`);
    const padded = ` ${word} `;
    for (let n = options.charMin; n <= options.charMax; n += 1) {
      for (let start = 0; start + n <= padded.length; start += 1) add(`c${padded.slice(start, start + n)}`);
    }
  }
  // Emoji and symbols carry meaning ("👍", "😡") even in a message with no word at all.
  for (const symbol of text.match(/\p{Extended_Pictographic}/gu) ?? []) add(`e ${symbol}`);
  return counts;
}

/**
 * Lower-case words without accents; digits become 0 so that "order 12345" and "order 98765"
 * look alike. Elisions ("l'article", "what's") split into their parts.
 */
export function tokenize(text: string): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase()
    .replace(/\d/g, '0');
  return plain.match(/[\p{L}0-9]+/gu) ?? [];
}
