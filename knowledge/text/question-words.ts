import { normalizeWords } from './normalize-words.ts';

/**
 * Words that shape a question without saying what it is about ("how long does it take", "est-ce
 * que je peux"). They are ignored when judging how much of a question a passage answers, in
 * addition to each language's own stop words.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(
  normalizeWords(
    [
      // French
      'combien comment quand quel quelle quels quelles pourquoi où est-ce qu’est-ce quoi',
      'peux peut pouvez pouvons puis puisse voudrais voudrait veux veut voulez aimerais souhaite',
      'savoir dire expliquer faire fait faut prend prendre prennent temps avoir êtes suis sont',
      'possible svp merci bonjour aussi encore déjà vraiment alors donc bien chez',
      'sais sait fais faites allez genre général généralement exactement plutôt juste attendant',
      'dites-moi question demande besoin voir sinon salut coucou quelque chose truc',
      // English
      'how what when where which who whom whose why long much many take takes taking does did',
      'can could would should will shall may might must like know tell want need get got please',
      'there here also still really just about any some thanks hello there',
      'hi hey ask asking asks wondering wonder something anything thing usually generally exactly',
      'actually basically kind sort guess meanwhile',
    ].join(' '),
  ),
);
