import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/database.ts';
import type { Language } from '../text/detect-language.ts';
import { normalizeWords } from '../text/normalize-words.ts';
import { impliedTopicWords } from '../text/question-topics.ts';
import { QUESTION_WORDS } from '../text/question-words.ts';
import {
  expandQuery,
  LEXICON_WEIGHT,
  type RelatedWordOptions,
  type RelatedWords,
} from '../text/related-words.ts';
import type { QueryWord } from './lexical-index.ts';
import type { WordAnalysisCache } from './word-analysis-cache.ts';

/** A word carried over from the conversation counts half as much as one the customer just wrote. */
export const CONTEXT_WEIGHT = 0.5;

export interface AnalyzedWord extends QueryWord {
  word: string;
  /** The known word it was read as, when it was a typo. */
  corrected: string | null;
}

export interface AnalyzedQuery {
  /** The tenant's knowledge revision seen by this transaction. */
  revision: number;
  words: AnalyzedWord[];
}

interface WordRow extends Record<string, unknown> {
  word: string | null;
  stop_fr: boolean;
  stop_en: boolean;
  fr: string[] | null;
  en: string[] | null;
  simple: string[] | null;
  revision: number | string | null;
}

/**
 * Reads a question the way the chunks were indexed: its words, without the words that only shape
 * a question but with the topic words their shape implies, each with its lexemes under the
 * French, English and plain configurations (a chunk is stemmed in its own language). Stop words
 * of the visitor's language are dropped. Also returns the tenant's knowledge revision.
 */
export async function analyzeQuery(
  tx: Tx,
  query: string,
  lang: Language | undefined,
  cache: WordAnalysisCache,
  expansion: RelatedWordOptions = {},
): Promise<AnalyzedQuery> {
  const { revision, words } = await analyzeQueries(tx, [{ query, lang }], cache, expansion);
  return { revision, words: words[0] ?? [] };
}

/**
 * analyzeQuery for several questions at once, in one statement. Words the cache knows are not
 * analysed again: questions made of known words cost one small statement, for the revision.
 * Each written word comes with the lexemes of its related words (see related-words.ts), unless
 * `expansion` turns them off.
 */
