import { LRUCache } from 'lru-cache';

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
  private readonly words: LRUCache<string, WordAnalysis>;

  constructor(maxWords = 200_000) {
    this.words = new LRUCache({ max: maxWords });
  }

  get(word: string): WordAnalysis | undefined {
    return this.words.get(word);
  }

  set(word: string, analysis: WordAnalysis): void {
    this.words.set(word, analysis);
  }

  get size(): number {
    return this.words.size;
  }
}
