import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.ts';

describe('detectLanguage', () => {
  it.each([
    ['Combien de temps prend la livraison ?', 'fr'],
    ['Je voudrais savoir où est ma commande', 'fr'],
    ["C'est très cher", 'fr'],
    ['How long does delivery take?', 'en'],
    ['Do you accept PayPal?', 'en'],
    ['Where is my order please', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it.each([['👍'], ['MB-12345'], [''], ['PayPal']])('gives no answer for %j', (text) => {
    expect(detectLanguage(text)).toBeUndefined();
  });
});
