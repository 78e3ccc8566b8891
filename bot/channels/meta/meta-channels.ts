import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/database.ts';
import { queryRows } from '../../../db/database.ts';
import { withoutTenant, withTenant } from '../../../db/tenant-scope.ts';
import { getConversation } from '../../conversation/conversation-store.ts';
import type { TurnHandler } from '../../conversation/turn-handler.ts';
import type { Logger } from '../../logger.ts';
import { applyInbound } from './apply-inbound.ts';
import type { GraphClient } from './graph-client.ts';
import { instagramToIncoming } from './instagram/to-incoming.ts';
import { createMetaOutbox, type MetaOutbox } from './outbox.ts';
import { createOutboxSender, type OutboxSenderDeps } from './outbox-sender.ts';
import { createProfileFetcher } from './profile-fetcher.ts';
import { createSendLimiters, type SendLimits } from './send-limiter.ts';
import { type AccountOwner, findAccountOwner } from './social-account-store.ts';
import type { TokenCipher } from './token-cipher.ts';
import { createWebhookInbox, type WebhookInbox } from './webhook-inbox.ts';
import { createWebhookProcessor, type WebhookProcessorDeps } from './webhook-processor.ts';
import { whatsappToIncoming } from './whatsapp/to-incoming.ts';

export interface MetaChannelsDeps {
  db: Db;
  /**
   * Connections kept for storing webhook deliveries, so that the acknowledgement never waits
   * behind processing for a pooled connection; the main pool when not given.
   */
  ingestDb?: Db | undefined;
  log: Logger;
  now: () => Date;
  cipher: TokenCipher;
  graph: GraphClient;
  limits: SendLimits;
  processor?:
    | Partial<
        Pick<
          WebhookProcessorDeps,
          | 'batchSize'
          | 'concurrency'
          | 'leaseSeconds'
          | 'pollMs'
          | 'maxAttempts'
          | 'underPressure'
          | 'surging'
          | 'maxHoldBackMs'
          | 'surgeBatchSize'
        >
      >
    | undefined;
  sender?:
    | Partial<
        Pick<
          OutboxSenderDeps,
          'db' | 'batchSize' | 'leaseSeconds' | 'pollMs' | 'maxAttempts' | 'random' | 'underPressure'
        >
      >
    | undefined;
  /** How often to look for customer messages whose answer was lost to a crash. */
  recoveryIntervalMs?: number | undefined;
}

export interface MetaChannels {
  /** The turn handler's outbound delivery. */
  outbox: MetaOutbox;
  /** Where the webhook plugins store deliveries. */
  inbox: WebhookInbox;
  cipher: TokenCipher;
  graph: GraphClient;
  /** Starts the background work: processing deliveries, sending, recovery. */
  start(turns: TurnHandler): void;
  /** Processes and sends everything pending, until quiet (tests, benchmarks). */
  drain(): Promise<void>;
  /** Answers customer messages left unanswered by a crash, now (normally on a timer). */
  recoverUnanswered(): Promise<number>;
  /** Stops the workers; work in hand is finished, what is left stays in the database. */
  stop(): Promise<void>;
}

/** Recovery looks back this far: older unanswered messages are left to a human. */
const RECOVERY_HORIZON_MS = 60 * 60_000;
/** …and leaves alone messages younger than this, whose answer may still be on its way. */
const RECOVERY_GRACE_MS = 2 * 60_000;
/** Processed deliveries are kept this long (longer than Meta retries) to recognise redeliveries. */
const DELIVERY_RETENTION_MS = 8 * 24 * 60 * 60_000;

/**
 * WhatsApp and Instagram, wired: webhook inbox → processor → turn handler → outbox → sender.
 * Everything in between is in the database, so any process may pick up where another stopped.
 */
