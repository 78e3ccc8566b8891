import type { StoredMessage } from './conversation-store.ts';

/** What happens in a conversation that the sockets watching it must learn. */
export type ConversationEvent =
  | { type: 'message'; conversationId: string; message: StoredMessage }
  | { type: 'typing'; conversationId: string; active: boolean }
  /**
   * A piece of a reply being written. `offset` (where `text` starts in the whole reply) is filled
   * in by the events when the publisher leaves it out.
   */
  | { type: 'delta'; conversationId: string; streamId: string; text: string; offset?: number }
  /** Events may have been missed (the database link dropped): read the conversation again. */
  | { type: 'resync'; conversationId: string };

export type ConversationListener = (event: ConversationEvent) => void;

/** A reply being written, as far as it got. */
export interface ActiveStream {
  streamId: string;
  text: string;
}

/**
 * Fan-out of conversation events to whoever watches a conversation. The local implementation keeps
 * it in this process; the Postgres one (pg-conversation-events.ts) crosses processes.
 */
export interface ConversationEvents {
  publish(event: ConversationEvent): void;
  /** Returns the function that stops the subscription. */
  subscribe(conversationId: string, listener: ConversationListener): () => void;
  /** Replies being written in the conversation right now, so a visitor who (re)joins sees them whole. */
  streaming(conversationId: string): ActiveStream[];
  close(): Promise<void>;
}

/** A stream with no new piece for this long is forgotten (its bot went silent or crashed). */
const STREAM_TTL_MS = 120_000;

/**
 * The in-process part every implementation shares: listeners by conversation, and the text of
 * replies being written, from which each delta's offset is numbered.
 */
export class Fanout {
  private readonly listeners = new Map<string, Set<ConversationListener>>();
  private readonly streams = new Map<string, Map<string, { text: string; at: number }>>();

  constructor(private readonly now: () => number = Date.now) {}

  watched(conversationId: string): boolean {
    return this.listeners.has(conversationId);
  }

  watchedConversations(): string[] {
    return [...this.listeners.keys()];
  }

  deliver(event: ConversationEvent): ConversationEvent {
    const delivered = this.track(event);
    const watching = this.listeners.get(event.conversationId);
    if (watching) for (const listener of [...watching]) listener(delivered);
    return delivered;
  }

  subscribe(conversationId: string, listener: ConversationListener): () => void {
    let watching = this.listeners.get(conversationId);
    if (!watching) {
      watching = new Set();
      this.listeners.set(conversationId, watching);
    }
    watching.add(listener);
    return () => {
      const current = this.listeners.get(conversationId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(conversationId);
    };
  }

  streaming(conversationId: string): ActiveStream[] {
    const streams = this.streams.get(conversationId);
    if (!streams) return [];
    const active: ActiveStream[] = [];
    for (const [streamId, stream] of streams) {
      if (this.now() - stream.at > STREAM_TTL_MS) streams.delete(streamId);
      else active.push({ streamId, text: stream.text });
    }
    if (streams.size === 0) this.streams.delete(conversationId);
    return active;
  }

  private track(event: ConversationEvent): ConversationEvent {
    if (event.type === 'message') {
      const streamId = event.message.metadata['stream_id'];
      if (typeof streamId === 'string') this.endStream(event.conversationId, streamId);
      return event;
    }
    if (event.type !== 'delta') return event;
    let streams = this.streams.get(event.conversationId);
    if (!streams) {
      streams = new Map();
      this.streams.set(event.conversationId, streams);
    }
    const stream = streams.get(event.streamId) ?? { text: '', at: 0 };
    const offset = event.offset ?? stream.text.length;
    // Pieces that overlap what is known extend it; one past a hole is passed on but not kept.
    if (offset <= stream.text.length) stream.text += event.text.slice(stream.text.length - offset);
    stream.at = this.now();
    streams.set(event.streamId, stream);
    return event.offset === offset ? event : { ...event, offset };
  }

  private endStream(conversationId: string, streamId: string): void {
    const streams = this.streams.get(conversationId);
    streams?.delete(streamId);
    if (streams?.size === 0) this.streams.delete(conversationId);
  }
}

export function createLocalConversationEvents(): ConversationEvents {
  const fanout = new Fanout();
  return {
    publish: (event) => void fanout.deliver(event),
    subscribe: (conversationId, listener) => fanout.subscribe(conversationId, listener),
    streaming: (conversationId) => fanout.streaming(conversationId),
    close: async () => {},
  };
}
