import { detectLanguage, type Language } from '../../knowledge/text/detect-language.ts';
import type { StoredMessage } from './conversation-store.ts';

/**
 * The language to answer in: the message's own, else the customer's last recognisable one, else
 * the business's. A message in two languages counts as the one with more clues.
 */
export function conversationLanguage(
  message: Pick<StoredMessage, 'content'>,
  history: readonly Pick<StoredMessage, 'role' | 'content'>[],
  fallback: string | null | undefined,
): Language {
  const own = detectLanguage(message.content);
  if (own) return own;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const earlier = history[i]!;
    if (earlier.role !== 'user') continue;
    const lang = detectLanguage(earlier.content);
    if (lang) return lang;
  }
  return fallback === 'en' ? 'en' : 'fr';
}
