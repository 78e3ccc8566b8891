import { describe, expect, it } from 'vitest';
import { INSTAGRAM_TEXT_LIMIT, splitText, WHATSAPP_TEXT_LIMIT } from './split-text.ts';

describe('splitText', () => {
  it('keeps a short text whole', () => {
    expect(splitText('Bonjour ! Comment allez-vous ?', WHATSAPP_TEXT_LIMIT)).toEqual([
      'Bonjour ! Comment allez-vous ?',
    ]);
  });

  it('cuts a long WhatsApp answer between sentences, each part within 4,096 characters', () => {
    const sentence = 'La livraison prend trois à cinq jours ouvrés en France métropolitaine. ';
    const text = sentence.repeat(150);
    const parts = splitText(text, WHATSAPP_TEXT_LIMIT);
    expect(text.length).toBeGreaterThan(2 * 4096);
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part.endsWith('métropolitaine.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text.trim());
  });

  it('counts Instagram limits in UTF-8 bytes, so accented and emoji text is cut sooner', () => {
    const sentence = 'Écoutez ! Ça coûte 12 € 🎉 à Noël. ';
    const text = sentence.repeat(60);
    const parts = splitText(text, INSTAGRAM_TEXT_LIMIT);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(1000);
      expect(part.length).toBeLessThan(1000);
      expect(/[.!]$/.test(part)).toBe(true);
    }
    expect(parts.join(' ')).toBe(text.trim());
  });

  it('cuts a sentence longer than the limit between words', () => {
    const text = `${'mot '.repeat(400)}fin.`;
    const parts = splitText(text, INSTAGRAM_TEXT_LIMIT);
    expect(parts.length).toBe(2);
    for (const part of parts) {
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(1000);
      expect(part.startsWith('mot') || part.startsWith('fin')).toBe(true);
    }
  });

  it('never cuts inside an emoji when a single word exceeds the limit', () => {
    const text = '🎉'.repeat(600);
    const parts = splitText(text, INSTAGRAM_TEXT_LIMIT);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(1000);
      expect(part).toMatch(/^(🎉)+$/u);
    }
  });

  it('returns nothing for a blank text', () => {
    expect(splitText('   ', WHATSAPP_TEXT_LIMIT)).toEqual([]);
  });
});
