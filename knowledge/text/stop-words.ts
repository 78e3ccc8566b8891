import { normalizeWords } from './normalize-words.ts';

/**
 * French and English function words, lower-case and unaccented like normalizeWords() output. They
 * carry no topic, so the offline embedder leaves them out of its features.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  normalizeWords(
    [
      // French
      'les des une est sont pour dans sur avec sans pas plus mais donc car aux ces cette cet que qui',
      'quoi dont elle elles ils nous vous leur leurs mon mes ton tes son ses notre nos votre vos ete',
      'etre avoir avez avons ont fait faire peut peux pouvez tout tous toute toutes tres bien aussi',
      'comme entre chez par mes moi toi lui ceci cela ici sous vers ainsi alors encore deja meme',
      'quand comment combien pourquoi quel quelle quels quelles est-ce suis etes etait sera seront',
      // English
      'the and are was were you your yours she her hers him his its our ours they them their theirs',
      'this that these those what which who whom whose how why when where for with without not but',
      'from into onto about than then there here have has had having does did doing can could would',
      'should will shall may might must been being also just any some such very too only own same',
      'all each few more most other over under again further once both can only out off get got',
    ].join(' '),
  ),
);
