import { OUT_OF_SCOPE } from '../intents/intent-classifier.ts';

export type LeadBand = 'hot' | 'warm' | 'cold';

/** What the score is made of; stored with every score change in lead_scores. */
export interface LeadSignals {
  purchase_intent: boolean;
  /** Intents seen in the conversation that show buying interest. */
  intents: string[];
  quantity_or_budget: string | null;
  urgency: string | null;
  contact: { email: boolean; phone: boolean; name: boolean; company: boolean };
}

export interface LeadScore {
  score: LeadBand;
  scoreValue: number;
  reasoning: string;
  source: 'rules' | 'llm';
}

const INTENT_POINTS: Record<string, number> = {
  purchase_interest: 35,
  booking: 20,
  pricing: 20,
  product_question: 10,
};
const BUY_WORDS =
  /\b(acheter|achat|commander|commande group[ée]e|devis|tarif pro|buy|purchase|order(?:ing)? \d|quote|quotation|bulk|en gros)\b/i;
const QUANTITY =
  /\b(\d[\d\s.,]*\s?(?:k?€|euros?|eur|\$|usd|dollars?|£|k\b)|(?:budget|enveloppe)\D{0,20}\d[\d\s.,]*|\d+\s?(?:pi[eè]ces?|unit[ée]s?|units?|pieces?|pcs|licen[cs]es?|postes?|seats?|personnes|people|employ[ée]e?s|salari[ée]s|exemplaires|copies|boxes|cartons?))/i;
const URGENCY =
  /\b(urgent|urgence|asap|au plus vite|rapidement|d[eè]s que possible|aujourd'hui|demain|cette semaine|avant (?:le|la|fin)|today|tomorrow|this week|immediately|right away|tout de suite|by (?:monday|tuesday|wednesday|thursday|friday|next week|the end))\b/i;

/** The signals of a whole conversation so far: its customer messages and their intents. */
export function leadSignals(
  messages: readonly { text: string; intent?: string | null }[],
  contact: LeadSignals['contact'],
): LeadSignals {
  const intents = new Set<string>();
  let quantity: string | null = null;
  let urgency: string | null = null;
  let buyWords = false;
  for (const message of messages) {
    if (message.intent && message.intent !== OUT_OF_SCOPE && INTENT_POINTS[message.intent] !== undefined) {
      intents.add(message.intent);
    }
    quantity ??= QUANTITY.exec(message.text)?.[0]?.trim() ?? null;
    urgency ??= URGENCY.exec(message.text)?.[0]?.trim() ?? null;
    buyWords ||= BUY_WORDS.test(message.text);
  }
  return {
    purchase_intent: intents.has('purchase_interest') || buyWords,
    intents: [...intents].sort(),
    quantity_or_budget: quantity,
    urgency,
    contact,
  };
}

/**
 * The rule-based score: points for buying interest, a quantity or budget, urgency and contact
 * details; hot from 70, warm from 40. The reasoning lists what counted, for a person to check.
 */
export function scoreLeadByRules(signals: LeadSignals): LeadScore {
  const reasons: string[] = [];
  let value = 0;
  const intentPoints = Math.max(0, ...signals.intents.map((i) => INTENT_POINTS[i] ?? 0));
  if (signals.purchase_intent) {
    value += Math.max(35, intentPoints);
    reasons.push('wants to buy (+35)');
  } else if (intentPoints > 0) {
    value += intentPoints;
    reasons.push(`asked about ${signals.intents.join(', ')} (+${intentPoints})`);
  }
  if (signals.quantity_or_budget) {
    value += 20;
    reasons.push(`quantity or budget "${signals.quantity_or_budget}" (+20)`);
  }
  if (signals.urgency) {
    value += 15;
    reasons.push(`urgency "${signals.urgency}" (+15)`);
  }
  const c = signals.contact;
  const contactPoints =
    Math.min(30, (c.email ? 15 : 0) + (c.phone ? 15 : 0)) + (c.name ? 5 : 0) + (c.company ? 10 : 0);
  if (contactPoints > 0) {
    value += contactPoints;
    const given = Object.entries(c)
      .filter(([, v]) => v)
      .map(([k]) => k);
    reasons.push(`gave ${given.join(', ')} (+${contactPoints})`);
  }
  const scoreValue = Math.min(100, value);
  return {
    score: bandOf(scoreValue),
    scoreValue,
    reasoning: reasons.join('; ') || 'no buying signal yet',
    source: 'rules',
  };
}

export function bandOf(value: number): LeadBand {
  if (value >= 70) return 'hot';
  if (value >= 40) return 'warm';
  return 'cold';
}
