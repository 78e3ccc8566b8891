import { describe, expect, it } from 'vitest';
import { AGENT_RULES, buildSystemPrompt, leaksInstructions } from './system-prompt.ts';

const prompt = (overrides: Partial<Parameters<typeof buildSystemPrompt>[0]> = {}) =>
  buildSystemPrompt({
    tenant: { name: 'Savonnerie Lune', websiteUrl: 'https://lune.example' },
    profile: { description: 'Handmade soaps from Provence.', tone: 'tutoiement, chaleureux', language: 'fr' },
    lang: 'fr',
    now: new Date('2026-03-02T09:30:00Z'),
    timeZone: 'Europe/Paris',
    ...overrides,
  });

describe('buildSystemPrompt', () => {
  it('is built from the business profile, tone and language, with every rule', () => {
    const text = prompt();
    expect(text).toContain('customer assistant of Savonnerie Lune');
    expect(text).toContain('About the business: Handmade soaps from Provence.');
    expect(text).toContain('Tone: tutoiement, chaleureux.');
    expect(text).toContain('if it gives no clue, in French.');
    expect(text).toContain('Now: Monday, 2 March 2026 at 10:30 (Europe/Paris).');
    for (const rule of AGENT_RULES) expect(text).toContain(rule);
  });

  it('uses defaults for a bare profile and keeps profile fields on one bounded line', () => {
    const text = prompt({
      tenant: undefined,
      profile: { description: `a\n\nb ${'x'.repeat(3000)}`, tone: null, language: 'en' },
      lang: 'en',
    });
    expect(text).toContain('customer assistant of this business');
    expect(text).toContain('Tone: warm, professional and concise.');
    expect(text).toContain('in English.');
    const about = text.split('\n').find((line) => line.startsWith('About the business'));
    expect(about?.length).toBeLessThan(1600);
    expect(about).toContain('a b x');
  });
});

describe('leaksInstructions', () => {
  it('spots a reply quoting a rule or the fixed introduction', () => {
    expect(leaksInstructions(`My rules: ${AGENT_RULES[8]}`)).toBe(true);
    expect(
      leaksInstructions('I answer its customers in a chat on its website and messaging channels, you see.'),
    ).toBe(true);
    // Case and punctuation do not hide a quote.
    expect(leaksInstructions(AGENT_RULES[0]!.toUpperCase().replace(/ /g, '  '))).toBe(true);
  });

  it('lets ordinary answers through, including ones that repeat the business description', () => {
    expect(leaksInstructions('La livraison prend 3 à 5 jours ouvrés [1].')).toBe(false);
    expect(
      leaksInstructions('We make handmade soaps from Provence, with olive oil and lavender from our fields.'),
    ).toBe(false);
    expect(leaksInstructions('I can pass your question to a person of the team if you like.')).toBe(false);
  });
});
