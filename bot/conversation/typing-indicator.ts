import type { ConversationEvents } from './conversation-events.ts';

export interface TypingIndicator {
  /** Says it now, when the answer starts streaming before the delay is over. */
  show(): void;
  /** The answer is ready: the indicator goes off if it was shown, and is never shown after. */
  stop(): void;
}

/**
 * "The bot is writing", said once the answer takes longer than `delayMs` or starts streaming,
 * whichever comes first: an answer that is ready at once (the offline bot's) needs no indicator
 * that would only flicker, nor the frames and notifications it costs.
 */
export function typingIndicator(
  events: ConversationEvents,
  conversationId: string,
  delayMs: number,
): TypingIndicator {
  let shown = false;
  const show = () => {
    if (shown) return;
    shown = true;
    events.publish({ type: 'typing', conversationId, active: true });
  };
  const timer = setTimeout(show, delayMs);
  return {
    show,
    stop() {
      clearTimeout(timer);
      if (shown) events.publish({ type: 'typing', conversationId, active: false });
    },
  };
}
