import { describe, expect, it } from 'vitest';
import { countryOfTimeZone, extractLeadDetails } from './extract-lead.ts';

describe('extractLeadDetails', () => {
  it('finds name, email, phone and company in French', () => {
    expect(
      extractLeadDetails(
        "Bonjour, je m'appelle Marie Dupont de la société Atelier Lumière, joignable au 06 12 34 56 78 ou marie.dupont@example.fr",
        'FR',
      ),
    ).toEqual({
      name: 'Marie Dupont',
      email: 'marie.dupont@example.fr',
      phone: '+33612345678',
      company: 'Atelier Lumière',
    });
  });

  it('finds them in English, with an international number', () => {
    expect(
      extractLeadDetails(
        "Hi, I'm John Smith from Acme Corp. Call me on +1 415 555 2671, john@acme.com",
        'FR',
      ),
    ).toEqual({
      name: 'John Smith',
      email: 'john@acme.com',
      phone: '+14155552671',
      company: 'Acme Corp',
    });
  });

  it('does not take adjectives for names, nor order numbers for phones', () => {
    expect(extractLeadDetails('Je suis intéressée par votre offre, commande 123456', 'FR')).toEqual({});
    expect(extractLeadDetails("I'm interested in 50 units", 'US')).toEqual({});
  });

  it('takes a lower-case name after an explicit phrase', () => {
    expect(extractLeadDetails('mon nom est paul martin', 'FR').name).toBe('Paul Martin');
  });

  it('reads numbers in the tenant’s country', () => {
    expect(countryOfTimeZone('Europe/Brussels', 'fr')).toBe('BE');
    expect(countryOfTimeZone(undefined, 'en')).toBe('US');
    expect(extractLeadDetails('0470 12 34 56', 'BE').phone).toBe('+32470123456');
  });
});
