import { normalizeWords } from '../../knowledge/text/normalize-words.ts';

export type SmallTalk = 'greeting' | 'thanks' | 'goodbye' | 'human';

// Patterns run on lower-case, accent-free text.
const PATTERNS: [SmallTalk, RegExp][] = [
  [
    'human',
    /\b(humain|human|conseill(er|ere)|vendeu(r|se)|operat(eur|or)|agent|une? (vraie )?personne|real person|someone real|quelqu'?un de reel|service client|customer service)\b/g,
  ],
  [
    'goodbye',
    /\b(au revoir|a bientot|a plus|bonne (journee|soiree|fin de journee)|bye|goodbye|see you|have a nice day)\b/g,
  ],
  ['thanks', /\b(merci( beaucoup| bien)?|thanks?( you)?( so much| a lot)?|thx|ty|super merci)\b/g],
  ['greeting', /\b(bonjour|bonsoir|salut|coucou|hello|hi|hey|good (morning|afternoon|evening)|yo)\b/g],
];

// Words that carry no request once the small talk is removed.
const FILLER = new Set(
  'vous toi you there everyone all very much beaucoup bien tout tous les pour the and et oui yes non svp please stp encore again'.split(
    ' ',
  ),
);

/** Asking when a person is there ("le service client répond quand ?") is not asking for one. */
const ASKS_WHEN = /\b(quand|heures?|horaires?|ouvert|joignable|when|hours?|open|available)\b/;

const HUMAN_REQUEST =
  /\b(parler|talk|speak|contacter|joindre|avoir|veux|voudrais|want|need|besoin|passer|transf[eé]rer|connect)\b/;

/**
 * What kind of small talk a message is, if it is nothing else: "Bonjour !" is a greeting, but
 * "Bonjour, quels sont vos délais ?" is a question and gets an answer instead. A request for a
 * human counts even inside a longer sentence.
 */
export function detectSmallTalk(text: string): SmallTalk | undefined {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  let rest = plain;
  let found: SmallTalk | undefined;
  for (const [kind, pattern] of PATTERNS) {
    if (pattern.test(rest)) {
      found ??= kind;
      rest = rest.replace(pattern, ' ');
    }
    pattern.lastIndex = 0;
  }
  if (!found) return undefined;
  if (found === 'human' && ASKS_WHEN.test(plain)) return undefined;
  if (found === 'human' && (HUMAN_REQUEST.test(plain) || normalizeWords(rest).length <= 3)) return 'human';
  const leftover = normalizeWords(rest).filter((word) => !FILLER.has(word));
  if (leftover.length > 0) return undefined;
  return found;
}
