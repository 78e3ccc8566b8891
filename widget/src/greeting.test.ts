import { describe, expect, it } from 'vitest';
import { greetingOf } from './greeting.ts';
import { strings } from './strings.ts';

describe('the greeting', () => {
  const french = { greeting: 'Bonjour ! Une question sur la livraison ?', greetingLang: 'fr' as const };

  it("is the tenant's own in the language it is written in", () => {
    expect(greetingOf(french, strings('fr'))).toBe(french.greeting);
  });

  it("follows a visitor of the tenant's other language", () => {
    expect(greetingOf(french, strings('en'))).toBe(strings('en').greeting);
  });

  it("is the tenant's own whatever the visitor's language when its language does not tell", () => {
    expect(greetingOf({ greeting: 'Hi / Salut', greetingLang: null }, strings('fr'))).toBe('Hi / Salut');
  });

  it("is the widget's own when the tenant has none", () => {
    expect(greetingOf({ greeting: null, greetingLang: null }, strings('fr'))).toBe(strings('fr').greeting);
  });
});
