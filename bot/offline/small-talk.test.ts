import { describe, expect, it } from 'vitest';
import { detectSmallTalk } from './small-talk.ts';

describe('detectSmallTalk', () => {
  it.each([
    ['Bonjour !', 'greeting'],
    ['salut', 'greeting'],
    ['Hello there', 'greeting'],
    ['Good morning', 'greeting'],
    ['Merci beaucoup', 'thanks'],
    ['thanks a lot!', 'thanks'],
    ['Au revoir, bonne journée', 'goodbye'],
    ['bye', 'goodbye'],
    ['Je voudrais parler à un conseiller', 'human'],
    ['Can I talk to a real person?', 'human'],
    ['un humain svp', 'human'],
  ])('%s → %s', (text, kind) => {
    expect(detectSmallTalk(text)).toBe(kind);
  });

  it.each([
    ['Bonjour, quels sont vos délais de livraison ?'],
    ['Hi, do you ship to Belgium?'],
    ['Merci, et pour les retours ?'],
    ['Combien coûte la livraison ?'],
    ['Thanksgiving opening hours?'],
    ['le service client répond quand ?'],
    ['When is customer service available?'],
  ])('treats "%s" as a question, not small talk', (text) => {
    expect(detectSmallTalk(text)).toBeUndefined();
  });
});
