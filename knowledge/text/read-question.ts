import { COMMERCE_LEXICON, type ConceptDefinition } from './commerce-lexicon.ts';
import type { Language } from './detect-language.ts';
import { PLACES, type Region } from './gazetteer.ts';
import { stemWord, stripAccents } from './stem-word.ts';

/** A word of the question, as written and as each language's stemmer reads it. */
export interface QuestionToken {
  /** Lower-case, accents kept. */
  text: string;
  /** Lower-case, without accents: how normalizeWords() writes it. */
  plain: string;
  fr: string;
  en: string;
  capitalised: boolean;
}

export interface ConceptMatch {
  name: string;
  kind: ConceptDefinition['kind'];
  /** Tokens [start, end) it was read from. */
  start: number;
  end: number;
}

export interface PlaceMatch {
  /** The name as matched, e.g. "pays bas". */
  name: string;
  country: string;
  region: Region;
  start: number;
  end: number;
}

export interface QuestionReading {
  tokens: QuestionToken[];
  concepts: ConceptMatch[];
  places: PlaceMatch[];
  /** Subjects asked about, those implied by others included ("express" implies "delivery"). */
  subjects: string[];
  /** Aspects asked of them (price, duration…), implied ones included. */
  aspects: string[];
  /** It opens like a follow-up: "et…", "and…", "what about…". */
  followUpMarker: boolean;
}

export interface ReadOptions {
  /** Match the lexicon's words on their exact forms instead of their stems (to measure stemming). */
  exactForms?: boolean;
}

/**
 * What a customer's message is about, read with the commerce lexicon and the gazetteer: the
 * concepts its words name (matched on Snowball stems in French and English, the longest term
 * first) and the places it names.
 */
export function readQuestion(text: string, options: ReadOptions = {}): QuestionReading {
  const tokens = tokenize(text);
  const places = matchPlaces(tokens);
  const taken = new Set<number>();
  for (const place of places) for (let i = place.start; i < place.end; i++) taken.add(i);
  const concepts = matchConcepts(tokens, taken, options.exactForms === true);
  const subjects = new Set<string>();
  const aspects = new Set<string>();
  const add = (name: string) => {
    const concept = CONCEPTS.get(name);
    if (!concept) return;
    (concept.kind === 'subject' ? subjects : aspects).add(name);
    for (const implied of concept.implies ?? []) add(implied);
  };
  for (const match of concepts) add(match.name);
  const first = tokens[0]?.plain;
  const second = tokens[1]?.plain;
  const followUpMarker =
    first === 'et' ||
    first === 'and' ||
    ((first === 'what' || first === 'how') && second === 'about') ||
    ((first === 'ok' || first === 'okay' || first === 'merci' || first === 'thanks') &&
      (second === 'et' || second === 'and'));
  return { tokens, concepts, places, subjects: [...subjects], aspects: [...aspects], followUpMarker };
}

/** The concept of a name, from the lexicon. */
export function conceptNamed(name: string): ConceptDefinition | undefined {
  return CONCEPTS.get(name);
}

/** Words of a question; elisions and hyphens separate them ("l'article", "e-mail"). */
export function tokenize(text: string): QuestionToken[] {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((word) => {
    const lower = word.toLowerCase();
    return {
      text: lower,
      plain: stripAccents(lower),
      fr: stemWord(lower, 'fr'),
      en: stemWord(lower, 'en'),
      capitalised: word[0] !== lower[0],
    };
  });
}

interface CompiledTerm {
  concept: ConceptDefinition;
  /** Stems of the term's words in its language, or their plain forms for exact matching. */
  stems: string[];
  plain: string[];
  lang: Language;
}

const CONCEPTS = new Map(COMMERCE_LEXICON.map((concept) => [concept.name, concept]));

