import { COMMERCE_LEXICON } from './commerce-lexicon.ts';
import type { Language } from './detect-language.ts';
import { REGION_WORDS } from './gazetteer.ts';
import { normalizeWords } from './normalize-words.ts';
import { QUESTION_WORDS } from './question-words.ts';
import { type QuestionReading, readQuestion } from './read-question.ts';
import { STOP_WORDS } from './stop-words.ts';

/** Words to look for besides a written one, and how much a passage that has only them counts. */
export interface RelatedWords {
  words: string[];
  /** In (0, 1): a share of what the written word itself would count. */
  weight: number;
  /** The written word is a place: read even when its name alone would be dropped ("UK"). */
  place?: boolean;
}

export interface RelatedWordOptions {
  /** Synonyms and related words from the commerce lexicon (default on). */
  lexicon?: boolean;
  /** The region words of places named (default on). */
  gazetteer?: boolean;
  /** Match the lexicon on exact word forms rather than stems (to measure stemming). */
  exactForms?: boolean;
}

/** A synonym stands in for the customer's word with a lower weight than the word itself. */
export const LEXICON_WEIGHT = 0.6;
/** A region answers for the place in it ("Europe" for "Italie") more surely than a synonym does. */
export const PLACE_WEIGHT = 0.8;

/** A question's expansion: related words per written word, and the words its subjects imply. */
export interface QueryExpansion {
  related: Map<string, RelatedWords[]>;
  /**
   * The name of each subject the question asks about ("livraison" for "je reçois ma commande"):
   * they rank the passages the question's words found (see QueryWord.implied).
   */
  implied: string[];
  /**
   * Subjects named only through words a retriever ignores ("où en est…" for tracking): their
   * name stands for them among the question's words, with its related words.
   */
  added: Map<string, RelatedWords[]>;
}

/**
 * Query expansion with the commerce lexicon and the gazetteer (see relatedWords), in the
 * question's language when it is known.
 */
export function expandQuery(
  query: string,
  lang: Language | undefined,
  options: RelatedWordOptions = {},
): QueryExpansion {
  const reading = readQuestion(query, { exactForms: options.exactForms === true });
  const related = relatedWords(reading, options);
  const implied: string[] = [];
  const added = new Map<string, RelatedWords[]>();
  if (options.lexicon === false) return { related, implied, added };
  for (const name of reading.subjects) {
    for (const word of CANONICAL.get(name)?.[lang ?? 'fr'] ?? [])
      if (!implied.includes(word)) implied.push(word);
  }
  for (const match of reading.concepts) {
    if (match.kind !== 'subject' || anchorsOf(reading, match.start, match.end).length > 0) continue;
    const words = EXPANSIONS.get(match.name) ?? [];
    for (const word of CANONICAL.get(match.name)?.[lang ?? 'fr'] ?? []) {
      added.set(word, [{ words: words.filter((w) => w !== word), weight: LEXICON_WEIGHT }]);
    }
  }
  return { related, implied: implied.filter((word) => !added.has(word)), added };
}

/**
 * Query expansion: for the words of a question (as normalizeWords() writes them), the related
 * words a passage may use instead.
 */
export function relatedWords(
  query: string | QuestionReading,
  options: RelatedWordOptions = {},
): Map<string, RelatedWords[]> {
  const reading =
    typeof query === 'string' ? readQuestion(query, { exactForms: options.exactForms === true }) : query;
  const related = new Map<string, RelatedWords[]>();
  const add = (anchor: string, group: RelatedWords & { place?: boolean }) => {
    const words = group.words.filter((word) => word !== anchor);
    if (words.length === 0) return;
    const list = related.get(anchor) ?? [];
    list.push({ ...group, words });
    related.set(anchor, list);
  };
  if (options.lexicon !== false) {
    for (const match of reading.concepts) {
      const words = EXPANSIONS.get(match.name) ?? [];
      for (const anchor of anchorsOf(reading, match.start, match.end))
        add(anchor, { words, weight: LEXICON_WEIGHT });
    }
  }
  if (options.gazetteer !== false) {
    for (const place of reading.places) {
      const words = normalizeWords([...REGION_WORDS[place.region], place.country].join(' '));
      const anchor = normalizeWords(
        reading.tokens
          .slice(place.start, place.end)
          .map((t) => t.text)
          .join(' '),
      ).join(' ');
      add(anchor || place.name, { words, weight: PLACE_WEIGHT, place: true });
    }
  }
  return related;
}

/** The written words of tokens [start, end) that a retriever reads (not question words). */
function anchorsOf(reading: QuestionReading, start: number, end: number): string[] {
  const text = reading.tokens
    .slice(start, end)
    .map((t) => t.text)
    .join(' ');
  return normalizeWords(text).filter((word) => !QUESTION_WORDS.has(word));
}

/** Each concept's name in each language: its first term's words. */
const CANONICAL = new Map(
  COMMERCE_LEXICON.map((concept) => {
    const name = (lang: Language) =>
      normalizeWords(concept[lang][0] ?? '').filter((w) => !STOP_WORDS.has(w) && !QUESTION_WORDS.has(w));
    return [concept.name, { fr: name('fr'), en: name('en') }];
  }),
);

/** Each concept's words of one word and keywords, both languages, without stop or question words. */
const EXPANSIONS = new Map(
  COMMERCE_LEXICON.map((concept) => {
    const single = [...concept.fr, ...concept.en].filter((term) => !/[\s'’-]/.test(term));
    return [
      concept.name,
      normalizeWords([...single, ...(concept.keywords ?? [])].join(' ')).filter(
        (word) => !STOP_WORDS.has(word) && !QUESTION_WORDS.has(word),
      ),
    ];
  }),
);
