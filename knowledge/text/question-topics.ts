import { normalizeWords } from './normalize-words.ts';

/**
 * Some question shapes say what they are about only through words that are otherwise dropped as
 * question words: "combien de temps…" asks for a delay, "how much…" for a price. A knowledge base
 * words its answers with the topic ("délais de livraison", "price"), so each shape adds those
 * topic words to the query instead.
 */
const SHAPES: ReadonlyArray<{ phrases: string[]; topicWords: string }> = [
  {
    phrases: [
      'combien de temps',
      'en combien de jours',
      'quel delai',
      'quels delais',
      'sous combien de jours',
    ],
    topicWords: 'délai délais durée',
  },
  {
    phrases: [
      'combien coute',
      'combien ca coute',
      'combien cela coute',
      'quel prix',
      'quel tarif',
      'c est combien',
    ],
    topicWords: 'prix tarif frais coût',
  },
  { phrases: ['how long'], topicWords: 'time' },
  { phrases: ['how much'], topicWords: 'price cost fee' },
];

const NORMALIZED = SHAPES.map((shape) => ({
  phrases: shape.phrases.map((phrase) => ` ${normalizeWords(phrase).join(' ')} `),
  topicWords: normalizeWords(shape.topicWords),
}));

/** The topic words implied by the question's shape, not already among its words. */
export function impliedTopicWords(query: string): string[] {
  const words = normalizeWords(query.replace(/[’']/g, ' '));
  // normalizeWords drops words under three letters ("de", "ca"): compare on what it keeps.
  const text = ` ${words.join(' ')} `;
  const implied: string[] = [];
  for (const shape of NORMALIZED) {
    if (!shape.phrases.some((phrase) => text.includes(phrase))) continue;
    for (const word of shape.topicWords)
      if (!words.includes(word) && !implied.includes(word)) implied.push(word);
  }
  return implied;
}
