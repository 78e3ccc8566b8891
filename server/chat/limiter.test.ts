import { describe, expect, it } from 'vitest';
import { BusyError, Limiter } from './limiter.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('Limiter', () => {
  it('runs at most `concurrency` jobs at once, the rest in arrival order', async () => {
    const limiter = new Limiter(2, 10);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const done = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toEqual([0, 1]);
    expect(limiter.waiting).toBe(3);
    for (const gate of [...gates].reverse()) gate.resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(limiter.waiting).toBe(0);
  });

  it('refuses a job at once when `maxQueued` are already waiting, and takes new ones once they drain', async () => {
    const limiter = new Limiter(1, 2);
    const gate = deferred();
    const held = [
      limiter.run(() => gate.promise),
      limiter.run(async () => 'a'),
      limiter.run(async () => 'b'),
    ];
    await expect(limiter.run(async () => 'c')).rejects.toBeInstanceOf(BusyError);
    gate.resolve();
    await Promise.all(held);
    expect(await limiter.run(async () => 'd')).toBe('d');
  });

  it('frees the slot of a job that fails, and passes its error to its caller only', async () => {
    const limiter = new Limiter(1, 5);
    const failing = limiter.run(async () => {
      throw new Error('broken');
    });
    const next = limiter.run(async () => 'after');
    await expect(failing).rejects.toThrow('broken');
    expect(await next).toBe('after');
    expect(await limiter.run(async () => 'again')).toBe('again');
  });

  it('never runs a job inside its caller’s turn of the event loop', async () => {
    const limiter = new Limiter(4, 10);
    let ran = false;
    const done = limiter.run(async () => {
      ran = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(ran).toBe(false);
    await done;
    expect(ran).toBe(true);
  });

  it('lets timers run between jobs that finish without waiting on anything (embedded Postgres)', async () => {
    // Work that completes within microtasks, as PGlite's queries do: a queue of it drained in one
    // chain of promises would hold every timer (heartbeats, deadlines) until the queue was empty.
    const limiter = new Limiter(2, 1_000);
    const finished: number[] = [];
    const spin = () => {
      const until = performance.now() + 2;
      while (performance.now() < until);
    };
    const jobs = Array.from({ length: 200 }, (_, i) =>
      limiter.run(async () => {
        spin();
        finished.push(i);
      }),
    );
    const timerFiredAfter = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(finished.length), 0),
    );
    await Promise.all(jobs);
    expect(finished).toHaveLength(200);
    // Two jobs a turn: the timer fires after a handful of them, not after all 200 (400 ms of work).
    expect(timerFiredAfter).toBeLessThan(20);
  });
});
