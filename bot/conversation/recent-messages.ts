import type { StoredMessage } from './conversation-store.ts';

/**
 * The newest messages of the conversations this process answered lately, so that a turn reads
 * none back from the database. Sequence numbers make it exact rather than merely recent: a
 * conversation's cached messages are used only when the newest of them is the conversation's
 * `last_seq` as the turn read it, so a message stored by anyone else (an operator, another
 * server process) sends the turn back to the database.
 */
export class RecentMessages {
  private readonly conversations = new Map<string, StoredMessage[]>();

  constructor(
    /** Messages kept per conversation: what a turn reads. */
    readonly perConversation: number,
    private readonly maxConversations = 2_000,
  ) {}

  /**
   * The newest messages of a conversation whose last seq is `lastSeq`, oldest first, when the
   * cache holds all of them; undefined otherwise.
   */
  get(conversationId: string, lastSeq: number): StoredMessage[] | undefined {
    const messages = this.conversations.get(conversationId);
    if (!messages) return lastSeq === 0 ? [] : undefined;
    const newest = messages[messages.length - 1];
    const complete = messages.length === this.perConversation || messages[0]?.seq === 1;
    if (newest?.seq !== lastSeq || !complete) return undefined;
    this.touch(conversationId, messages);
    return [...messages];
  }

  /** Replaces what is known of a conversation by its newest messages, as read (oldest first). */
  set(conversationId: string, messages: readonly StoredMessage[]): void {
    const kept = messages.slice(-this.perConversation);
    // Numbered without gaps, or they cannot stand for the conversation's newest messages.
    if (kept.some((m, i) => i > 0 && m.seq !== kept[i - 1]!.seq + 1)) {
      this.conversations.delete(conversationId);
      return;
    }
    this.touch(conversationId, kept);
  }

  /**
   * A message just stored: appended when it follows the cached ones; past a gap the conversation
   * is forgotten, and read again by its next turn.
   */
  add(message: StoredMessage): void {
    const messages = this.conversations.get(message.conversationId);
    if (!messages) {
      if (message.seq === 1) this.touch(message.conversationId, [message]);
      return;
    }
    const newest = messages[messages.length - 1];
    if (newest && message.seq <= newest.seq) return;
    if (newest && message.seq !== newest.seq + 1) {
      this.conversations.delete(message.conversationId);
      return;
    }
    messages.push(message);
    if (messages.length > this.perConversation) messages.shift();
    this.touch(message.conversationId, messages);
  }

  /** A newer copy of a message held (its analysis added) takes its place; others are ignored. */
  update(message: StoredMessage): void {
    const messages = this.conversations.get(message.conversationId);
    const at = messages?.findIndex((m) => m.id === message.id) ?? -1;
    if (messages && at >= 0) messages[at] = message;
  }

  forget(conversationId: string): void {
    this.conversations.delete(conversationId);
  }

  get size(): number {
    return this.conversations.size;
  }

  private touch(conversationId: string, messages: StoredMessage[]): void {
    // Most recently used last: a Map keeps insertion order.
    this.conversations.delete(conversationId);
    this.conversations.set(conversationId, messages);
    if (this.conversations.size > this.maxConversations) {
      const oldest = this.conversations.keys().next();
      if (!oldest.done) this.conversations.delete(oldest.value);
    }
  }
}