export function createMetaChannels(deps: MetaChannelsDeps): MetaChannels {
  const limiters = createSendLimiters(deps.limits);
  let processor: ReturnType<typeof createWebhookProcessor> | undefined;
  const inbox = createWebhookInbox(deps.ingestDb ?? deps.db, { onStored: () => processor?.kick() });
  const sender = createOutboxSender({
    db: deps.db,
    graph: deps.graph,
    cipher: deps.cipher,
    limiters,
    log: deps.log,
    now: deps.now,
    underPressure: () => inbox.busy(),
    ...deps.sender,
  });
  const outbox = createMetaOutbox({ now: deps.now, onQueued: () => sender.kick() });
  const profiles = createProfileFetcher({
    db: deps.db,
    graph: deps.graph,
    cipher: deps.cipher,
    log: deps.log,
    now: deps.now,
  });
  let turns: TurnHandler | undefined;
  let timers: NodeJS.Timeout[] = [];
  const recovered = new Set<string>();

  const owners = new Map<string, { owner: AccountOwner | undefined; expires: number }>();
  async function ownerOf(platform: 'whatsapp' | 'instagram', accountId: string) {
    const key = `${platform}:${accountId}`;
    const cached = owners.get(key);
    const now = Date.now();
    if (cached && cached.expires > now) return cached.owner;
    const owner = await findAccountOwner(deps.db, platform, accountId);
    if (owners.size > 10_000) owners.clear();
    // Short-lived, so that a disconnected account stops routing within seconds everywhere.
    owners.set(key, { owner, expires: now + 5_000 });
    return owner;
  }

  async function recoverUnanswered(): Promise<number> {
    if (!turns) return 0;
    const now = deps.now().getTime();
    const rows = await withoutTenant(deps.db, (tx) =>
      queryRows<{ tenant_id: string; conversation_id: string; message_id: string }>(
        tx,
        sql`select tenant_id, conversation_id, message_id from causette_unanswered_messages(${new Date(now - RECOVERY_HORIZON_MS).toISOString()}::timestamptz, ${new Date(now - RECOVERY_GRACE_MS).toISOString()}::timestamptz, 100)`,
      ),
    );
    let count = 0;
    for (const row of rows) {
      if (recovered.has(row.message_id)) continue;
      if (recovered.size > 50_000) recovered.clear();
      recovered.add(row.message_id);
      const found = await withTenant(deps.db, row.tenant_id, async (tx) => {
        const conversation = await getConversation(tx, row.conversation_id);
        const messages = await tx.query.conversationMessages.findFirst({
          where: (m, { eq }) => eq(m.id, row.message_id),
        });
        return conversation && messages ? { conversation, message: messages } : undefined;
      });
      if (!found?.message.clientId) continue;
      const channel = found.conversation.channel === 'instagram' ? 'instagram' : 'whatsapp';
      // Received again under its own id: stored once, and answered because no answer follows it.
      await turns.receive({
        tenantId: row.tenant_id,
        conversationId: row.conversation_id,
        channel,
        text: found.message.content,
        clientId: found.message.clientId,
        metadata: found.message.metadata,
      });
      count++;
    }
    if (count > 0) deps.log.info({ count }, 'answering customer messages whose answer was lost');
    return count;
  }

  return {
    outbox,
    inbox,
    cipher: deps.cipher,
    graph: deps.graph,
    start(turnHandler) {
      turns = turnHandler;
      processor = createWebhookProcessor({
        db: deps.db,
        log: deps.log,
        now: deps.now,
        toIncoming: { whatsapp: whatsappToIncoming, instagram: instagramToIncoming },
        ownerOf,
        underPressure: () => inbox.busy(),
        surging: () => inbox.surging(),
        apply: (owner, event) =>
          applyInbound(
            {
              db: deps.db,
              turns: turnHandler,
              outbox,
              log: deps.log,
              now: deps.now,
              wantProfile: (request) => profiles.request(request),
            },
            owner,
            event,
          ),
        ...deps.processor,
      });
      processor.start();
      sender.start();
      const every = (ms: number, work: () => Promise<unknown>, what: string) => {
        const timer = setInterval(() => {
          work().catch((error: unknown) => deps.log.error({ err: error }, `${what} failed`));
        }, ms);
        timer.unref();
        timers.push(timer);
      };
      every(deps.recoveryIntervalMs ?? 60_000, recoverUnanswered, 'answer recovery');
      every(
        60 * 60_000,
        () =>
          withoutTenant(deps.db, (tx) =>
            tx.execute(
              sql`select causette_webhook_purge(${new Date(deps.now().getTime() - DELIVERY_RETENTION_MS).toISOString()}::timestamptz)`,
            ),
          ),
        'webhook retention',
      );
    },
    async drain() {
      for (let round = 0; round < 100; round++) {
        let work = (await processor?.drain()) ?? 0;
        await turns?.drain();
        await profiles.drain();
        work += await sender.drain();
        if (work === 0) return;
      }
    },
    recoverUnanswered,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await processor?.stop();
      await sender.stop();
      await profiles.stop();
      await limiters.stop();
    },
  };
}
