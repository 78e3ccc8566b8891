/**
 * One chunk as the lexical index holds it: the lexemes of its search_vector (Postgres's French,
 * English or simple analysis, unaccented and stemmed) with their counts in the title and body.
 */
export interface IndexedChunk {
  id: string;
  title: string | null;
  /** Its language ('fr', 'en'), which decides how a visitor's question in another ranks it. */
  lang?: string | null;
  terms: [lexeme: string, titleCount: number, bodyCount: number][];
}

/** A query word with every lexeme it may have become in a chunk, whatever the chunk's language. */
export interface QueryWord {
  lexemes: string[];
  /**
   * Implied by the question's shape rather than written in it: it helps rank the chunks that
   * match the written words, but neither finds chunks on its own nor counts in coverage.
   * Implied words come after the written ones.
   */
  implied?: boolean;
  /**
   * Lexemes of related words (synonyms, a place's region) that a passage may use instead: a
   * passage with only those counts `weight` of what the word itself would.
   */
  related?: readonly { lexemes: readonly string[]; weight: number }[];
  /** How much the word counts, in a passage's BM25F and in its coverage of the question (default 1). */
  weight?: number;
}

export interface LexicalCandidate {
  chunkId: string;
  title: string | null;
  /** BM25F score: unbounded, comparable only within one query. */
  bm25: number;
  /** Share of the query's information (IDF-weighted words) found in the chunk, in [0, 1]. */
  coverage: number;
  /** Share found in the chunk's title. */
  titleCoverage: number;
}

export interface Bm25Parameters {
  k1: number;
  /** How much a title occurrence counts against a body occurrence. */
  titleWeight: number;
  /** Length normalisation of titles and of bodies. */
  titleB: number;
  bodyB: number;
}

export const DEFAULT_BM25: Bm25Parameters = { k1: 1.2, titleWeight: 3, titleB: 0.3, bodyB: 0.75 };

/** An index's content as flat arrays: postings of lexeme i follow those of lexemes before it. */
export interface LexicalIndexState {
  revision: number;
  ids: string[];
  titles: (string | null)[];
  langs: (string | null)[];
  lexemes: string[];
  postingLengths: Int32Array;
  slots: Int32Array;
  titleCounts: Uint16Array;
  bodyCounts: Uint16Array;
}

interface Scratch {
  bm25: Float64Array;
  matched: Float64Array;
  inTitle: Float64Array;
  /** -1 where the current word has not been seen. */
  wordBest: Float64Array;
  /** How much of the current word a chunk has: 1 for the word itself, a related word's weight. */
  wordCredit: Float64Array;
  wordTitle: Float64Array;
}

interface Posting {
  slots: number[];
  titleCounts: number[];
  bodyCounts: number[];
}

/**
 * A BM25F index of one tenant's chunks, in memory. Postgres analyses the text (its stemmers and
 * unaccent make the lexemes); this ranks, because Postgres's own ranking ignores how rare a word
 * is and how long a passage is. Chunks are added and removed one by one as the tenant's knowledge
 * changes; removed slots are dropped from the postings when they pile up.
 */
export class LexicalIndex {
  revision = 0;
  private readonly slotOf = new Map<string, number>();
  private ids: (string | null)[] = [];
  private titles: (string | null)[] = [];
  private langs: (string | null)[] = [];
  private titleLengths: number[] = [];
  private bodyLengths: number[] = [];
  private slotTerms: (string[] | null)[] = [];
  private postings = new Map<string, Posting>();
  private readonly documentFrequency = new Map<string, number>();
  private titleLengthSum = 0;
  private bodyLengthSum = 0;
  private dead = 0;
  private postingCount = 0;
  private buffers: Scratch | undefined;

  constructor(private readonly parameters: Bm25Parameters = DEFAULT_BM25) {}

  get size(): number {
    return this.slotOf.size;
  }

  /** Postings held, the measure of the index's memory. */
  get weight(): number {
    return this.postingCount;
  }

  /** How many chunks hold a lexeme. */
  frequency(lexeme: string): number {
    return this.documentFrequency.get(lexeme) ?? 0;
  }

  has(chunkId: string): boolean {
    return this.slotOf.has(chunkId);
  }

  /** The chunk's language; undefined when the index does not hold the chunk. */
  languageOf(chunkId: string): string | null | undefined {
    const slot = this.slotOf.get(chunkId);
    return slot === undefined ? undefined : (this.langs[slot] ?? null);
  }

