import { describe, expect, it } from 'vitest';
import { readQuestion } from './read-question.ts';

const subjects = (text: string, exactForms = false) => readQuestion(text, { exactForms }).subjects;
const places = (text: string) => readQuestion(text).places.map((p) => [p.name, p.region]);

describe('the commerce lexicon', () => {
  it.each([
    ['je voudrais savoir quand je reçois ma commande', 'delivery'],
    ['vous expédiez en combien de jours ?', 'delivery'],
    ['what is your lead time?', 'delivery'],
    ['do you dispatch on Saturdays?', 'delivery'],
    ['si ça ne me va pas je peux le renvoyer ?', 'returns'],
    ['How do I send something back?', 'returns'],
    ['when will I get my money back?', 'refund'],
    ['Can I swap it for a different size?', 'exchange'],
    ['je peux vous appeler ?', 'phone'],
    ['how can I reach you?', 'contact'],
    ['où se trouve votre magasin ?', 'address'],
    ['vous prenez la carte bleue ?', 'payment'],
    ['vous faites des bons cadeaux ?', 'gift_card'],
  ])('reads %j as asking about %s', (text, subject) => {
    expect(subjects(text)).toContain(subject);
  });

  it('prefers the longest term: "send back" is a return, not a delivery', () => {
    expect(subjects('can I send it back?')).toEqual(['returns']);
  });

  it('prefers a word as written over one that only shares its stem ("payant" is a price, not a payment)', () => {
    const reading = readQuestion("et c'est payant ?");
    expect(reading.subjects).toEqual([]);
    expect(reading.aspects).toEqual(['price']);
    expect(reading.followUpMarker).toBe(true);
  });

  it('adds the subjects a subject implies', () => {
    expect(subjects('une livraison express ?').sort()).toEqual(['delivery', 'express']);
    expect(subjects('en express ?').sort()).toEqual(['delivery', 'express']);
  });

  it('needs the stems to read inflections the lexicon does not list', () => {
    expect(subjects('les colis sont expédiés quand ?')).toContain('delivery');
    expect(subjects('les colis sont expédiés quand ?', true)).toEqual(['delivery']);
    expect(subjects('vos délais de livraisons ?')).toContain('delivery_time');
    expect(subjects('refunded when?')).toContain('refund');
    expect(subjects('refunded when?', true)).toEqual([]);
  });

  it('reads nothing into words that are only small talk', () => {
    expect(readQuestion('have a nice day').concepts).toEqual([]);
    expect(readQuestion('bonjour, merci beaucoup').concepts).toEqual([]);
  });
});

describe('the gazetteer', () => {
  it.each([
    ['livraison en Italie ?', 'italie', 'europe'],
    ['do you ship to the Netherlands?', 'netherlands', 'europe'],
    ['et vers les Pays-Bas ?', 'pays bas', 'europe'],
    ['Portugal?', 'portugal', 'europe'],
    ['livraison à Lyon', 'lyon', 'france'],
    ['et au Havre, enfin Le Havre', 'le havre', 'france'],
    ['do you ship to the USA?', 'usa', 'world'],
    ['Genève ?', 'geneve', 'europe'],
  ])('places %j in %s (%s)', (text, name, region) => {
    expect(places(text)).toEqual([[name, region]]);
  });

  it('takes a name that is also a word for a place only when it is capitalised', () => {
    expect(places('have a nice day')).toEqual([]);
    expect(places('livraison à Nice ?')).toEqual([['nice', 'france']]);
    expect(places('trois tours de cou')).toEqual([]);
  });

  it('does not read articles as cities ("la", "le")', () => {
    expect(places('de la livraison rapide pour le week-end')).toEqual([]);
  });
});
