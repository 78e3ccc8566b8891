import { describe, expect, it } from 'vitest';
import type { CannedResponse } from '../../server/protocol/console-inbox.ts';
import { cannedQuery, fillCanned, insertCanned, matchCanned } from './canned.ts';

const response = (shortcut: string, text = `${shortcut} text`): CannedResponse => ({
  id: `00000000-0000-4000-8000-${shortcut.padStart(12, '0').slice(-12)}`,
  shortcut,
  title: shortcut,
  text,
});

describe('canned responses', () => {
  it('finds the /shortcut typed before the caret, at a line start or after a space only', () => {
    expect(cannedQuery('/mer', 4)).toEqual({ start: 0, prefix: 'mer' });
    expect(cannedQuery('Bonjour /liv', 12)).toEqual({ start: 8, prefix: 'liv' });
    expect(cannedQuery('ligne\n/', 7)).toEqual({ start: 6, prefix: '' });
    expect(cannedQuery('https://shop.example/liv', 24)).toBeUndefined();
    expect(cannedQuery('/liv suite', 10)).toBeUndefined();
    expect(cannedQuery('/liv suite', 4)).toEqual({ start: 0, prefix: 'liv' });
  });

  it('lists matching shortcuts, the exact one first', () => {
    const all = [response('livraison'), response('liv'), response('merci')];
    expect(matchCanned(all, 'liv').map((r) => r.shortcut)).toEqual(['liv', 'livraison']);
    expect(matchCanned(all, '').length).toBe(3);
    expect(matchCanned(all, 'x')).toEqual([]);
  });

  it('fills the variables and leaves other braces alone', () => {
    const vars = { name: 'Léa', agent: 'Marie', business: 'Ma Boutique' };
    expect(fillCanned('Bonjour {{name}}, ici {{ agent }} de {{business}}. {{order}}', vars)).toBe(
      'Bonjour Léa, ici Marie de Ma Boutique. {{order}}',
    );
  });

  it('replaces the typed shortcut with the text and puts the caret after it', () => {
    const text = 'Bonjour /liv et merci';
    const query = cannedQuery(text, 12)!;
    expect(insertCanned(text, query, 'Livraison en 3 jours.')).toEqual({
      text: 'Bonjour Livraison en 3 jours. et merci',
      caret: 29,
    });
  });
});
