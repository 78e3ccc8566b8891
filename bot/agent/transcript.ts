import type { StoredMessage } from '../conversation/conversation-store.ts';

/** Longest customer message the model is shown; beyond, the text is cut (a pasted log, a spam). */
export const MAX_MESSAGE_CHARS = 4000;

const SPEAKERS: Record<string, string> = { user: 'Customer', assistant: 'Assistant', agent: 'Team member' };

/** Messages as "Customer: …" lines for the summaries, each cut to `perMessage` characters. */
export function transcript(
  messages: readonly Pick<StoredMessage, 'role' | 'content'>[],
  perMessage = 1000,
): string {
  return messages
    .filter((m) => SPEAKERS[m.role] !== undefined && m.content.trim() !== '')
    .map((m) => `${SPEAKERS[m.role]}: ${clip(m.content.replace(/\s+/g, ' ').trim(), perMessage)}`)
    .join('\n');
}

export function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  const characters = [...text];
  return characters.length > max ? `${characters.slice(0, max).join('')} […]` : text;
}
