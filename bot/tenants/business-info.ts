import type { Language } from '../../knowledge/text/detect-language.ts';
import type { WeeklyHours } from '../../migrations/schema/index.ts';
import type { BusinessProfile, Tenant } from './tenant-store.ts';

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<Language, string[]> = {
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

/** "lundi : 09:00–18:00 ; samedi : 10:00–12:00, 14:00–18:00"; consecutive equal days are grouped. */
export function formatWeeklyHours(hours: WeeklyHours, lang: Language): string | undefined {
  const perDay = DAY_KEYS.map((key) => (hours[key] ?? []).map(([from, to]) => `${from}–${to}`).join(', '));
  const groups: { first: number; last: number; text: string }[] = [];
  perDay.forEach((text, day) => {
    if (!text) return;
    const previous = groups.at(-1);
    if (previous && previous.last === day - 1 && previous.text === text) previous.last = day;
    else groups.push({ first: day, last: day, text });
  });
  if (groups.length === 0) return undefined;
  const names = DAY_NAMES[lang];
  return groups
    .map((g) => {
      const days =
        g.first === g.last
          ? names[g.first]
          : `${names[g.first]}${lang === 'fr' ? ' au ' : '–'}${names[g.last]}`;
      return `${days}${lang === 'fr' ? ' : ' : ': '}${g.text}`;
    })
    .join(lang === 'fr' ? ' ; ' : '; ');
}

/** The business's hours, address and contact details, as a few sentences in the visitor's language. */
export function businessInfoText(
  tenant: Tenant | undefined,
  profile: BusinessProfile | undefined,
  lang: Language,
): string | undefined {
  if (!profile) return undefined;
  const lines: string[] = [];
  const opening = formatWeeklyHours(profile.openingHours, lang);
  const support = formatWeeklyHours(profile.supportHours, lang);
  const name = tenant?.name ?? (lang === 'fr' ? 'Nous' : 'We');
  if (opening)
    lines.push(
      lang === 'fr' ? `Horaires d'ouverture de ${name} : ${opening}.` : `${name} opening hours: ${opening}.`,
    );
  if (support && support !== opening) {
    lines.push(lang === 'fr' ? `Service client : ${support}.` : `Customer service: ${support}.`);
  }
  if (profile.address)
    lines.push(lang === 'fr' ? `Adresse : ${profile.address}.` : `Address: ${profile.address}.`);
  const contact = [profile.phone, profile.email].filter(Boolean).join(', ');
  if (contact) lines.push(lang === 'fr' ? `Contact : ${contact}.` : `Contact: ${contact}.`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}
