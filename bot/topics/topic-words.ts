import { normalizeWords } from '../../knowledge/text/normalize-words.ts';
import { QUESTION_WORDS } from '../../knowledge/text/question-words.ts';
import { STOP_WORDS } from '../../knowledge/text/stop-words.ts';

/** Greetings and politeness, which every topic's messages share. */
const COURTESY: ReadonlySet<string> = new Set(
  normalizeWords(
    'salut coucou bonsoir hey hello thanks thank merci svp stp plait please thx cordialement regards',
  ),
);

/**
 * The words of a message that can say what it is about: normalised (lower case, no accents, three
 * letters or more, each once), without French and English stop words, question words ("combien",
 * "how") or bare numbers (order numbers).
 */
export function topicWords(text: string): string[] {
  return normalizeWords(text).filter(
    (word) =>
      !STOP_WORDS.has(word) && !QUESTION_WORDS.has(word) && !COURTESY.has(word) && !/^\d+$/.test(word),
  );
}

/**
 * Counts how customers spelled each normalised word ("délai" for "delai"), so that keywords are
 * shown as written rather than stripped of their accents.
 */
export class SurfaceForms {
  private readonly counts = new Map<string, Map<string, number>>();

  add(text: string): void {
    for (const piece of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      const [word, extra] = normalizeWords(piece);
      if (!word || extra !== undefined) continue;
      const forms = this.counts.get(word) ?? new Map<string, number>();
      forms.set(piece, (forms.get(piece) ?? 0) + 1);
      this.counts.set(word, forms);
    }
  }

  /** The most frequent spelling of a normalised word (the word itself when never seen). */
  of(word: string): string {
    let best = word;
    let bestCount = 0;
    for (const [form, count] of this.counts.get(word) ?? []) {
      if (count > bestCount || (count === bestCount && form < best)) {
        best = form;
        bestCount = count;
      }
    }
    return best;
  }
}
