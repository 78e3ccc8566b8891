import type { DayMessage } from './find-topics.ts';

/**
 * A day of customer messages for tests: known themes in French and English, each asked in many
 * wordings, plus one-off messages and small talk. Deterministic for a given seed.
 */
export interface GeneratedDay {
  messages: DayMessage[];
  /** Theme of each message id; "noise" and "smalltalk" for the rest. */
  themeOf: Map<string, string>;
}

export const THEMES: Record<string, { count: number; wordings: string[] }> = {
  delivery: {
    count: 30,
    wordings: [
      'Quand vais-je recevoir ma livraison ?',
      'Ma livraison est en retard, le colis devait arriver hier',
      'Où en est la livraison de mon colis ?',
      "Le colis n'est toujours pas arrivé, que se passe-t-il avec la livraison ?",
      'Quel est le délai de livraison pour la Belgique ?',
      'Je voudrais le suivi de livraison de mon colis',
      'Combien de jours pour la livraison en point relais ?',
      'Mon colis est bloqué, la livraison ne bouge plus',
      'La livraison express arrive en combien de temps ?',
      'Le suivi du colis ne marche pas, livraison prévue quand ?',
    ],
  },
  refund: {
    count: 24,
    wordings: [
      'How do I get a refund for my order?',
      'I want to return these shoes and get a refund',
      'My refund has still not arrived after the return',
      'Can I return an item after 30 days and be refunded?',
      'Where is my refund? I sent the return last week',
      'What is your return and refund policy?',
      'I returned the jacket, when will the refund be processed?',
      'Is the return shipping free, and how long for the refund?',
    ],
  },
  payment: {
    count: 18,
    wordings: [
      'Le paiement par carte est refusé',
      'Puis-je payer en plusieurs fois ? Paiement en 3x possible ?',
      'Acceptez-vous le paiement par PayPal ?',
      'Ma carte bancaire a été débitée deux fois pour le même paiement',
      'Erreur de paiement au moment de valider la carte',
      'Le paiement ne passe pas avec ma carte Visa',
    ],
  },
  size: {
    count: 15,
    wordings: [
      'What size should I take for the linen shirt?',
      'Does the dress run small? Which size do you recommend?',
      'Is there a size chart for the jackets?',
      'I am usually a medium, what size in your jeans?',
      'Do the sneakers run true to size?',
    ],
  },
  hours: {
    count: 12,
    wordings: [
      "Quels sont vos horaires d'ouverture ?",
      'La boutique est ouverte le dimanche ? horaires ?',
      'Horaires de la boutique le samedi',
      "Jusqu'à quelle heure la boutique est ouverte ce soir ? horaires",
    ],
  },
};

const NOISE = [
  "J'adore le logo de votre marque",
  'Do you sponsor local football clubs?',
  'Mon chat a mangé le carton, haha',
  'Is the founder on Instagram?',
  'Vous recrutez des stagiaires en marketing ?',
  'The weather in Lyon looks lovely today',
  'Quelle musique passe dans votre vidéo ?',
  'Can you recommend a good restaurant nearby?',
];

const SMALL_TALK = ['Bonjour', 'Merci beaucoup !', 'Hello', '👍', 'ok', 'Bonne journée'];

const PREFIXES = ['', '', 'Bonjour, ', 'Hello, ', 'Hi! ', 'Salut, '];
const SUFFIXES = ['', '', ' Merci', ' thanks', ' svp', ' 🙏'];

export function generateDay(seed = 42, idPrefix = 'm'): GeneratedDay {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const entries: { text: string; theme: string }[] = [];
  for (const [theme, { count, wordings }] of Object.entries(THEMES)) {
    for (let i = 0; i < count; i += 1) {
      const wording = wordings[i % wordings.length]!;
      const orderNumber = random() < 0.3 ? ` (commande ${10000 + Math.floor(random() * 89999)})` : '';
      entries.push({ text: `${pick(PREFIXES)}${wording}${orderNumber}${pick(SUFFIXES)}`, theme });
    }
  }
  for (const text of NOISE) entries.push({ text, theme: 'noise' });
  for (const text of SMALL_TALK) entries.push({ text, theme: 'smalltalk' });
  // The day's order: themes interleaved, as customers write.
  for (let i = entries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const themeOf = new Map<string, string>();
  const messages = entries.map((entry, i) => {
    const id = `${idPrefix}${String(i).padStart(4, '0')}`;
    themeOf.set(id, entry.theme);
    return { id, text: entry.text };
  });
  return { messages, themeOf };
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