  add(chunk: IndexedChunk): void {
    if (this.slotOf.has(chunk.id)) this.remove(chunk.id);
    const slot = this.ids.length;
    let titleLength = 0;
    let bodyLength = 0;
    const lexemes: string[] = [];
    for (const [lexeme, titleCount, bodyCount] of chunk.terms) {
      if (titleCount + bodyCount <= 0) continue;
      let posting = this.postings.get(lexeme);
      if (!posting) {
        posting = { slots: [], titleCounts: [], bodyCounts: [] };
        this.postings.set(lexeme, posting);
      }
      posting.slots.push(slot);
      posting.titleCounts.push(titleCount);
      posting.bodyCounts.push(bodyCount);
      this.documentFrequency.set(lexeme, (this.documentFrequency.get(lexeme) ?? 0) + 1);
      titleLength += titleCount;
      bodyLength += bodyCount;
      lexemes.push(lexeme);
    }
    this.slotOf.set(chunk.id, slot);
    this.ids.push(chunk.id);
    this.titles.push(chunk.title);
    this.langs.push(chunk.lang ?? null);
    this.titleLengths.push(titleLength);
    this.bodyLengths.push(bodyLength);
    this.slotTerms.push(lexemes);
    this.titleLengthSum += titleLength;
    this.bodyLengthSum += bodyLength;
    this.postingCount += lexemes.length;
  }

  remove(chunkId: string): void {
    const slot = this.slotOf.get(chunkId);
    if (slot === undefined) return;
    this.slotOf.delete(chunkId);
    for (const lexeme of this.slotTerms[slot] ?? []) {
      const df = (this.documentFrequency.get(lexeme) ?? 1) - 1;
      if (df <= 0) this.documentFrequency.delete(lexeme);
      else this.documentFrequency.set(lexeme, df);
    }
    this.titleLengthSum -= this.titleLengths[slot] ?? 0;
    this.bodyLengthSum -= this.bodyLengths[slot] ?? 0;
    this.ids[slot] = null;
    this.titles[slot] = null;
    this.langs[slot] = null;
    this.slotTerms[slot] = null;
    this.dead += 1;
    if (this.dead > 1000 && this.dead > this.slotOf.size / 4) this.compact();
  }

  /** The live chunks and their postings, numbered afresh, for a snapshot. */
  exportState(): LexicalIndexState {
    if (this.dead > 0) this.compact();
    const lexemes: string[] = [];
    const postingLengths = new Int32Array(this.postings.size);
    const slots = new Int32Array(this.postingCount);
    const titleCounts = new Uint16Array(this.postingCount);
    const bodyCounts = new Uint16Array(this.postingCount);
    let at = 0;
    for (const [lexeme, posting] of this.postings) {
      postingLengths[lexemes.length] = posting.slots.length;
      lexemes.push(lexeme);
      slots.set(posting.slots, at);
      titleCounts.set(posting.titleCounts, at);
      bodyCounts.set(posting.bodyCounts, at);
      at += posting.slots.length;
    }
    return {
      revision: this.revision,
      ids: this.ids.map((id) => id ?? ''),
      titles: [...this.titles],
      langs: [...this.langs],
      lexemes,
      postingLengths,
      slots,
      titleCounts,
      bodyCounts,
    };
  }

  /** An index from a snapshot's state: postings are taken as they are, not re-added chunk by chunk. */
  static fromState(state: LexicalIndexState, parameters: Bm25Parameters = DEFAULT_BM25): LexicalIndex {
    const index = new LexicalIndex(parameters);
    const count = state.ids.length;
    index.revision = state.revision;
    index.ids = [...state.ids];
    index.titles = [...state.titles];
    index.langs = [...state.langs];
    index.titleLengths = new Array<number>(count).fill(0);
    index.bodyLengths = new Array<number>(count).fill(0);
    index.slotTerms = Array.from({ length: count }, () => [] as string[]);
    state.ids.forEach((id, slot) => {
      index.slotOf.set(id, slot);
    });
    let at = 0;
    state.lexemes.forEach((lexeme, l) => {
      const length = state.postingLengths[l]!;
      const posting: Posting = {
        slots: Array.from(state.slots.subarray(at, at + length)),
        titleCounts: Array.from(state.titleCounts.subarray(at, at + length)),
        bodyCounts: Array.from(state.bodyCounts.subarray(at, at + length)),
      };
      at += length;
      for (let i = 0; i < length; i++) {
        const slot = posting.slots[i]!;
        index.titleLengths[slot]! += posting.titleCounts[i]!;
        index.bodyLengths[slot]! += posting.bodyCounts[i]!;
        index.slotTerms[slot]!.push(lexeme);
      }
      index.postings.set(lexeme, posting);
      index.documentFrequency.set(lexeme, length);
      index.postingCount += length;
    });
    for (let slot = 0; slot < count; slot++) {
      index.titleLengthSum += index.titleLengths[slot]!;
      index.bodyLengthSum += index.bodyLengths[slot]!;
    }
    return index;
  }

