import { describe, expect, it } from 'vitest';
import type { StoredMessage } from './conversation-store.ts';
import { RecentMessages } from './recent-messages.ts';

const message = (seq: number, conversationId = 'c'): StoredMessage => ({
  id: `${conversationId}-${seq}`,
  conversationId,
  tenantId: 't',
  seq,
  role: seq % 2 ? 'user' : 'assistant',
  content: `m${seq}`,
  clientId: null,
  metadata: {},
  createdAt: new Date(0),
});

const seqs = (messages: StoredMessage[] | undefined) => messages?.map((m) => m.seq);

describe('RecentMessages', () => {
  it('answers only for a conversation it holds up to the last seq asked for', () => {
    const recent = new RecentMessages(3);
    expect(recent.get('c', 0)).toEqual([]);
    expect(recent.get('c', 1)).toBeUndefined();
    recent.add(message(1));
    recent.add(message(2));
    expect(seqs(recent.get('c', 2))).toEqual([1, 2]);
    // Someone else stored seq 3: the cache cannot stand for the conversation any more.
    expect(recent.get('c', 3)).toBeUndefined();
    recent.add(message(3));
    recent.add(message(4));
    expect(seqs(recent.get('c', 4))).toEqual([2, 3, 4]);
  });

  it('forgets a conversation whose messages it would hold with a gap', () => {
    const recent = new RecentMessages(5);
    recent.set('c', [message(4), message(5)]);
    // Five kept per conversation, two held and the first is not seq 1: not the whole newest five.
    expect(recent.get('c', 5)).toBeUndefined();
    recent.set(
      'c',
      [1, 2, 3].map((n) => message(n)),
    );
    recent.add(message(5));
    expect(recent.get('c', 5)).toBeUndefined();
    expect(recent.size).toBe(0);
    recent.set(
      'c',
      [1, 2, 4].map((n) => message(n)),
    );
    expect(recent.size).toBe(0);
  });

  it('keeps the newest messages, ignores a message it has, and bounds the conversations held', () => {
    const recent = new RecentMessages(2, 2);
    recent.set('a', [message(1, 'a'), message(2, 'a'), message(3, 'a')]);
    expect(seqs(recent.get('a', 3))).toEqual([2, 3]);
    recent.add(message(3, 'a'));
    expect(seqs(recent.get('a', 3))).toEqual([2, 3]);
    recent.add(message(1, 'b'));
    recent.add(message(1, 'c'));
    expect(recent.size).toBe(2);
    // 'a' was used least recently: it went first.
    expect(recent.get('a', 3)).toBeUndefined();
    // What a turn gets is its own copy of the list.
    const copy = recent.get('c', 1)!;
    copy.push(message(2, 'c'));
    expect(seqs(recent.get('c', 1))).toEqual([1]);
  });
});
