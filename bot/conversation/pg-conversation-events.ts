import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { conversationMessages } from '../../migrations/schema/index.ts';
import type { Logger } from '../logger.ts';
import { type ConversationEvent, type ConversationEvents, Fanout } from './conversation-events.ts';
import { fromMessageRow, type MessageRow } from './conversation-store.ts';

/** The channel of migrations/drizzle/0004_message-notify.sql. */
export const EVENTS_CHANNEL = 'causette_events';
/** Postgres refuses notification payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7_900;

/**
 * Conversation events shared by every server process on one database, through LISTEN/NOTIFY:
 * - stored messages are announced by a trigger (0004_message-notify.sql), in commit order, by
 *   whichever process or tool stores them, so this class never publishes them itself;
 * - typing and reply pieces, which are never stored, are published here, batched per tick;
 * - events are delivered to this process's own listeners at once, and the copy coming back from
 *   the database is recognised by its origin and skipped.
 * If the listening connection drops, notifications are lost until it is back: every watched
 * conversation then gets a `resync`, and its sessions read what they missed from the database.
 * Works the same on PGlite, whose LISTEN/NOTIFY is in-process.
 */
export async function createPgConversationEvents(
  database: Database,
  log: Logger,
): Promise<ConversationEvents> {
  const origin = randomUUID();
  const fanout = new Fanout();
  let batch: string[] = [];
  let flushing: Promise<void> | undefined;
  let closed = false;

  const receive = (payload: string) => {
    let parsed: Notification | Notification[];
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    for (const note of Array.isArray(parsed) ? parsed : [parsed]) handle(note);
  };

  const handle = (note: Notification) => {
    if (note.k === 'e') {
      if (note.o !== origin) fanout.deliver(note.e);
    } else if (note.k === 'm') {
      void message(note).catch((error: unknown) =>
        log.error({ err: error }, 'reading a notified message failed'),
      );
    }
  };

  const message = async (note: MessageNote) => {
    if (note.r) {
      fanout.deliver({ type: 'message', conversationId: note.c, message: fromMessageRow(note.r) });
      return;
    }
    // Too large to ride along: read it, but only if someone here is watching.
    if (!fanout.watched(note.c)) return;
    const [row] = await withTenant(database.db, note.t, (tx) =>
      tx
        .select()
        .from(conversationMessages)
        .where(and(eq(conversationMessages.conversationId, note.c), eq(conversationMessages.seq, note.s))),
    );
    if (row) fanout.deliver({ type: 'message', conversationId: note.c, message: row });
  };

  let listens = 0;
  const relisten = () => {
    // The first LISTEN is the start; any later one follows a dropped connection.
    if (listens++ === 0) return;
    log.warn(
      { channel: EVENTS_CHANNEL },
      'the events connection came back; resynchronising watched conversations',
    );
    for (const conversationId of fanout.watchedConversations())
      fanout.deliver({ type: 'resync', conversationId });
  };

  let stop: () => Promise<void>;
  if (database.driver === 'postgres') {
    const listening = await database.client.listen(EVENTS_CHANNEL, receive, relisten);
    stop = () => listening.unlisten();
  } else {
    relisten();
    stop = await database.client.listen(EVENTS_CHANNEL, receive);
  }

  const notify = (payload: string): Promise<unknown> =>
    database.driver === 'postgres'
      ? database.client`select pg_notify(${EVENTS_CHANNEL}, ${payload})`
      : database.client.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, payload]);

  const flush = async () => {
    while (batch.length > 0) {
      const payloads = pack(batch);
      batch = [];
      try {
        await Promise.all(payloads.map(notify));
      } catch (error) {
        // Typing and pieces of a reply are worth little once late; the stored reply is what counts.
        if (!closed) log.warn({ err: error }, 'publishing conversation events failed');
      }
    }
    flushing = undefined;
  };

  return {
    publish(event) {
      const delivered = fanout.deliver(event);
      if (event.type === 'message' || event.type === 'resync' || closed) return;
      for (const piece of split(delivered)) batch.push(JSON.stringify({ k: 'e', o: origin, e: piece }));
      flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush);
    },
    subscribe: (conversationId, listener) => fanout.subscribe(conversationId, listener),
    streaming: (conversationId) => fanout.streaming(conversationId),
    async close() {
      closed = true;
      await flushing;
      await stop();
    },
  };
}

interface MessageNote {
  k: 'm';
  t: string;
  c: string;
  s: number;
  /** The row as row_to_json wrote it, when it fitted. */
  r?: MessageRow;
}
type Notification = { k: 'e'; o: string; e: ConversationEvent } | MessageNote;

/** Joins event payloads into as few notifications as fit: one JSON array each. */
function pack(items: string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const item of items) {
    if (current.length > 0 && size + item.length + 1 > MAX_PAYLOAD) {
      out.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(item);
    size += item.length + 1;
  }
  if (current.length > 0) out.push(`[${current.join(',')}]`);
  return out;
}

/** A reply piece too large for one notification is cut in parts, each with its own offset. */
function split(event: ConversationEvent): ConversationEvent[] {
  if (event.type !== 'delta' || Buffer.byteLength(event.text) < MAX_PAYLOAD / 2 - 500) return [event];
  const pieces: ConversationEvent[] = [];
  // 500 characters stay under the limit even if every one is escaped as \uXXXX.
  const step = 500;
  for (let at = 0; at < event.text.length; at += step) {
    pieces.push({ ...event, text: event.text.slice(at, at + step), offset: (event.offset ?? 0) + at });
  }
  return pieces;
}
