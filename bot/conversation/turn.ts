import type { Channel, Conversation, StoredMessage } from './conversation-store.ts';
import type { TurnState } from './turn-state.ts';

/** Which conversation a turn answers, and on which channel. */
export interface TurnInput {
  tenantId: string;
  conversationId: string;
  channel: Channel;
}

/** One customer message to answer, with the state of its conversation as the turn read it. */
export interface Turn {
  input: TurnInput;
  message: StoredMessage;
  state: TurnState & { conversation: Conversation };
}
