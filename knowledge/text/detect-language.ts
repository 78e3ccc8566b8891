export type Language = 'fr' | 'en';

// Short, frequent function words; together they identify French or English from a few words.
const FRENCH = new Set(
  (
    'le la les un une des du de et est sont je tu il elle nous vous ils elles mon ma mes ton ta ' +
    'votre vos notre nos ce cette ces que qui quoi quel quelle quels quelles est-ce pour dans sur avec ' +
    'sans pas ne plus mais ou où donc car au aux en y a ai avez avons suis êtes combien comment ' +
    'pourquoi quand bonjour merci salut bonsoir coucou revoir bientôt oui non svp stp'
  ).split(' '),
);
const ENGLISH = new Set(
  (
    'the a an and is are was were i you he she we they my your our their this that these those ' +
    'what which who how why when where for in on with without not no but or so to of at by do ' +
    'does did can could would should will have has had am be been hello hi thanks thank please ' +
    'yes it its me us bye goodbye hey'
  ).split(' '),
);

/**
 * French or English, from function words and accents; undefined when the text gives no clue
 * (an emoji, an order number, a single ambiguous word).
 */
export function detectLanguage(text: string): Language | undefined {
  const words = text.toLowerCase().match(/[\p{L}'-]+/gu) ?? [];
  let fr = 0;
  let en = 0;
  for (const raw of words) {
    const word = raw.replace(/^[a-z]'/, '');
    if (FRENCH.has(word)) fr += 1;
    if (ENGLISH.has(word)) en += 1;
    if (/[éèêàùçôîâœ]/.test(word)) fr += 0.5;
    if (/^[a-z]'/.test(raw)) fr += 0.5;
  }
  if (fr === en) return undefined;
  return fr > en ? 'fr' : 'en';
}

/**
 * Whether most of the text's letters are of another script than the Latin one (Cyrillic,
 * Greek, Arabic, Hebrew, Chinese…): French and English are never written so.
 */
export function writtenInOtherScript(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return false;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return latin * 2 < letters;
}
