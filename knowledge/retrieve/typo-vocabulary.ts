/** How similar (trigram) an unknown word must be to a known one to be read as a typo of it. */
export const TYPO_SIMILARITY = 0.4;

/**
 * The words of one tenant's knowledge (knowledge_terms), searchable by trigram similarity in
 * process. pg_trgm answers the same question, but only by computing the similarity of every word
 * of the tenant (its index is on the word alone, the tenant filter comes after): tens of
 * milliseconds per question at a few thousand words, hundreds under load. Here a trigram's list
 * of words is read instead, which touches only the words that share a trigram with the typo.
 */
export class TypoVocabulary {
  readonly revision: number;
  private readonly terms: string[];
  private readonly counts: Int32Array;
  private readonly gramCounts: Uint8Array;
  private readonly wordsOfGram = new Map<string, number[]>();
  /** Shared trigrams per word, reused across lookups and left zeroed after each. */
  private readonly shared: Uint8Array;

  constructor(terms: ReadonlyArray<readonly [term: string, chunkCount: number]>, revision: number) {
    this.revision = revision;
    this.terms = terms.map(([term]) => term);
    this.counts = Int32Array.from(terms, ([, count]) => count);
    this.gramCounts = new Uint8Array(terms.length);
    this.shared = new Uint8Array(terms.length);
    terms.forEach(([term], id) => {
      const grams = wordTrigrams(term);
      this.gramCounts[id] = Math.min(grams.size, 255);
      for (const gram of grams) {
        const list = this.wordsOfGram.get(gram);
        if (list) list.push(id);
        else this.wordsOfGram.set(gram, [id]);
      }
    });
  }

  get size(): number {
    return this.terms.length;
  }

  /**
   * The known word closest to `word` with a similarity of at least `minimum`, as pg_trgm's
   * similarity() measures it; the more widely used word wins a tie. Null when none is that close.
   */
  closest(word: string, minimum = TYPO_SIMILARITY): string | null {
    const grams = wordTrigrams(word);
    if (grams.size === 0) return null;
    const touched: number[] = [];
    for (const gram of grams) {
      const ids = this.wordsOfGram.get(gram);
      if (!ids) continue;
      for (const id of ids) {
        if (this.shared[id] === 0) touched.push(id);
        if (this.shared[id]! < 255) this.shared[id]! += 1;
      }
    }
    let best = -1;
    let bestSimilarity = 0;
    for (const id of touched) {
      const shared = this.shared[id]!;
      this.shared[id] = 0;
      const similarity = shared / (grams.size + this.gramCounts[id]! - shared);
      if (similarity < minimum) continue;
      if (
        similarity > bestSimilarity ||
        (similarity === bestSimilarity && this.counts[id]! > this.counts[best]!)
      ) {
        best = id;
        bestSimilarity = similarity;
      }
    }
    return best < 0 ? null : this.terms[best]!;
  }
}

/** pg_trgm's trigrams of one word: padded with two spaces before and one after. */
function wordTrigrams(word: string): Set<string> {
  const grams = new Set<string>();
  const padded = `  ${word} `;
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}
