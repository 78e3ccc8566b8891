/** How Postgres's text search configurations read one word (see analyze-query.ts). */
export interface WordAnalysis {
  /** A stop word of causette_fr / causette_en: it has no lexeme there. */
  stopFr: boolean;
  stopEn: boolean;
  /** Its lexemes under the French, English and plain configurations, without repeats. */
  lexemes: string[];
}

/**
 * Words already read by Postgres's text analysis, so a question made of known words needs no
 * analysis statement. The configurations are fixed by the migrations, so what a word reads as
 * never changes while the process runs; only memory bounds the cache, least recently used out.
 */
export class WordAnalysisCache {
  private readonly words = new Map<string, WordAnalysis>();

  constructor(private readonly maxWords = 200_000) {}

  get(word: string): WordAnalysis | undefined {
    const known = this.words.get(word);
    if (known) {
      // Most recently used last: a Map keeps insertion order.
      this.words.delete(word);
      this.words.set(word, known);
    }
    return known;
  }

  set(word: string, analysis: WordAnalysis): void {
    this.words.delete(word);
    this.words.set(word, analysis);
    if (this.words.size > this.maxWords) {
      const oldest = this.words.keys().next();
      if (!oldest.done) this.words.delete(oldest.value);
    }
  }

  get size(): number {
    return this.words.size;
  }
}
