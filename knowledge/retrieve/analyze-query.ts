import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/database.ts';
import type { Language } from '../text/detect-language.ts';
import { normalizeWords } from '../text/normalize-words.ts';
import { impliedTopicWords } from '../text/question-topics.ts';
import { QUESTION_WORDS } from '../text/question-words.ts';
import type { QueryWord } from './lexical-index.ts';
import type { WordAnalysisCache } from './word-analysis-cache.ts';

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
): Promise<AnalyzedQuery> {
  const { revision, words } = await analyzeQueries(tx, [{ query, lang }], cache);
  return { revision, words: words[0] ?? [] };
}

/**
 * analyzeQuery for several questions at once, in one statement. Words the cache knows are not
 * analysed again: questions made of known words cost one small statement, for the revision.
 */
export async function analyzeQueries(
  tx: Tx,
  queries: readonly { query: string; lang: Language | undefined }[],
  cache: WordAnalysisCache,
): Promise<{ revision: number; words: AnalyzedWord[][] }> {
  const read = queries.map(({ query }) => {
    const written = normalizeWords(query).filter((word) => !QUESTION_WORDS.has(word));
    const implied = new Set(impliedTopicWords(query).filter((word) => !written.includes(word)));
    return { words: [...written, ...implied], implied };
  });
  const unknown = [
    ...new Set(read.flatMap(({ words }) => words.filter((word) => cache.get(word) === undefined))),
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
  const words = read.map(({ words, implied }, i) => {
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
      analyzed.push({
        word,
        corrected: null,
        lexemes: analysis.lexemes,
        ...(implied.has(word) ? { implied: true } : {}),
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
