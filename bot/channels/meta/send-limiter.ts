import Bottleneck from 'bottleneck';
import type { MetaPlatform } from './social-account-store.ts';

export interface SendLimits {
  /** Messages per second per WhatsApp phone number (Meta: 80 by default, up to 1,000). */
  whatsappMessagesPerSecond: number;
  /** Send API calls per second per Instagram account (Meta: 300). */
  instagramCallsPerSecond: number;
}

export interface SendTarget {
  platform: MetaPlatform;
  /** The connected account (its database id). */
  accountKey: string;
  /** The customer, for WhatsApp's per-user pair limit. */
  recipient: string;
}

export interface SendLimiters {
  /** Runs `send` when the account's throughput, and on WhatsApp the pair limit, allow it. */
  schedule<T>(target: SendTarget, send: () => Promise<T>): Promise<T>;
  /** Meta said "too fast" for this account: hold its sends until then. */
  coolDown(accountKey: string, until: Date): void;
  /** When the account may send again, if it is cooling down. */
  cooldownUntil(accountKey: string, now: Date): Date | undefined;
  stop(): Promise<void>;
}

/**
 * WhatsApp allows about one message every 6 seconds to the same customer, with bursts; Meta
 * answers 131056 past it. A bucket of 45 that refills one every 6 seconds follows that rule.
 */
const PAIR_BURST = 45;
const PAIR_REFILL_MS = 6_000;

/**
 * Bottleneck limiters, one per connected account at the documented throughput, plus one per
 * WhatsApp customer for the pair limit. They hold in this process: with several server processes
 * each account's rate is shared out by setting the per-second figures accordingly, and Meta's
 * rate-limit answers are retried with backoff in any case.
 */
export function createSendLimiters(limits: SendLimits): SendLimiters {
  const accounts = new Bottleneck.Group({
    maxConcurrent: 64,
    timeout: 10 * 60_000,
  });
  const accountRate = new Map<string, number>();
  const pairs = new Bottleneck.Group({
    reservoir: PAIR_BURST,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: PAIR_REFILL_MS,
    reservoirIncreaseMaximum: PAIR_BURST,
    timeout: 6 * 60_000,
  });
  const cooldowns = new Map<string, number>();

  function accountLimiter(target: SendTarget) {
    const perSecond =
      target.platform === 'whatsapp' ? limits.whatsappMessagesPerSecond : limits.instagramCallsPerSecond;
    const limiter = accounts.key(target.accountKey);
    if (accountRate.get(target.accountKey) !== perSecond) {
      limiter.updateSettings({ minTime: Math.floor(1000 / perSecond) });
      accountRate.set(target.accountKey, perSecond);
    }
    return limiter;
  }

  return {
    schedule(target, send) {
      const throughput = () => accountLimiter(target).schedule(send);
      if (target.platform !== 'whatsapp') return throughput();
      return pairs.key(`${target.accountKey}:${target.recipient}`).schedule(throughput);
    },
    coolDown(accountKey, until) {
      cooldowns.set(accountKey, Math.max(cooldowns.get(accountKey) ?? 0, until.getTime()));
    },
    cooldownUntil(accountKey, now) {
      const until = cooldowns.get(accountKey);
      if (until === undefined) return undefined;
      if (until <= now.getTime()) {
        cooldowns.delete(accountKey);
        return undefined;
      }
      return new Date(until);
    },
    async stop() {
      await Promise.all(
        [...accounts.limiters(), ...pairs.limiters()].map(({ limiter }) => limiter.disconnect()),
      );
    },
  };
}