  /** The best `limit` chunks for the query words, by BM25F; only chunks that share a lexeme. */
  search(words: QueryWord[], limit: number): LexicalCandidate[] {
    const live = this.slotOf.size;
    if (live === 0 || words.length === 0) return [];
    const { k1, titleWeight, titleB, bodyB } = this.parameters;
    const averageTitle = Math.max(this.titleLengthSum / live, 1);
    const averageBody = Math.max(this.bodyLengthSum / live, 1);
    const idf = (df: number) => Math.log(1 + (live - df + 0.5) / (df + 0.5));
    const { bm25, matched, inTitle, wordBest, wordCredit, wordTitle } = this.scratch();
    const touched: number[] = [];
    const wordTouched: number[] = [];
    let totalWeight = 0;

    for (const word of words) {
      // A word that the knowledge never uses is as rare as a word can be: a question about
      // "voitures" is not answered by a passage that merely shares its verb.
      let df = 0;
      for (const lexeme of word.lexemes) df = Math.max(df, this.documentFrequency.get(lexeme) ?? 0);
      const wordIdf = idf(df);
      const boost = word.weight ?? 1;
      const weight = word.implied ? 0 : wordIdf * boost;
      totalWeight += weight;
      wordTouched.length = 0;
      // In a large index a word found in a fifth of the chunks tells them apart by little
      // (its IDF is under 1.7 where a rare word's is 8 or more) and costs the most to score:
      // it still counts in the question's total, so coverage stays honest.
      if (live >= 5000 && df > live / 5) continue;
      // Per chunk, the best of the word's lexemes (its French, English and plain forms), then of
      // its related words' at their lower weight.
      // A related word found in a passage is worth what the customer's word is (often a word
      // the knowledge never uses, so as rare as can be), at the relation's weight.
      const own = new Set(word.lexemes);
      const groups: { lexemes: Iterable<string>; weight: number }[] = [{ lexemes: own, weight: boost }];
      for (const group of word.related ?? []) {
        groups.push({
          lexemes: group.lexemes.filter((lexeme) => !own.has(lexeme)),
          weight: group.weight * boost,
        });
      }
      for (const group of groups) {
        for (const lexeme of new Set(group.lexemes)) {
          const posting = this.postings.get(lexeme);
          const lexemeDf = this.documentFrequency.get(lexeme);
          if (!posting || !lexemeDf) continue;
          const related = group.lexemes !== own;
          if (related && live >= 5000 && lexemeDf > live / 5) continue;
          const lexemeIdf = (related ? Math.max(idf(lexemeDf), wordIdf) : idf(lexemeDf)) * group.weight;
          const { slots: postingSlots, titleCounts, bodyCounts } = posting;
          for (let i = 0; i < postingSlots.length; i++) {
            const slot = postingSlots[i]!;
            if (this.ids[slot] === null) continue;
            const titleCount = titleCounts[i]!;
            const weighted =
              (titleWeight * titleCount) / (1 - titleB + (titleB * this.titleLengths[slot]!) / averageTitle) +
              bodyCounts[i]! / (1 - bodyB + (bodyB * this.bodyLengths[slot]!) / averageBody);
            const score = (lexemeIdf * weighted * (k1 + 1)) / (k1 + weighted);
            if (wordBest[slot]! < 0) wordTouched.push(slot);
            if (score > wordBest[slot]!) wordBest[slot] = score;
            const credit = related ? group.weight / boost : 1;
            if (credit > wordCredit[slot]!) wordCredit[slot] = credit;
            if (titleCount > 0 && credit > wordTitle[slot]!) wordTitle[slot] = credit;
          }
        }
      }
      for (const slot of wordTouched) {
        if (word.implied && matched[slot] === 0) {
          wordBest[slot] = -1;
          wordCredit[slot] = 0;
          wordTitle[slot] = 0;
          continue;
        }
        if (matched[slot] === 0) touched.push(slot);
        bm25[slot]! += wordBest[slot]!;
        matched[slot]! += weight * wordCredit[slot]!;
        inTitle[slot]! += weight * wordTitle[slot]!;
        wordBest[slot] = -1;
        wordCredit[slot] = 0;
        wordTitle[slot] = 0;
      }
    }
    const best = totalWeight > 0 ? topSlots(touched, bm25, limit) : [];
    const candidates = best.map((slot) => ({
      chunkId: this.ids[slot]!,
      title: this.titles[slot] ?? null,
      bm25: bm25[slot]!,
      coverage: Math.min(1, matched[slot]! / totalWeight),
      titleCoverage: Math.min(1, inTitle[slot]! / totalWeight),
    }));
    // The scratch arrays go back zeroed for the next question.
    for (const slot of touched) {
      bm25[slot] = 0;
      matched[slot] = 0;
      inTitle[slot] = 0;
    }
    return candidates;
  }

