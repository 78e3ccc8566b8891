/** How the platforms count a message's length. */
export type LengthUnit = 'utf16' | 'utf8-bytes';

export const WHATSAPP_TEXT_LIMIT = { max: 4096, unit: 'utf16' as const };
export const INSTAGRAM_TEXT_LIMIT = { max: 1000, unit: 'utf8-bytes' as const };

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits a reply into messages that fit the platform's limit, cutting between sentences; a
 * sentence too long by itself is cut between words, and a word too long between characters
 * (never inside an emoji or an accented letter). Joining the parts with spaces gives the text
 * back, apart from the whitespace at the cuts.
 */
export function splitText(text: string, limit: { max: number; unit: LengthUnit }): string[] {
  const size = (s: string) => (limit.unit === 'utf16' ? s.length : Buffer.byteLength(s, 'utf8'));
  const trimmed = text.trim();
  if (size(trimmed) <= limit.max) return trimmed ? [trimmed] : [];

  const parts: string[] = [];
  let current = '';
  const push = () => {
    const part = current.trim();
    if (part) parts.push(part);
    current = '';
  };
  const add = (piece: string, segmenter: Intl.Segmenter | undefined) => {
    if (size(current + piece) <= limit.max) {
      current += piece;
      return;
    }
    if (size(current.trim()) > 0 && size(piece.trimStart()) <= limit.max) {
      push();
      current = piece.trimStart();
      return;
    }
    // The piece alone is too long: cut it finer.
    const finer = segmenter === sentences ? words : segmenter === words ? graphemes : undefined;
    if (!finer) {
      push();
      current = piece;
      return;
    }
    for (const { segment } of finer.segment(piece)) add(segment, finer);
  };
  for (const { segment } of sentences.segment(trimmed)) add(segment, sentences);
  push();
  return parts;
}
