import { describe, expect, it } from 'vitest';
import { ConversationQueues } from './conversation-queues.ts';

/** A promise resolved from outside, to hold work until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('ConversationQueues', () => {
  it('runs one conversation’s work in order and other conversations’ work beside it', async () => {
    const queues = new ConversationQueues(() => {});
    const done: string[] = [];
    const first = gate();
    queues.run('a', async () => {
      await first.opened;
      done.push('a1');
    });
    queues.run('a', async () => {
      done.push('a2');
    });
    queues.run('b', async () => {
      done.push('b1');
    });
    expect(queues.has('a')).toBe(true);
    // 'b' does not wait for 'a'; 'a2' waits for 'a1'.
    await new Promise<void>((resolve) => queues.run('b', async () => resolve()));
    expect(done).toEqual(['b1']);
    first.open();
    await queues.drain();
    expect(done).toEqual(['b1', 'a1', 'a2']);
    expect(queues.has('a')).toBe(false);
    expect(queues.has('b')).toBe(false);
  });

  it('reports a failure and runs the work queued after it', async () => {
    const failures: [unknown, string][] = [];
    const queues = new ConversationQueues((error, conversationId) => failures.push([error, conversationId]));
    const done: string[] = [];
    const boom = new Error('boom');
    queues.run('a', async () => {
      throw boom;
    });
    queues.run('a', async () => {
      done.push('after');
    });
    await queues.drain();
    expect(failures).toEqual([[boom, 'a']]);
    expect(done).toEqual(['after']);
  });

  it('drains the work queued while draining', async () => {
    const queues = new ConversationQueues(() => {});
    const done: string[] = [];
    queues.run('a', async () => {
      queues.run('b', async () => {
        done.push('queued by a');
      });
    });
    await queues.drain();
    expect(done).toEqual(['queued by a']);
  });
});