export async function analyzeQueries(
  tx: Tx,
  queries: readonly { query: string; lang: Language | undefined; context?: string | undefined }[],
  cache: WordAnalysisCache,
  expansion: RelatedWordOptions = {},
): Promise<{ revision: number; words: AnalyzedWord[][] }> {
  const expand = expansion.lexicon !== false || expansion.gazetteer !== false;
  const none = () => ({
    related: new Map<string, RelatedWords[]>(),
    implied: [] as string[],
    added: new Map<string, RelatedWords[]>(),
  });
  const read = queries.map(({ query, lang, context }) => {
    const expanded = expand ? expandQuery(query, lang, expansion) : none();
    const carried = context && expand ? expandQuery(context, lang, expansion) : none();
    const related = new Map([...carried.related, ...expanded.related, ...expanded.added]);
    const written = normalizeWords(query).filter((word) => !QUESTION_WORDS.has(word));
    // A place is read even when its name alone would be dropped ("UK"), and so is a subject
    // named only by question words ("où en est…").
    for (const [word, groups] of expanded.related)
      if (!written.includes(word) && groups.some((group) => group.place)) written.push(word);
    for (const word of expanded.added.keys()) if (!written.includes(word)) written.push(word);
    // The conversation's words count less than the question's own.
    const contextual = new Set<string>();
    for (const word of normalizeWords(context ?? '')) {
      if (QUESTION_WORDS.has(word) || written.includes(word)) continue;
      written.push(word);
      contextual.add(word);
    }
    const shaped = impliedTopicWords(query).filter((word) => !written.includes(word));
    const named = expanded.implied.filter((word) => !written.includes(word) && !shaped.includes(word));
    const implied = new Set([...shaped, ...named]);
    return { words: [...written, ...implied], implied, named: new Set(named), contextual, related };
  });
  const unknown = [
    ...new Set(
      read.flatMap(({ words, related }) =>
        [...words, ...[...related.values()].flat().flatMap((group) => group.words)].filter(
          (word) => cache.get(word) === undefined,
        ),
      ),
    ),
  ];
  let revision: number;
  if (unknown.length === 0) {
    const [row] = await queryRows<{ revision: number | string }>(
      tx,
      sql`select revision from knowledge_revisions`,
    );
    revision = Number(row?.revision ?? 0);
  } else {
    const rows = await queryRows<WordRow>(
      tx,
      sql`
        select q.word,
               to_tsvector('causette_fr', q.word) = ''::tsvector as stop_fr,
               to_tsvector('causette_en', q.word) = ''::tsvector as stop_en,
               ${lexemesOf(sql`q.word`)},
               (select revision from knowledge_revisions) as revision
        from (select null::text as word union all
              select * from json_array_elements_text(${JSON.stringify(unknown)}::json)) as q(word)
      `,
    );
    // The null row is there so the revision comes back even for a question of stop words only.
    revision = Number(rows.find((row) => row.word === null)?.revision ?? 0);
    for (const row of rows) {
      if (row.word !== null)
        cache.set(row.word, { stopFr: row.stop_fr, stopEn: row.stop_en, lexemes: lexemeSet(row) });
    }
  }
  const words = read.map(({ words, implied, named, contextual, related }, i) => {
    const lang = queries[i]!.lang;
    const analyzed: AnalyzedWord[] = [];
    for (const word of words) {
      const analysis = cache.get(word);
      if (!analysis) continue;
      const stop =
        lang === 'fr'
          ? analysis.stopFr
          : lang === 'en'
            ? analysis.stopEn
            : analysis.stopFr && analysis.stopEn;
      if (stop || analysis.lexemes.length === 0) continue;
      const groups = (related.get(word) ?? []).map((group) => ({
        weight: group.weight,
        lexemes: [...new Set(group.words.flatMap((w) => cache.get(w)?.lexemes ?? []))],
      }));
      analyzed.push({
        word,
        corrected: null,
        lexemes: analysis.lexemes,
        ...(implied.has(word) ? { implied: true } : {}),
        // A subject's name ranks with a synonym's weight: the customer did not write it.
        ...(named.has(word)
          ? { weight: LEXICON_WEIGHT }
          : contextual.has(word)
            ? { weight: CONTEXT_WEIGHT }
            : {}),
        ...(groups.length > 0 ? { related: groups } : {}),
      });
    }
    // The index reads implied words last, once the written ones have found their chunks.
    analyzed.sort((a, b) => Number(a.implied ?? false) - Number(b.implied ?? false));
    return analyzed;
  });
  return { revision, words };
}

/**
 * The lexemes of the known words that unknown ones were read as (see TypoVocabulary), so
 * "livrasion" finds "livraison": `fixes` maps each written word to its correction.
 */
export async function correctedWords(tx: Tx, fixes: Map<string, string>): Promise<Map<string, AnalyzedWord>> {
  if (fixes.size === 0) return new Map();
  const pairs = [...fixes].map(([word, fixed]) => ({ word, fixed }));
  const rows = await queryRows<WordRow & { fixed: string }>(
    tx,
    sql`
      select q.word, q.fixed, false as stop_fr, false as stop_en, ${lexemesOf(sql`q.fixed`)}
      from json_to_recordset(${JSON.stringify(pairs)}::json) as q(word text, fixed text)
    `,
  );
  const corrected = new Map<string, AnalyzedWord>();
  for (const row of rows) {
    const lexemes = lexemeSet(row);
    if (row.word && lexemes.length > 0)
      corrected.set(row.word, { word: row.word, corrected: row.fixed, lexemes });
  }
  return corrected;
}

function lexemesOf(word: ReturnType<typeof sql>) {
  return sql`array(select lexeme from unnest(to_tsvector('causette_fr', ${word}))) as fr,
             array(select lexeme from unnest(to_tsvector('causette_en', ${word}))) as en,
             array(select lexeme from unnest(to_tsvector('causette_simple', ${word}))) as simple`;
}

function lexemeSet(row: WordRow): string[] {
  return [...new Set([...(row.fr ?? []), ...(row.en ?? []), ...(row.simple ?? [])])];
}
