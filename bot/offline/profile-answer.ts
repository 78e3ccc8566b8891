import type { Language } from '../../knowledge/text/detect-language.ts';
import type { QuestionReading } from '../../knowledge/text/read-question.ts';
import type { WeeklyHours } from '../../migrations/schema/index.ts';
import { localClock } from '../escalation/support-hours.ts';
import type { BusinessProfile, Tenant } from '../tenants/tenant-store.ts';
import { type DayReference, dayReferences } from './day-references.ts';

/** A question about the business itself, which its profile answers. */
export type ProfileQuestion =
  | { kind: 'phone' | 'email' | 'contact' | 'address' }
  | { kind: 'opening_hours' | 'support_hours'; days: DayReference[] };

/** Subjects that belong to the knowledge, not to the profile: "the phone number for returns". */
const KNOWLEDGE_SUBJECTS = new Set([
  'delivery',
  'delivery_cost',
  'delivery_time',
  'express',
  'returns',
  'refund',
  'exchange',
  'tracking',
  'payment',
  'sizes',
  'gift_card',
]);

const ASKS_WHEN = new Set(['quand', 'heure', 'heures', 'when', 'joignable', 'available']);

/**
 * Which fact of the profile a question asks for, if it asks for one: the phone number, the
 * e-mail, how to reach the business, its address, or its hours (on a given day, today, now).
 */
export function profileQuestion(reading: QuestionReading): ProfileQuestion | undefined {
  const subjects = new Set(reading.subjects);
  if ([...subjects].some((subject) => KNOWLEDGE_SUBJECTS.has(subject))) return undefined;
  const days = dayReferences(reading.tokens);
  const asksWhere = reading.tokens.some((t) => t.plain === 'ou' || t.plain === 'where');
  const asksWhen = reading.tokens.some((t) => ASKS_WHEN.has(t.plain));
  if (subjects.has('customer_service') && (subjects.has('opening_hours') || days.length > 0 || asksWhen)) {
    return { kind: 'support_hours', days };
  }
  if (subjects.has('opening_hours')) return { kind: 'opening_hours', days };
  if (subjects.has('phone')) return { kind: 'phone' };
  if (subjects.has('email')) return { kind: 'email' };
  if (subjects.has('address') || (subjects.has('shop') && asksWhere)) return { kind: 'address' };
  if (subjects.has('contact') || subjects.has('customer_service')) return { kind: 'contact' };
  return undefined;
}

/**
 * The answer to a profile question, precise to what was asked ("can I call you?" gets the phone
 * number, "open on Mondays?" the days the shop is closed and open), in the customer's language,
 * at `now` in the business's time zone. Undefined when the profile lacks the fact.
 */
export function profileAnswer(
  question: ProfileQuestion,
  business: { tenant: Tenant | undefined; profile: BusinessProfile | undefined },
  lang: Language,
  now: Date,
): string | undefined {
  const { profile } = business;
  if (!profile) return undefined;
  const fr = lang === 'fr';
  const supportHours = weeklyText(profile.supportHours, lang);
  const supportNote = supportHours
    ? fr
      ? ` Le service client répond ${supportHours.open}.`
      : ` Customer service answers ${supportHours.open}.`
    : '';
  switch (question.kind) {
    case 'phone':
      if (!profile.phone) return contactAnswer(profile, lang, supportNote);
      return fr
        ? `Vous pouvez nous appeler au ${profile.phone}.${supportNote}`
        : `You can call us on ${profile.phone}.${supportNote}`;
    case 'email':
      if (!profile.email) return contactAnswer(profile, lang, supportNote);
      return fr ? `Vous pouvez nous écrire à ${profile.email}.` : `You can email us at ${profile.email}.`;
    case 'contact':
      return contactAnswer(profile, lang, supportNote);
    case 'address':
      if (!profile.address) return undefined;
      return fr ? `Notre adresse : ${profile.address}.` : `Our address is ${profile.address}.`;
    case 'opening_hours':
    case 'support_hours': {
      const support = question.kind === 'support_hours' || isEmpty(profile.openingHours);
      const hours = support ? profile.supportHours : profile.openingHours;
      return hoursAnswer(hours, question.days, support, lang, profile.timezone, now);
    }
  }
}

function contactAnswer(profile: BusinessProfile, lang: Language, supportNote: string): string | undefined {
  const fr = lang === 'fr';
  if (profile.phone && profile.email) {
    return fr
      ? `Vous pouvez nous appeler au ${profile.phone} ou nous écrire à ${profile.email}.${supportNote}`
      : `You can call us on ${profile.phone} or email us at ${profile.email}.${supportNote}`;
  }
  if (profile.phone)
    return fr
      ? `Appelez-nous au ${profile.phone}.${supportNote}`
      : `Call us on ${profile.phone}.${supportNote}`;
  if (profile.email) return fr ? `Écrivez-nous à ${profile.email}.` : `Email us at ${profile.email}.`;
  return undefined;
}

