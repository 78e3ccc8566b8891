import type { StoredMessage } from '../conversation/conversation-store.ts';

const MAX_QUOTE = 240;

/**
 * An extractive summary for the person who takes over, when no LLM writes one: the reason, then
 * the customer's most informative messages (the longest, recent ones first), quoted.
 */
export function summarizeConversation(
  reason: string,
  messages: readonly Pick<StoredMessage, 'role' | 'content'>[],
): string {
  const customer = messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content.trim())
    .filter(Boolean);
  const ranked = customer
    .map((text, index) => ({ text, index, score: Math.min(text.length, 300) + index * 20 }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .sort((a, b) => a.index - b.index);
  const quotes = ranked.map(
    (r) => `"${r.text.length > MAX_QUOTE ? `${r.text.slice(0, MAX_QUOTE - 1)}…` : r.text}"`,
  );
  return [
    `Reason: ${reason.replace(/_/g, ' ')}.`,
    quotes.length > 0 ? `Customer wrote: ${quotes.join(' / ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
