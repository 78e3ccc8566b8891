import { describe, expect, it } from 'vitest';
import { readQuestion } from '../../knowledge/text/read-question.ts';
import type { BusinessProfile } from '../tenants/tenant-store.ts';
import { profileAnswer, profileQuestion, weeklyText } from './profile-answer.ts';

const shopDays: [string, string][] = [['10:00', '19:00']];
const weekdays: [string, string][] = [['09:00', '18:00']];
const profile = {
  phone: '+33 1 23 45 67 89',
  email: 'support@ma-boutique.com',
  address: '12 rue des Martyrs, 75009 Paris',
  timezone: 'Europe/Paris',
  openingHours: { tue: shopDays, wed: shopDays, thu: shopDays, fri: shopDays, sat: shopDays },
  supportHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
} as unknown as BusinessProfile;
// A Tuesday at 11:00 in Paris.
const TUESDAY_11 = new Date('2026-12-08T11:00:00+01:00');

function answer(text: string, lang: 'fr' | 'en', now = TUESDAY_11, business = profile) {
  const question = profileQuestion(readQuestion(text));
  return question && profileAnswer(question, { tenant: undefined, profile: business }, lang, now);
}

describe('precise answers from the business profile', () => {
  it('gives the phone number to "can I call you?", and not the whole profile', () => {
    const text = answer('can I call you?', 'en');
    expect(text).toContain('+33 1 23 45 67 89');
    expect(text).not.toContain('rue des Martyrs');
    expect(text).not.toContain('support@');
  });

  it('gives the e-mail, the address, or both ways of contact, to what was asked', () => {
    expect(answer('vous avez une adresse mail ?', 'fr')).toBe(
      'Vous pouvez nous écrire à support@ma-boutique.com.',
    );
    expect(answer("where's the store?", 'en')).toBe('Our address is 12 rue des Martyrs, 75009 Paris.');
    const contact = answer('comment vous contacter ?', 'fr');
    expect(contact).toContain('+33 1 23 45 67 89');
    expect(contact).toContain('support@ma-boutique.com');
  });

  it('answers "open on Mondays?" with the days closed and the days open', () => {
    expect(answer('open on Mondays?', 'en')).toBe(
      "We're closed on Sundays and Mondays; open Tuesday to Saturday 10:00–19:00.",
    );
    expect(answer('vous êtes ouverts le lundi ?', 'fr')).toBe(
      'Nous sommes fermés le dimanche et le lundi, et ouverts du mardi au samedi, 10:00–19:00.',
    );
  });

  it("answers an open day with that day's hours", () => {
    expect(answer('what time do you close on Friday?', 'en')).toBe("On Fridays we're open 10:00–19:00.");
    expect(answer('ouvert le samedi ?', 'fr')).toBe('Le samedi, nous sommes ouverts de 10:00 à 19:00.');
  });

  it('reads "today", "tomorrow" and "now" in the business\'s time zone at the given time', () => {
    expect(answer('are you open today?', 'en')).toBe("Today (Tuesday) we're open 10:00–19:00.");
    expect(answer('open now?', 'en')).toBe("Yes, we're open right now, until 19:00.");
    // 23:30 in Paris on Saturday is Sunday in one hour, but still Saturday there.
    const saturdayNight = new Date('2026-12-12T23:30:00+01:00');
    expect(answer('vous êtes ouverts demain ?', 'fr', saturdayNight)).toBe(
      'Nous sommes fermés demain (dimanche), et ouverts du mardi au samedi, 10:00–19:00.',
    );
    expect(answer('open now?', 'en', saturdayNight)).toMatch(/^We're closed right now\./);
    // 08:30 UTC is 09:30 in Paris: open on a Wednesday at 10:00 local only.
    expect(answer('ouvert maintenant ?', 'fr', new Date('2026-12-09T08:30:00Z'))).toMatch(
      /^Nous sommes fermés/,
    );
  });

  it("gives customer service's hours when asked about them rather than the shop's", () => {
    expect(answer("le service client répond jusqu'à quelle heure ?", 'fr')).toBe(
      'Le service client répond du lundi au vendredi, 09:00–18:00.',
    );
    expect(answer('is customer service open on Saturday?', 'en')).toBe(
      "Customer service doesn't answer on Saturdays and Sundays; it answers Monday to Friday 09:00–18:00.",
    );
  });

  it('leaves questions about the knowledge to the knowledge', () => {
    expect(profileQuestion(readQuestion('what is the phone number for returns?'))).toBeUndefined();
    expect(profileQuestion(readQuestion('la boutique fait des retouches ?'))).toBeUndefined();
    expect(profileQuestion(readQuestion('do you ship to Italy?'))).toBeUndefined();
  });

  it('has no answer when the profile lacks the fact', () => {
    const bare = {
      ...profile,
      address: null,
      openingHours: {},
      supportHours: {},
    } as unknown as BusinessProfile;
    expect(answer("where's the store?", 'en', TUESDAY_11, bare)).toBeUndefined();
    expect(answer('open on Mondays?', 'en', TUESDAY_11, bare)).toBeUndefined();
  });
});

describe('the week in words', () => {
  it('groups days with the same hours and lists closed days after the last open one', () => {
    const split: [string, string][] = [
      ['09:00', '12:00'],
      ['14:00', '18:00'],
    ];
    expect(weeklyText({ mon: split, tue: split, sat: [['10:00', '12:00']] }, 'en')).toEqual({
      open: 'Monday to Tuesday 09:00–12:00 and 14:00–18:00; Saturday 10:00–12:00',
      closed: 'on Sundays, Wednesdays, Thursdays and Fridays',
    });
  });
});
