import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js';

/** Contact details and need found in one message; absent fields were not found. */
export interface LeadDetails {
  name?: string;
  email?: string;
  /** E.164 (+33612345678). */
  phone?: string;
  company?: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const NAME_WORD = "[A-ZÀ-Ý][a-zà-ÿ'-]+";
const NAME = `(${NAME_WORD}(?:[ -]${NAME_WORD}){0,2})`;
// Phrases that introduce a name in any case ("je m'appelle marie"), then ones that only do with
// a capital ("je suis Marie" but not "je suis intéressée").
const NAME_ANY_CASE = [
  /\b(?:je m'appelle|je m’appelle|mon nom est|mon nom c'est|my name is|my name's|name:|nom ?:)\s+([\p{L}'-]+(?:[ -][\p{L}'-]+){0,2})/iu,
];
const NAME_CAPITALISED = [
  new RegExp(`\\b(?:[Jj]e suis|[Cc]'est|[Ii]'m|[Ii] am|[Tt]his is|[Ii]ci)\\s+${NAME}`, 'u'),
  new RegExp(`^(?:[Mm]oi c'est|[Bb]onjour,? (?:c'est|je suis))\\s+${NAME}`, 'u'),
];
const NOT_NAMES = new Set(
  'intéressé intéressée interested looking ready pressé pressée client cliente désolé désolée sorry here there ici bien well très very'.split(
    ' ',
  ),
);
const COMPANY_WORD = "[\\p{Lu}\\p{N}][\\p{L}\\p{N}&'-]*(?:\\.[\\p{L}\\p{N}]+)*";
const COMPANY = [
  new RegExp(
    `\\b(?:(?:de |pour )?la (?:société|boîte|boite|start-?up|marque)|(?:de |pour )?l'entreprise|notre (?:société|entreprise|boîte)|chez|company|for|from|at|with)\\s+(${COMPANY_WORD}(?:\\s+${COMPANY_WORD}){0,3})`,
    'u',
  ),
  new RegExp(
    `\\b((?:${COMPANY_WORD}\\s){0,3}${COMPANY_WORD})\\s+(?:SAS|SARL|SA|EURL|SASU|Inc\\.?|Ltd\\.?|LLC|GmbH|SRL|BV)\\b`,
    'u',
  ),
];
const NOT_COMPANIES = new Set([
  'Paris',
  'France',
  'Lyon',
  'London',
  'Monday',
  'Lundi',
  'I',
  'The',
  'Le',
  'La',
  'Les',
]);

/**
 * The contact details in a customer's message: email, phone (parsed and normalised with
 * libphonenumber-js, the tenant's country as default), name and company from the usual phrasings
 * in French and English. Visitor text is only read, never trusted as instructions.
 */
export function extractLeadDetails(text: string, defaultCountry: CountryCode): LeadDetails {
  const details: LeadDetails = {};
  const email = EMAIL.exec(text)?.[0];
  if (email) details.email = email.toLowerCase().slice(0, 255);
  const phone = findPhoneNumbersInText(text, { defaultCountry }).find((p) => p.number.isValid());
  if (phone) details.phone = phone.number.number;
  const name = findName(text);
  if (name) details.name = name;
  for (const pattern of COMPANY) {
    const company = pattern.exec(text)?.[1]?.trim();
    if (company && !NOT_COMPANIES.has(company) && !company.includes('@') && company !== details.name) {
      details.company = company.slice(0, 255);
      break;
    }
  }
  return details;
}

function findName(text: string): string | undefined {
  for (const pattern of [...NAME_ANY_CASE, ...NAME_CAPITALISED]) {
    const match = pattern.exec(text)?.[1]?.trim();
    if (!match) continue;
    const words = match.split(/\s+/).filter((w) => !NOT_NAMES.has(w.toLowerCase()));
    // Stop at the first word that cannot be part of a name ("Marie et je voudrais…").
    const kept: string[] = [];
    for (const word of words) {
      if (/^(et|and|de|from|chez|at|pour|for|with|avec)$/i.test(word)) break;
      kept.push(word);
    }
    if (kept.length === 0) continue;
    return kept
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
      .slice(0, 255);
  }
  return undefined;
}

/** The country phone numbers are read in by default, from the tenant's time zone. */
export function countryOfTimeZone(
  timeZone: string | null | undefined,
  language: string | null | undefined,
): CountryCode {
  const byZone: Record<string, CountryCode> = {
    'Europe/Paris': 'FR',
    'Europe/Brussels': 'BE',
    'Europe/Zurich': 'CH',
    'Europe/Luxembourg': 'LU',
    'Europe/Monaco': 'MC',
    'Europe/London': 'GB',
    'Europe/Dublin': 'IE',
    'America/Montreal': 'CA',
    'America/Toronto': 'CA',
    'America/Vancouver': 'CA',
    'America/New_York': 'US',
    'America/Chicago': 'US',
    'America/Denver': 'US',
    'America/Los_Angeles': 'US',
    'Africa/Casablanca': 'MA',
    'Africa/Dakar': 'SN',
    'Africa/Abidjan': 'CI',
    'Indian/Reunion': 'RE',
  };
  return (timeZone && byZone[timeZone]) || (language === 'en' ? 'US' : 'FR');
}
