import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_INTENT_NAMES, DEFAULT_INTENTS, OUT_OF_SCOPE_EXAMPLES } from './default-intents.ts';
import { type IntentClassifier, OUT_OF_SCOPE, trainIntentClassifier } from './intent-classifier.ts';

// Wordings that are not among the examples: the classifier has to generalise to them.
const UNSEEN: Record<string, { fr: string[]; en: string[] }> = {
  greeting: { fr: ['Bonsoir à vous, madame'], en: ['Hello there'] },
  thanks: { fr: ['Merci infiniment'], en: ['Thank you very much'] },
  goodbye: { fr: ['Bonne journée, au revoir'], en: ['Goodbye and have a nice day'] },
  human_agent: { fr: ['Je souhaite parler à un humain'], en: ['Can I talk to a human agent?'] },
  order_status: { fr: ['Où est mon colis ?'], en: ["Where's my package?"] },
  shipping: {
    fr: ['Combien de jours pour la livraison en France ?'],
    en: ['How many days is shipping to France?'],
  },
  returns_refund: { fr: ['Comment me faire rembourser ?'], en: ['How can I get a refund?'] },
  pricing: { fr: ['Quel est le prix de ce sac ?'], en: ['What is the price of this bag?'] },
  payment: { fr: ['Puis-je payer avec ma carte bancaire ?'], en: ['Can I pay by credit card?'] },
  opening_hours: { fr: ['Vous êtes ouverts le lundi ?'], en: ['Are you open on Mondays?'] },
  product_question: { fr: ['Ce modèle existe-t-il en bleu ?'], en: ['Does this model come in blue?'] },
  complaint: {
    fr: ['Je suis vraiment déçu, le colis est arrivé abîmé'],
    en: ['I am really disappointed, the box arrived damaged'],
  },
  booking: { fr: ['Je voudrais réserver un rendez-vous'], en: ["I'd like to book a meeting"] },
  purchase_interest: {
    fr: ['Je veux acheter 20 pièces pour ma société'],
    en: ['I want to buy 20 pieces for my company'],
  },
};

let classifier: IntentClassifier;

beforeAll(() => {
  const examples = DEFAULT_INTENTS.flatMap((intent) =>
    [...intent.examples.fr, ...intent.examples.en].map((text) => ({ text, intent: intent.name })),
  );
  for (const text of [...OUT_OF_SCOPE_EXAMPLES.fr, ...OUT_OF_SCOPE_EXAMPLES.en]) {
    examples.push({ text, intent: OUT_OF_SCOPE });
  }
  classifier = trainIntentClassifier(examples);
});

describe('the default intents', () => {
  it('cover every built-in intent with French and English examples', () => {
    expect(DEFAULT_INTENTS.map((i) => i.name).sort()).toEqual([...BUILTIN_INTENT_NAMES].sort());
    for (const intent of DEFAULT_INTENTS) {
      expect(intent.examples.fr.length, intent.name).toBeGreaterThanOrEqual(8);
      expect(intent.examples.en.length, intent.name).toBeGreaterThanOrEqual(8);
    }
  });

  for (const name of BUILTIN_INTENT_NAMES) {
    for (const lang of ['fr', 'en'] as const) {
      it(`recognises ${name} in ${lang === 'fr' ? 'French' : 'English'} wording it was not shown`, () => {
        for (const text of UNSEEN[name]![lang]) {
          const prediction = classifier.classify(text);
          expect({ text, intent: prediction.intent }).toEqual({ text, intent: name });
          // Sure enough to act on with the default threshold (bot settings' confidenceThreshold).
          expect({ text, confidence: prediction.confidence >= 0.5 }).toEqual({ text, confidence: true });
          expect(prediction.confidence).toBeLessThanOrEqual(1);
        }
      });
    }
  }

  it('calls clearly unrelated messages out of scope', () => {
    for (const text of ['Quelle est la hauteur de la tour Eiffel ?', 'Who painted the Mona Lisa?']) {
      expect({ text, intent: classifier.classify(text).intent }).toEqual({ text, intent: OUT_OF_SCOPE });
    }
  });
});
