import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSendLimiters } from './send-limiter.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Schedules `count` sends and returns the (fake) time at which each one ran. */
function sendTimes(
  limiters: ReturnType<typeof createSendLimiters>,
  count: number,
  recipient: (i: number) => string,
) {
  const times: number[] = [];
  const done = Promise.all(
    Array.from({ length: count }, (_, i) =>
      limiters.schedule({ platform: 'whatsapp', accountKey: 'acc', recipient: recipient(i) }, async () => {
        times.push(Date.now());
      }),
    ),
  );
  return { times, done };
}

describe('send limiters', () => {
  it('space one account’s sends at its throughput', async () => {
    const limiters = createSendLimiters({ whatsappMessagesPerSecond: 10, instagramCallsPerSecond: 300 });
    const { times, done } = sendTimes(limiters, 20, (i) => `customer-${i}`);
    await vi.advanceTimersByTimeAsync(5_000);
    await done;
    expect(times).toHaveLength(20);
    // 10 per second: 20 sends take about two seconds, never two within 100 ms.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(95);
    expect(times.at(-1)).toBeLessThan(2_500);
  });

  it('let a burst of 45 through to one WhatsApp customer, then one every 6 seconds', async () => {
    const limiters = createSendLimiters({ whatsappMessagesPerSecond: 1000, instagramCallsPerSecond: 300 });
    const { times, done } = sendTimes(limiters, 48, () => 'same-customer');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(times).toHaveLength(45);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(times).toHaveLength(46);
    await vi.advanceTimersByTimeAsync(12_000);
    await done;
    expect(times).toHaveLength(48);
  });

  it('keep customers independent, and hold an account that Meta said was too fast', async () => {
    const limiters = createSendLimiters({ whatsappMessagesPerSecond: 1000, instagramCallsPerSecond: 300 });
    const { times, done } = sendTimes(limiters, 90, (i) => `c${i % 2}`);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(times).toHaveLength(90);
    await done;
    limiters.coolDown('acc', new Date(30_000));
    expect(limiters.cooldownUntil('acc', new Date(10_000))?.getTime()).toBe(30_000);
    expect(limiters.cooldownUntil('acc', new Date(30_001))).toBeUndefined();
    expect(limiters.cooldownUntil('other', new Date(10_000))).toBeUndefined();
  });
});
