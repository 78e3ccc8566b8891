import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/database.ts';
import { queryRows } from '../../../db/database.ts';
import { withoutTenant, withTenant } from '../../../db/tenant-scope.ts';
import { outboundMessages } from '../../../migrations/schema/index.ts';
import type { MessageRole } from '../../conversation/conversation-store.ts';
import type { Logger } from '../../logger.ts';
import { OUR_CALLBACK_PREFIX } from './apply-inbound.ts';
import { type ChannelContact, getContact } from './channel-contacts.ts';
import { getChannelSettings, windowSettingsOf } from './channel-settings-store.ts';
import { decideSendMode, type SendMode } from './customer-window.ts';
import { mergeStatus } from './delivery-status.ts';
import type { GraphClient } from './graph-client.ts';
import { GraphApiError } from './graph-error.ts';
import { sendInstagram } from './instagram/send.ts';
import { type OutboundPart, refreshDeliverySummary } from './outbox.ts';
import type { SendLimiters } from './send-limiter.ts';
import { loadSendingAccount, type SendingAccount } from './social-account-store.ts';
import { type TokenCipher, TokenDecryptError } from './token-cipher.ts';
import { sendWhatsApp } from './whatsapp/send.ts';

export interface OutboxSenderDeps {
  db: Db;
  graph: GraphClient;
  cipher: TokenCipher;
  limiters: SendLimiters;
  log: Logger;
  now: () => Date;
  random?: () => number;
  batchSize?: number;
  /** How long a claimed part is ours; a sender that dies leaves it to another after that. */
  leaseSeconds?: number;
  pollMs?: number;
  maxAttempts?: number;
  /**
   * True while webhooks are arriving: the parts' database work then runs one part at a time,
   * leaving the CPU to the acknowledgements Meta is waiting for (the sends still overlap).
   */
  underPressure?: () => boolean;
}

export interface OutboxSender {
  start(): void;
  kick(): void;
  /** Sends everything due now, until nothing is left (tests, shutdown). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  tenantId: string;
  /** Claimed again after its lease ran out: the earlier attempt may have reached Meta. */
  ambiguous: boolean;
  readReceipt: boolean;
}

type Prepared =
  | { action: 'skip' }
  | {
      action: 'send';
      part: OutboundPart;
      account: SendingAccount;
      contact: ChannelContact;
      mode: SendMode;
    };

/** A read receipt is a courtesy: one retry, then it is dropped. */
const READ_RECEIPT_ATTEMPTS = 2;

/**
 * Sends the outbox through the Graph API. Parts are claimed with SKIP LOCKED under a lease (only
 * the oldest open part of each conversation, so parts leave in order), sent through the account's
 * rate limiters outside any transaction, and their result recorded: the platform's message id,
 * or the error, and then a retry with backoff (5xx, rate limits), a template (WhatsApp window
 * closed), or a refusal the operator can read. Nothing it meets stops the loop or the server.
 */
