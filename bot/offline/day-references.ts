import type { QuestionToken } from '../../knowledge/text/read-question.ts';

/** A day a customer asks about: a day of the week (0 = Sunday), today, tomorrow, or right now. */
export type DayReference =
  | { kind: 'weekday'; weekday: number }
  | { kind: 'today' }
  | { kind: 'tomorrow' }
  | { kind: 'now' };

const WEEKDAYS: Record<string, number> = {};
for (const [weekday, names] of [
  [0, 'dimanche dimanches sunday sundays'],
  [1, 'lundi lundis monday mondays'],
  [2, 'mardi mardis tuesday tuesdays'],
  [3, 'mercredi mercredis wednesday wednesdays'],
  [4, 'jeudi jeudis thursday thursdays'],
  [5, 'vendredi vendredis friday fridays'],
  [6, 'samedi samedis saturday saturdays'],
] as const) {
  for (const name of names.split(' ')) WEEKDAYS[name] = weekday;
}
const SINGLE: Record<string, DayReference> = {
  today: { kind: 'today' },
  tonight: { kind: 'today' },
  demain: { kind: 'tomorrow' },
  tomorrow: { kind: 'tomorrow' },
  maintenant: { kind: 'now' },
  actuellement: { kind: 'now' },
  now: { kind: 'now' },
  currently: { kind: 'now' },
};
const PAIRS: Record<string, DayReference> = {
  'aujourd hui': { kind: 'today' },
  'ce soir': { kind: 'today' },
  'ce moment': { kind: 'now' },
};

/** The days a question names ("le samedi", "open today?", "ouvert demain ?"), in order. */
export function dayReferences(tokens: readonly QuestionToken[]): DayReference[] {
  const found: DayReference[] = [];
  const add = (reference: DayReference) => {
    if (!found.some((f) => JSON.stringify(f) === JSON.stringify(reference))) found.push(reference);
  };
  for (const [i, token] of tokens.entries()) {
    const pair = PAIRS[`${token.plain} ${tokens[i + 1]?.plain ?? ''}`];
    if (pair) add(pair);
    const weekday = WEEKDAYS[token.plain];
    if (weekday !== undefined) add({ kind: 'weekday', weekday });
    const single = SINGLE[token.plain];
    if (single) add(single);
  }
  return found;
}