  /**
   * Per-slot accumulators, kept between searches: at tens of thousands of chunks, fresh arrays
   * for every question cost more (allocation, zeroing, garbage collection) than the scoring of
   * the few thousand postings a question reads. Searches are synchronous, so one set suffices.
   */
  private scratch(): Scratch {
    const slots = this.ids.length;
    if (!this.buffers || this.buffers.bm25.length < slots) {
      const size = Math.max(slots, Math.ceil((this.buffers?.bm25.length ?? 0) * 1.5), 64);
      this.buffers = {
        bm25: new Float64Array(size),
        matched: new Float64Array(size),
        inTitle: new Float64Array(size),
        wordBest: new Float64Array(size).fill(-1),
        wordCredit: new Float64Array(size),
        wordTitle: new Float64Array(size),
      };
    }
    return this.buffers;
  }

  /** Renumbers the live chunks, dropping removed ones from every posting list. */
  private compact(): void {
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: (string | null)[] = [];
    const titles: (string | null)[] = [];
    const langs: (string | null)[] = [];
    const titleLengths: number[] = [];
    const bodyLengths: number[] = [];
    const slotTerms: (string[] | null)[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === null || id === undefined) continue;
      renumber[slot] = ids.length;
      this.slotOf.set(id, ids.length);
      ids.push(id);
      titles.push(this.titles[slot] ?? null);
      langs.push(this.langs[slot] ?? null);
      titleLengths.push(this.titleLengths[slot] ?? 0);
      bodyLengths.push(this.bodyLengths[slot] ?? 0);
      slotTerms.push(this.slotTerms[slot] ?? []);
    }
    const postings = new Map<string, Posting>();
    let postingCount = 0;
    for (const [lexeme, posting] of this.postings) {
      const kept: Posting = { slots: [], titleCounts: [], bodyCounts: [] };
      for (let i = 0; i < posting.slots.length; i++) {
        const slot = renumber[posting.slots[i]!]!;
        if (slot < 0) continue;
        kept.slots.push(slot);
        kept.titleCounts.push(posting.titleCounts[i]!);
        kept.bodyCounts.push(posting.bodyCounts[i]!);
      }
      if (kept.slots.length > 0) {
        postings.set(lexeme, kept);
        postingCount += kept.slots.length;
      }
    }
    this.ids = ids;
    this.titles = titles;
    this.langs = langs;
    this.titleLengths = titleLengths;
    this.bodyLengths = bodyLengths;
    this.slotTerms = slotTerms;
    this.postings = postings;
    this.postingCount = postingCount;
    this.dead = 0;
  }
}

/**
 * The `limit` slots of highest score, best first. A bounded min-heap: a common word touches
 * thousands of chunks, of which only the first hundred are wanted.
 */
function topSlots(slots: number[], scores: Float64Array, limit: number): number[] {
  if (slots.length <= limit * 2) return [...slots].sort((a, b) => scores[b]! - scores[a]!).slice(0, limit);
  const heap: number[] = [];
  const less = (a: number, b: number) => scores[heap[a]!]! < scores[heap[b]!]!;
  const swap = (a: number, b: number) => {
    const t = heap[a]!;
    heap[a] = heap[b]!;
    heap[b] = t;
  };
  for (const slot of slots) {
    if (heap.length < limit) {
      heap.push(slot);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!less(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (scores[slot]! > scores[heap[0]!]!) {
      heap[0] = slot;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && less(left, smallest)) smallest = left;
        if (right < heap.length && less(right, smallest)) smallest = right;
        if (smallest === i) break;
        swap(i, smallest);
        i = smallest;
      }
    }
  }
  return heap.sort((a, b) => scores[b]! - scores[a]!);
}