/** Terms indexed by their first word's stem and plain form, per language. */
const TERMS = (() => {
  const byFirst = new Map<string, CompiledTerm[]>();
  const add = (key: string, term: CompiledTerm) => {
    const list = byFirst.get(key) ?? [];
    list.push(term);
    byFirst.set(key, list);
  };
  for (const concept of COMMERCE_LEXICON) {
    for (const lang of ['fr', 'en'] as const) {
      for (const written of concept[lang]) {
        const words = tokenize(written);
        if (words.length === 0) continue;
        const term: CompiledTerm = {
          concept,
          lang,
          stems: words.map((w) => w[lang]),
          plain: words.map((w) => w.plain),
        };
        add(`${lang}:${term.stems[0]}`, term);
        add(`plain:${term.plain[0]}`, term);
      }
    }
  }
  return byFirst;
})();

function matchConcepts(tokens: QuestionToken[], taken: ReadonlySet<number>, exact: boolean): ConceptMatch[] {
  const matches: ConceptMatch[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (taken.has(i)) {
      i += 1;
      continue;
    }
    const token = tokens[i]!;
    const candidates = exact
      ? (TERMS.get(`plain:${token.plain}`) ?? [])
      : [...(TERMS.get(`fr:${token.fr}`) ?? []), ...(TERMS.get(`en:${token.en}`) ?? [])];
    // The longest term wins; among terms as long, one written exactly as the customer wrote it
    // beats one that only shares its stem ("payant" is a price, though it stems like "payer").
    let longest = 0;
    let exactFound = false;
    const found: ConceptDefinition[] = [];
    for (const term of candidates) {
      const length = term.stems.length;
      if (length < longest || i + length > tokens.length) continue;
      let fits = true;
      let same = true;
      for (let k = 0; k < length && fits; k++) {
        const at = tokens[i + k]!;
        const plainEqual = at.plain === term.plain[k];
        same &&= plainEqual;
        if (taken.has(i + k)) fits = false;
        else fits = plainEqual || (!exact && at[term.lang] === term.stems[k]);
      }
      // One letter is too little to go on alone ("m", "s"), as a size or a pronoun.
      if (!fits || (length === 1 && token.plain.length < 2)) continue;
      if (length > longest || (same && !exactFound)) {
        longest = length;
        exactFound = same;
        found.length = 0;
      } else if (exactFound && !same) {
        continue;
      }
      if (!found.includes(term.concept)) found.push(term.concept);
    }
    if (longest === 0) {
      i += 1;
      continue;
    }
    for (const concept of found)
      matches.push({ name: concept.name, kind: concept.kind, start: i, end: i + longest });
    i += longest;
  }
  return matches;
}

interface CompiledPlace {
  words: string[];
  country: string;
  region: Region;
  capitalised: boolean;
}

const PLACE_NAMES = (() => {
  const byFirst = new Map<string, CompiledPlace[]>();
  for (const place of PLACES) {
    for (const name of place.names) {
      const words = tokenize(name).map((t) => t.plain);
      if (words.length === 0) continue;
      const list = byFirst.get(words[0]!) ?? [];
      list.push({
        words,
        country: place.country,
        region: place.region,
        capitalised: place.capitalised === true,
      });
      byFirst.set(words[0]!, list);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return byFirst;
})();

function matchPlaces(tokens: QuestionToken[]): PlaceMatch[] {
  const matches: PlaceMatch[] = [];
  let i = 0;
  while (i < tokens.length) {
    const place = PLACE_NAMES.get(tokens[i]!.plain)?.find(
      (candidate) =>
        i + candidate.words.length <= tokens.length &&
        candidate.words.every((word, k) => tokens[i + k]!.plain === word) &&
        (!candidate.capitalised || tokens[i]!.capitalised),
    );
    if (!place) {
      i += 1;
      continue;
    }
    const end = i + place.words.length;
    matches.push({
      name: place.words.join(' '),
      country: place.country,
      region: place.region,
      start: i,
      end,
    });
    i = end;
  }
  return matches;
}
