import Bottleneck from 'bottleneck';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import type { Logger } from '../../logger.ts';
import { saveFetchedProfile } from './channel-contacts.ts';
import type { GraphClient } from './graph-client.ts';
import { fetchInstagramProfile } from './instagram/send.ts';
import { loadSendingAccount } from './social-account-store.ts';
import type { TokenCipher } from './token-cipher.ts';

export interface ProfileRequest {
  tenantId: string;
  conversationId: string;
  socialAccountId: string;
  userId: string;
}

/**
 * Fetches Instagram customers' names in the background, never in the way of an answer: at most a
 * couple of calls per second per account, each customer once at a time, failures only logged
 * (the next message asks again once the profile is due).
 */
export function createProfileFetcher(deps: {
  db: Db;
  graph: GraphClient;
  cipher: TokenCipher;
  log: Logger;
  now: () => Date;
}) {
  const limiters = new Bottleneck.Group({
    minTime: 500,
    maxConcurrent: 2,
    highWater: 500,
    strategy: Bottleneck.strategy.OVERFLOW,
    timeout: 10 * 60_000,
  });
  const inFlight = new Set<string>();
  const pending = new Set<Promise<unknown>>();

  async function fetchOne(request: ProfileRequest) {
    try {
      const account = await withTenant(deps.db, request.tenantId, (tx) =>
        loadSendingAccount(tx, deps.cipher, request.socialAccountId),
      );
      if (!account?.isActive) return;
      let profile: { name?: string; username?: string } = {};
      try {
        profile = await fetchInstagramProfile(deps.graph, account, request.userId);
      } catch (error) {
        deps.log.info(
          { err: error, conversationId: request.conversationId },
          'Instagram profile fetch failed',
        );
      }
      await withTenant(deps.db, request.tenantId, (tx) =>
        saveFetchedProfile(tx, request.conversationId, profile, deps.now()),
      );
    } finally {
      inFlight.delete(request.conversationId);
    }
  }

  return {
    request(request: ProfileRequest): void {
      if (inFlight.has(request.conversationId)) return;
      inFlight.add(request.conversationId);
      const job = limiters
        .key(request.socialAccountId)
        .schedule(() => fetchOne(request))
        .catch((error: unknown) => {
          inFlight.delete(request.conversationId);
          deps.log.info({ err: error }, 'Instagram profile fetch dropped');
        });
      pending.add(job);
      void job.finally(() => pending.delete(job));
    },
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async stop(): Promise<void> {
      await Promise.all(
        limiters.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true }).catch(() => {})),
      );
    },
  };
}