export function createOutboxSender(deps: OutboxSenderDeps): OutboxSender {
  const batchSize = deps.batchSize ?? 32;
  const leaseSeconds = deps.leaseSeconds ?? 60;
  const pollMs = deps.pollMs ?? 500;
  const maxAttempts = deps.maxAttempts ?? 10;
  const random = deps.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  /** How many items were handled so far, so that drain can tell whether it did anything. */
  let handled = 0;

  async function claim(): Promise<Claimed[]> {
    const rows = await withoutTenant(deps.db, (tx) =>
      queryRows<{ id: string; tenant_id: string; ambiguous: boolean; kind: string }>(
        tx,
        sql`select id, tenant_id, ambiguous, kind from causette_outbox_claim(${batchSize}, ${deps.now().toISOString()}::timestamptz, ${leaseSeconds})`,
      ),
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      ambiguous: r.ambiguous,
      readReceipt: r.kind === 'mark_read',
    }));
  }

  async function prepare(tx: Tx, claimed: Claimed): Promise<Prepared> {
    const [part] = await tx.select().from(outboundMessages).where(eq(outboundMessages.id, claimed.id));
    if (part?.status !== 'sending') return { action: 'skip' };
    if (claimed.ambiguous && part.platformMessageId) {
      // A status webhook (WhatsApp) or an echo (Instagram) showed the earlier attempt arrived.
      await settle(tx, part, { status: 'sent' });
      return { action: 'skip' };
    }
    const account = part.socialAccountId
      ? await loadSendingAccount(tx, deps.cipher, part.socialAccountId)
      : undefined;
    if (!account?.isActive) {
      await settle(tx, part, {
        status: 'refused',
        reason: 'account_disconnected',
        errorMessage: 'The account this conversation came through is no longer connected.',
      });
      return { action: 'skip' };
    }
    const contact = await getContact(tx, part.conversationId);
    if (!contact) {
      await settle(tx, part, {
        status: 'refused',
        reason: 'no_recipient',
        errorMessage: 'The customer is unknown.',
      });
      return { action: 'skip' };
    }
    if (part.kind === 'mark_read') return { action: 'send', part, account, contact, mode: { kind: 'free' } };
    const settings = windowSettingsOf(await getChannelSettings(tx, part.tenantId));
    let mode = decideSendMode({
      platform: account.platform,
      role: roleOf(part.authorRole),
      lastInboundAt: contact.lastInboundAt,
      now: deps.now(),
      settings,
    });
    // Meta's clock said the window had closed although ours did not: follow Meta.
    if (mode.kind === 'free' && part.kind === 'template' && settings.whatsappTemplate) {
      mode = { kind: 'template', template: settings.whatsappTemplate };
    }
    if (mode.kind === 'free' && part.sentAs === 'HUMAN_AGENT') mode = { kind: 'human_agent' };
    if (mode.kind === 'refused') {
      await settle(tx, part, { status: 'refused', reason: mode.reason, errorMessage: mode.detail });
      return { action: 'skip' };
    }
    if (mode.kind === 'template' && part.partIndex > 0) {
      // The template carries the message; its remaining parts have nowhere to go.
      await settle(tx, part, {
        status: 'refused',
        reason: 'outside_window',
        errorMessage: 'The window closed; the message went out as a template instead.',
      });
      return { action: 'skip' };
    }
    return { action: 'send', part, account, contact, mode };
  }

  // While webhooks arrive, the parts' database work (reading a part and its account, recording
  // its result) runs one part at a time, leaving the CPU to the acknowledgements Meta is waiting
  // for; the sends themselves still overlap, so Meta's answer time never limits the throughput.
  let databaseTurn: Promise<unknown> = Promise.resolve();
  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (!deps.underPressure?.()) return work();
    const mine = databaseTurn.then(work);
    databaseTurn = mine.catch(() => {});
    return mine;
  }

  async function sendOne(claimed: Claimed): Promise<void> {
    let prepared: Prepared;
    try {
      prepared = await inTurn(() => withTenant(deps.db, claimed.tenantId, (tx) => prepare(tx, claimed)));
    } catch (error) {
      if (error instanceof TokenDecryptError) {
        deps.log.error({ partId: claimed.id, reason: error.message }, 'cannot read the account token');
        await record(claimed, (tx, part) =>
          settle(tx, part, { status: 'failed', reason: 'token_unreadable', errorMessage: error.message }),
        );
        return;
      }
      throw error;
    }
    if (prepared.action === 'skip') return;
    const { part, account, contact, mode } = prepared;
    const cooling = deps.limiters.cooldownUntil(account.id, deps.now());
    if (cooling) {
      await record(claimed, (tx, current) => retryLater(tx, current, cooling, false));
      return;
    }
    const recipient = contact.waId ?? contact.scopedUserId ?? '';
    try {
      const result = await deps.limiters.schedule(
        { platform: account.platform, accountKey: account.id, recipient },
        () => transmit(part, account, contact, mode),
      );
      const sentAs =
        mode.kind === 'template'
          ? mode.template.name
          : mode.kind === 'human_agent'
            ? 'HUMAN_AGENT'
            : 'RESPONSE';
      await record(claimed, (tx, current) =>
        settle(tx, current, {
          status: 'sent',
          platformMessageId: result.platformMessageId ?? null,
          sentAs: part.kind === 'mark_read' ? null : sentAs,
          kind: mode.kind === 'template' ? 'template' : current.kind,
        }),
      );
    } catch (error) {
      await record(claimed, (tx, current) => onFailure(tx, current, error, account, mode));
    }
  }

  function transmit(part: OutboundPart, account: SendingAccount, contact: ChannelContact, mode: SendMode) {
    const callbackData = `${OUR_CALLBACK_PREFIX}${part.id}`;
    if (account.platform === 'whatsapp') {
      const recipient = { waId: contact.waId, scopedUserId: contact.scopedUserId };
      if (part.kind === 'mark_read') {
        return sendWhatsApp(deps.graph, account, recipient, {
          kind: 'mark_read',
          customerMessageId: part.targetMessageId ?? '',
        });
      }
      if (mode.kind === 'template') {
        return sendWhatsApp(deps.graph, account, recipient, {
          kind: 'template',
          template: mode.template,
          body: part.body,
          callbackData,
        });
      }
      return sendWhatsApp(deps.graph, account, recipient, { kind: 'text', body: part.body, callbackData });
    }
    return sendInstagram(deps.graph, account, contact.scopedUserId ?? '', {
      body: part.body,
      humanAgent: mode.kind === 'human_agent',
    });
  }

  async function onFailure(
    tx: Tx,
    part: OutboundPart,
    error: unknown,
    account: SendingAccount,
    mode: SendMode,
  ): Promise<void> {
    if (!(error instanceof GraphApiError)) {
      deps.log.error({ err: error, partId: part.id }, 'sending failed unexpectedly');
      return fail(tx, part, 'rejected', { message: error instanceof Error ? error.message : String(error) });
    }
    const errorFields = { code: error.graphCode, subcode: error.graphSubcode, message: describe(error) };
    const kind = error.kind;
    deps.log.warn(
      { partId: part.id, platform: account.platform, status: error.status, code: error.graphCode, kind },
      'Graph API refused a send',
    );
    if (kind === 'window_closed') {
      const settings = windowSettingsOf(await getChannelSettings(tx, part.tenantId));
      if (
        account.platform === 'whatsapp' &&
        mode.kind !== 'template' &&
        settings.whatsappTemplate &&
        part.partIndex === 0
      ) {
        // Meta closed the window before our clock did: the template goes instead, at once.
        await tx
          .update(outboundMessages)
          .set({ kind: 'template', status: 'pending', nextAttemptAt: deps.now(), leaseUntil: null })
          .where(and(eq(outboundMessages.id, part.id), eq(outboundMessages.status, 'sending')));
        return;
      }
      if (
        account.platform === 'instagram' &&
        part.authorRole === 'agent' &&
        mode.kind === 'free' &&
        settings.instagramHumanAgent
      ) {
        await tx
          .update(outboundMessages)
          .set({ sentAs: 'HUMAN_AGENT', status: 'pending', nextAttemptAt: deps.now(), leaseUntil: null })
          .where(and(eq(outboundMessages.id, part.id), eq(outboundMessages.status, 'sending')));
        return;
      }
      return settle(tx, part, {
        status: 'refused',
        reason: 'outside_window',
        errorCode: error.graphCode ?? null,
        errorSubcode: error.graphSubcode ?? null,
        errorMessage: `Meta refused it: the 24-hour customer service window is closed (${errorFields.message}).`,
      });
    }
    if (kind === 'auth') {
      deps.log.error(
        { accountId: account.accountId, platform: account.platform },
        'the account token was refused: connect the account again',
      );
      return fail(tx, part, 'token_invalid', errorFields);
    }
    if (kind === 'permanent') return fail(tx, part, 'rejected', errorFields);
    const attempts = part.attempts;
    const readReceipt = part.kind === 'mark_read';
    if (attempts >= (readReceipt ? READ_RECEIPT_ATTEMPTS : maxAttempts))
      return fail(tx, part, 'gave_up', errorFields);
    let delayMs: number;
    if (kind === 'pair_rate_limit') {
      delayMs = Math.min(4 ** attempts * 1000, 15 * 60_000);
    } else {
      delayMs = Math.min(2 ** (attempts - 1) * 2000, 10 * 60_000);
      if (kind === 'rate_limit') {
        delayMs = Math.max(delayMs, 5_000);
        deps.limiters.coolDown(account.id, new Date(deps.now().getTime() + delayMs));
      }
    }
    const jittered = Math.round(delayMs * (0.8 + 0.4 * random()));
    await tx
      .update(outboundMessages)
      .set({
        status: 'pending',
        leaseUntil: null,
        nextAttemptAt: new Date(deps.now().getTime() + jittered),
        errorCode: error.graphCode ?? null,
        errorSubcode: error.graphSubcode ?? null,
        errorMessage: errorFields.message,
      })
      .where(and(eq(outboundMessages.id, part.id), eq(outboundMessages.status, 'sending')));
  }

  function fail(
    tx: Tx,
    part: OutboundPart,
    reason: string,
    error: { code?: number | undefined; subcode?: number | undefined; message: string },
  ) {
    return settle(tx, part, {
      status: 'failed',
      reason,
      errorCode: error.code ?? null,
      errorSubcode: error.subcode ?? null,
      errorMessage: error.message,
    });
  }

  function retryLater(tx: Tx, part: OutboundPart, at: Date, countsAsAttempt: boolean) {
    return tx
      .update(outboundMessages)
      .set({
        status: 'pending',
        leaseUntil: null,
        nextAttemptAt: at,
        ...(countsAsAttempt ? {} : { attempts: Math.max(0, part.attempts - 1) }),
      })
      .where(and(eq(outboundMessages.id, part.id), eq(outboundMessages.status, 'sending')));
  }

  /** Writes a part's outcome; a status a webhook already moved further is never moved back. */
  async function settle(
    tx: Tx,
    part: OutboundPart,
    outcome: Partial<typeof outboundMessages.$inferInsert> & { status: string },
  ): Promise<void> {
    const status = mergeStatus(part.status === 'sending' ? 'pending' : part.status, outcome.status);
    const now = deps.now();
    await tx
      .update(outboundMessages)
      .set({
        ...outcome,
        status,
        leaseUntil: null,
        platformMessageId: part.platformMessageId ?? outcome.platformMessageId ?? null,
        ...(outcome.status === 'sent'
          ? { sentAt: part.sentAt ?? now, errorCode: null, errorSubcode: null, errorMessage: null }
          : {}),
        ...(outcome.status === 'failed' || outcome.status === 'refused'
          ? { failedAt: part.failedAt ?? now }
          : {}),
      })
      .where(eq(outboundMessages.id, part.id));
    await refreshDeliverySummary(tx, part.messageId);
  }

  /** Re-reads the part under lock, then applies `change`: a webhook may have moved it meanwhile. */
  async function record(claimed: Claimed, change: (tx: Tx, part: OutboundPart) => Promise<unknown>) {
    await inTurn(() =>
      withTenant(deps.db, claimed.tenantId, async (tx) => {
        const [part] = await tx
          .select()
          .from(outboundMessages)
          .where(eq(outboundMessages.id, claimed.id))
          .for('update');
        if (part) await change(tx, part);
      }),
    );
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      for (;;) {
        let batch: Claimed[];
        try {
          batch = await claim();
        } catch (error) {
          deps.log.error({ err: error }, 'cannot claim outbox parts');
          return;
        }
        if (batch.length === 0) break;
        handled += batch.length;
        const send = (claimed: Claimed) =>
          sendOne(claimed).catch((error: unknown) => {
            // The lease runs out and the part is tried again; the loop itself goes on.
            deps.log.error({ err: error, partId: claimed.id }, 'outbox part could not be processed');
          });
        // Read receipts (and their typing indicator) first, so that they precede the answer.
        await Promise.all(batch.filter((c) => c.readReceipt).map(send));
        await Promise.all(batch.filter((c) => !c.readReceipt).map(send));
      }
    } while (again);
  }

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, pollMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
      void run();
    },
    kick() {
      if (!stopped) void run();
    },
    async drain() {
      const before = handled;
      do {
        await run();
      } while (running);
      return handled - before;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function roleOf(role: string): MessageRole {
  return role === 'agent' ? 'agent' : 'assistant';
}

function describe(error: GraphApiError): string {
  const code = error.graphCode === undefined ? `HTTP ${error.status}` : `code ${error.graphCode}`;
  return `${error.message}${error.details ? ` — ${error.details}` : ''} (${code})`;
}