const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_NAMES: Record<Language, string[]> = {
  fr: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** How each hours answer is phrased: the shop's ("we're open"), or customer service's. */
const PHRASES = {
  shop: {
    fr: {
      week: (open: string, closed: string) =>
        closed ? `Nous sommes ouverts ${open}, et fermés ${closed}.` : `Nous sommes ouverts ${open}.`,
      closedOn: (when: string, open: string) => `Nous sommes fermés ${when}, et ouverts ${open}.`,
      openOn: (when: string, times: string) => `${capitalise(when)}, nous sommes ouverts ${times}.`,
      openNow: (until: string) => `Oui, nous sommes ouverts en ce moment, jusqu'à ${until}.`,
      closedNow: 'Nous sommes fermés en ce moment.',
    },
    en: {
      week: (open: string, closed: string) =>
        closed ? `We're open ${open}; closed ${closed}.` : `We're open ${open}.`,
      closedOn: (when: string, open: string) => `We're closed ${when}; open ${open}.`,
      openOn: (when: string, times: string) => `${capitalise(when)} we're open ${times}.`,
      openNow: (until: string) => `Yes, we're open right now, until ${until}.`,
      closedNow: "We're closed right now.",
    },
  },
  support: {
    fr: {
      week: (open: string) => `Le service client répond ${open}.`,
      closedOn: (when: string, open: string) =>
        `Le service client ne répond pas ${when} ; il répond ${open}.`,
      openOn: (when: string, times: string) => `${capitalise(when)}, le service client répond ${times}.`,
      openNow: (until: string) => `Oui, le service client répond en ce moment, jusqu'à ${until}.`,
      closedNow: 'Le service client ne répond pas en ce moment.',
    },
    en: {
      week: (open: string) => `Customer service answers ${open}.`,
      closedOn: (when: string, open: string) =>
        `Customer service doesn't answer ${when}; it answers ${open}.`,
      openOn: (when: string, times: string) => `${capitalise(when)} customer service answers ${times}.`,
      openNow: (until: string) => `Yes, customer service is answering right now, until ${until}.`,
      closedNow: "Customer service isn't answering right now.",
    },
  },
} as const;

function hoursAnswer(
  hours: WeeklyHours,
  days: readonly DayReference[],
  support: boolean,
  lang: Language,
  timeZone: string,
  now: Date,
): string | undefined {
  const fr = lang === 'fr';
  const week = weeklyText(hours, lang);
  if (!week) return undefined;
  const say = PHRASES[support ? 'support' : 'shop'][lang];
  const summary = say.week(week.open, week.closed);
  const day = days[0];
  if (!day) return summary;
  const clock = localClock(now, timeZone);
  if (day.kind === 'now') {
    const current = rangesOf(hours, clock.weekday).find(
      ([from, to]) => clock.time >= from && clock.time < to,
    );
    return current ? say.openNow(current[1]) : `${say.closedNow} ${summary}`;
  }
  const weekday =
    day.kind === 'weekday' ? day.weekday : day.kind === 'today' ? clock.weekday : (clock.weekday + 1) % 7;
  const name = DAY_NAMES[lang][weekday]!;
  const when =
    day.kind === 'today'
      ? fr
        ? `aujourd'hui (${name})`
        : `today (${name})`
      : day.kind === 'tomorrow'
        ? fr
          ? `demain (${name})`
          : `tomorrow (${name})`
        : fr
          ? `le ${name}`
          : `on ${name}s`;
  const ranges = rangesOf(hours, weekday);
  if (ranges.length === 0) {
    // Asked about one closed weekday, the answer names every closed one, and when to come instead.
    return say.closedOn(day.kind === 'weekday' ? week.closed : when, week.open);
  }
  const times = ranges
    .map(([from, to]) => (fr && ranges.length === 1 ? `de ${from} à ${to}` : `${from}–${to}`))
    .join(fr ? ' et ' : ' and ');
  return say.openOn(when, times);
}

/**
 * The week in words: when it is open ("du mardi au samedi, 10:00–19:00" / "Tuesday to
 * Saturday 10:00–19:00") and which days it is closed ("le dimanche et le lundi" / "on Sundays
 * and Mondays"), the closed days in the order they follow the last open one.
 */
export function weeklyText(hours: WeeklyHours, lang: Language): { open: string; closed: string } | undefined {
  const fr = lang === 'fr';
  const names = DAY_NAMES[lang];
  // Monday first, as people read a week.
  const order = [1, 2, 3, 4, 5, 6, 0];
  const perDay = order.map((weekday) =>
    rangesOf(hours, weekday)
      .map(([from, to]) => `${from}–${to}`)
      .join(fr ? ' et ' : ' and '),
  );
  const groups: { first: number; last: number; text: string }[] = [];
  perDay.forEach((text, i) => {
    if (!text) return;
    const previous = groups.at(-1);
    if (previous && previous.last === i - 1 && previous.text === text) previous.last = i;
    else groups.push({ first: i, last: i, text });
  });
  if (groups.length === 0) return undefined;
  const dayName = (i: number) => names[order[i]!]!;
  const open = groups
    .map((g) => {
      if (g.first === g.last)
        return fr ? `le ${dayName(g.first)}, ${g.text}` : `${dayName(g.first)} ${g.text}`;
      return fr
        ? `du ${dayName(g.first)} au ${dayName(g.last)}, ${g.text}`
        : `${dayName(g.first)} to ${dayName(g.last)} ${g.text}`;
    })
    .join(fr ? ' ; ' : '; ');
  const lastOpen = order[groups.at(-1)!.last]!;
  const closedDays: number[] = [];
  for (let k = 1; k <= 7; k++) {
    const weekday = (lastOpen + k) % 7;
    if (rangesOf(hours, weekday).length === 0) closedDays.push(weekday);
  }
  const listed = closedDays.map((weekday) => (fr ? `le ${names[weekday]}` : `${names[weekday]}s`));
  const closed = listed.length === 0 ? '' : fr ? joinWords(listed, 'et') : `on ${joinWords(listed, 'and')}`;
  return { open, closed };
}

function rangesOf(hours: WeeklyHours, weekday: number): [string, string][] {
  return [...(hours[DAY_KEYS[weekday]!] ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
}

function isEmpty(hours: WeeklyHours): boolean {
  return !Object.values(hours).some((ranges) => ranges && ranges.length > 0);
}

function joinWords(words: string[], and: string): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${and} ${words.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
