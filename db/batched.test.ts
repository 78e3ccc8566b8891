import { describe, expect, it } from 'vitest';
import { batched, byGroup, gathered } from './batched.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('batched', () => {
  it('runs an item that arrives alone at once, and the items that arrive meanwhile together', async () => {
    const batches: number[][] = [];
    const run = batched(
      async (items: number[]) => {
        batches.push(items);
        await tick();
        return items.map((n) => n * 10);
      },
      { parallel: 1 },
    );
    const first = run(1);
    const rest = [2, 3, 4].map((n) => run(n));
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batches under maxBatch and runs up to `parallel` of them at once', async () => {
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const run = batched(
      async (items: number[]) => {
        running++;
        most = Math.max(most, running);
        sizes.push(items.length);
        await tick();
        running--;
        return items;
      },
      { maxBatch: 3, parallel: 2 },
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => run(i)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(most).toBe(2);
  });

  it('tries each item of a failed batch on its own, so only the bad one fails', async () => {
    const run = batched(
      async (items: number[]) => {
        await tick();
        if (items.includes(13)) throw new Error(`unlucky batch ${items.join(',')}`);
        return items;
      },
      { parallel: 1 },
    );
    const first = run(0);
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => run(n)));
    await first;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: new Error('unlucky batch 13') });
  });
});

describe('byGroup', () => {
  it('writes each group apart and puts every result back in its item’s place', async () => {
    const seen: [string, string[]][] = [];
    const results = await byGroup(
      ['a1', 'b1', 'a2', 'c1', 'b2'],
      (item) => item[0]!,
      async (key, group) => {
        seen.push([key, group]);
        return group.map((item) => item.toUpperCase());
      },
    );
    expect(results).toEqual(['A1', 'B1', 'A2', 'C1', 'B2']);
    expect(seen).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1', 'b2']],
      ['c', ['c1']],
    ]);
  });
});

describe('gathered', () => {
  it('handles together what callers ask of one key in the same turn, apart per key and per turn', async () => {
    const runs: [string, number[]][] = [];
    const run = gathered(async (key: string, items: number[]) => {
      runs.push([key, items]);
      return items.map((n) => `${key}${n}`);
    });
    const first = await Promise.all([run('a', 1), run('b', 2), run('a', 3)]);
    const later = await run('a', 4);
    expect(first).toEqual(['a1', 'b2', 'a3']);
    expect(later).toBe('a4');
    expect(runs).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
      ['a', [4]],
    ]);
  });

  it('fails every item of a gathering that fails, even synchronously, and the next one afresh', async () => {
    let calls = 0;
    const run = gathered((_key: string, items: number[]) => {
      calls++;
      if (calls === 1) throw new Error('statement failed');
      return Promise.resolve(items);
    });
    const outcomes = await Promise.allSettled([run('tx', 1), run('tx', 2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(run('tx', 3)).resolves.toBe(3);
  });
});
