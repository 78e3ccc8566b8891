import type { ConsoleMessage, ConversationAnswer, Escalation } from '../../server/protocol/console-inbox.ts';

/**
 * The open conversation's messages as the console holds them: each with the seq of its state, in
 * message order. Message seqs have no gaps, so a message past the newest one held means some
 * were missed: `missingAfter` says from where to fetch them.
 */
export interface Thread {
  readonly id: string;
  readonly messages: readonly ConsoleMessage[];
  readonly versions: ReadonlyMap<string, number>;
  readonly hasEarlier: boolean;
  readonly readSeq: number;
  readonly escalation: Escalation | null;
  readonly loaded: boolean;
  /** Set when messages after this seq are missing. */
  readonly missingAfter: number | null;
}

export function emptyThread(id: string): Thread {
  return {
    id,
    messages: [],
    versions: new Map(),
    hasEarlier: false,
    readSeq: 0,
    escalation: null,
    loaded: false,
    missingAfter: null,
  };
}

/** An answer of GET /inbox/conversations/:id, whatever part of the history it holds. */
export function withAnswer(
  thread: Thread,
  answer: ConversationAnswer,
  part: 'newest' | 'earlier' | 'gap',
): Thread {
  const versions = new Map(thread.versions);
  const byId = new Map(thread.messages.map((m) => [m.id, m]));
  for (const message of answer.messages) {
    if ((versions.get(message.id) ?? -1) > answer.seq) continue;
    versions.set(message.id, answer.seq);
    byId.set(message.id, message);
  }
  const next: Thread = {
    ...thread,
    messages: ordered(byId),
    versions,
    hasEarlier: part === 'gap' ? thread.hasEarlier : answer.hasEarlier,
    readSeq: Math.max(thread.readSeq, answer.readSeq),
    escalation: part === 'newest' ? answer.escalation : thread.escalation,
    loaded: true,
  };
  return { ...next, missingAfter: gapIn(next) };
}

/** A `message` event of this conversation. */
export function withMessage(thread: Thread, message: ConsoleMessage, seq: number): Thread {
  if ((thread.versions.get(message.id) ?? -1) >= seq) return thread;
  const versions = new Map(thread.versions);
  versions.set(message.id, seq);
  const byId = new Map(thread.messages.map((m) => [m.id, m]));
  byId.set(message.id, message);
  const next = { ...thread, messages: ordered(byId), versions };
  return { ...next, missingAfter: thread.loaded ? gapIn(next) : null };
}

export function withReadSeq(thread: Thread, readSeq: number): Thread {
  return readSeq > thread.readSeq ? { ...thread, readSeq } : thread;
}

function ordered(byId: Map<string, ConsoleMessage>): ConsoleMessage[] {
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** The seq after which a message is missing, in the loaded stretch of the history. */
function gapIn(thread: Thread): number | null {
  const { messages } = thread;
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]!.seq > messages[i - 1]!.seq + 1) return messages[i - 1]!.seq;
  }
  return null;
}
