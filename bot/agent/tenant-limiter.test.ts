import { describe, expect, it } from 'vitest';
import { createTenantLimiter } from './tenant-limiter.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('createTenantLimiter', () => {
  it('runs one tenant’s calls one at a time at concurrency 1, while another tenant runs alongside', async () => {
    const limiter = createTenantLimiter(1);
    const running: string[] = [];
    const log: string[] = [];
    const first = gate();
    const task = (name: string, wait?: Promise<void>) => async () => {
      running.push(name);
      log.push(`${name} starts with ${running.join(',')}`);
      await wait;
      running.splice(running.indexOf(name), 1);
      return name;
    };
    const a1 = limiter.schedule('a', task('a1', first.opened));
    const a2 = limiter.schedule('a', task('a2'));
    const b1 = limiter.schedule('b', task('b1'));
    expect(await b1).toBe('b1');
    expect(log).toEqual(['a1 starts with a1', 'b1 starts with a1,b1']);
    first.open();
    expect(await Promise.all([a1, a2])).toEqual(['a1', 'a2']);
    expect(log.at(-1)).toBe('a2 starts with a2');
    await limiter.stop();
  });

  it('refuses calls beyond the queue instead of letting them wait forever', async () => {
    const limiter = createTenantLimiter(1);
    const hold = gate();
    const calls = Array.from({ length: 40 }, () =>
      limiter.schedule('busy', () => hold.opened.then(() => 'done')),
    );
    const settled = Promise.allSettled(calls);
    // The first refusal comes while every slot and queue place is still taken.
    const refusal = await Promise.any(
      calls.map((call) =>
        call.then(
          () => Promise.reject(),
          (error: unknown) => error,
        ),
      ),
    );
    expect(String(refusal)).toMatch(/dropped/i);
    hold.open();
    const results = await settled;
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(25);
    await limiter.stop();
  });
});
