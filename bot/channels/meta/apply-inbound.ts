import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/database.ts';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../../db/database-errors.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { conversationMessages, conversations, outboundMessages } from '../../../migrations/schema/index.ts';
import { appendMessage } from '../../conversation/conversation-store.ts';
import type { TurnHandler } from '../../conversation/turn-handler.ts';
import { HUMAN_OWNED, isHumanOwned } from '../../escalation/handoff.ts';
import type { Logger } from '../../logger.ts';
import { changeWaId, resolveContact } from './channel-contacts.ts';
import { mergeStatus } from './delivery-status.ts';
import { GraphCode } from './graph-error.ts';
import type { InboundEvent } from './inbound-event.ts';
import { type MetaOutbox, refreshDeliverySummary } from './outbox.ts';
import type { AccountOwner } from './social-account-store.ts';

export interface ApplyInboundDeps {
  db: Db;
  turns: TurnHandler;
  outbox: MetaOutbox;
  log: Logger;
  now: () => Date;
  /** Asked for a customer whose profile (name, username) should be fetched from the Graph API. */
  wantProfile?: (request: {
    tenantId: string;
    conversationId: string;
    socialAccountId: string;
    userId: string;
  }) => void;
}

/** How long a fetched Instagram profile is trusted before it is fetched again. */
const PROFILE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const OUR_CALLBACK_PREFIX = 'causette:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Applies one event of a webhook delivery to the tenant that owns the account. Every step is
 * idempotent, so a redelivered event, or one processed again after a crash, changes nothing more.
 */
export async function applyInbound(
  deps: ApplyInboundDeps,
  owner: AccountOwner,
  event: Exclude<InboundEvent, { kind: 'ignored' }>,
): Promise<void> {
  switch (event.kind) {
    case 'message':
      return applyMessage(deps, owner, event);
    case 'echo':
      return applyEcho(deps, owner, event);
    case 'status':
      return applyStatus(deps, owner, event);
    case 'reaction':
    case 'read':
    case 'deleted':
      return applyCustomerSignal(deps, owner, event);
  }
}

async function applyMessage(
  deps: ApplyInboundDeps,
  owner: AccountOwner,
  event: Extract<InboundEvent, { kind: 'message' }>,
) {
  const answered = event.answer !== 'none' && event.role === 'user';
  const resolved = await withTenant(deps.db, owner.tenantId, async (tx) => {
    const found = await resolveContact(tx, {
      tenantId: owner.tenantId,
      platform: event.platform,
      socialAccountId: owner.socialAccountId,
      customer: event.customer,
      inboundAt: event.role === 'user' ? event.at : undefined,
    });
    if (!found) return undefined;
    if (event.newWaId) await changeWaId(tx, found.conversation.id, event.newWaId);
    if (!answered) {
      await storeOnce(tx, {
        tenantId: owner.tenantId,
        conversationId: found.conversation.id,
        role: event.role,
        content: event.text,
        clientId: event.id,
        metadata: { ...event.metadata, provider: event.platform, sent_at: event.at.toISOString() },
      });
    } else if (event.platform === 'whatsapp' && !isHumanOwned(found.conversation)) {
      // Blue ticks and "typing…" while the bot thinks; queued before the answer, so sent before it.
      await deps.outbox.enqueueReadReceipt(tx, {
        tenantId: owner.tenantId,
        conversationId: found.conversation.id,
        socialAccountId: owner.socialAccountId,
        customerMessageId: event.id,
      });
    }
    return found;
  });
  if (!resolved) {
    deps.log.warn(
      { platform: event.platform, messageId: event.id },
      'message without a usable sender id; dropped',
    );
    return;
  }
  const { conversation, contact } = resolved;
  if (
    event.platform === 'instagram' &&
    deps.wantProfile &&
    contact.scopedUserId &&
    (!contact.profileFetchedAt || deps.now().getTime() - contact.profileFetchedAt.getTime() > PROFILE_TTL_MS)
  ) {
    deps.wantProfile({
      tenantId: owner.tenantId,
      conversationId: conversation.id,
      socialAccountId: owner.socialAccountId,
      userId: contact.scopedUserId,
    });
  }
  if (!answered) return;
  await deps.turns.receive({
    tenantId: owner.tenantId,
    conversationId: conversation.id,
    channel: event.platform,
    text: event.text,
    clientId: event.id,
    metadata: {
      ...event.metadata,
      provider: event.platform,
      sent_at: event.at.toISOString(),
      answer: event.answer,
      // Read by the recovery sweep: this message expects an answer until one is stored.
      awaiting_answer: true,
    },
  });
}

/**
 * A message the business sent. One that this server sent (its id, or its text while the send is
 * still in flight, matches the outbox) only confirms the send. Any other was written by a person
 * in the Instagram app: it is recorded as an operator message and the bot steps aside, as when a
 * human takes over, so the bot never answers itself nor talks over a human.
 */
async function applyEcho(
  deps: ApplyInboundDeps,
  owner: AccountOwner,
  event: Extract<InboundEvent, { kind: 'echo' }>,
) {
  await withTenant(deps.db, owner.tenantId, async (tx) => {
    const found = await resolveContact(tx, {
      tenantId: owner.tenantId,
      platform: event.platform,
      socialAccountId: owner.socialAccountId,
      customer: event.customer,
      inboundAt: undefined,
    });
    if (!found) return;
    const conversationId = found.conversation.id;
    const [byId] = await tx
      .select()
      .from(outboundMessages)
      .where(
        and(eq(outboundMessages.tenantId, owner.tenantId), eq(outboundMessages.platformMessageId, event.id)),
      );
    if (byId) return;
    const [byText] = await tx
      .select()
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.conversationId, conversationId),
          inArray(outboundMessages.status, ['pending', 'sending', 'sent']),
          sql`${outboundMessages.platformMessageId} is null`,
          eq(outboundMessages.body, event.text),
        ),
      )
      .orderBy(asc(outboundMessages.seq))
      .limit(1)
      .for('update');
    if (byText) {
      await tx
        .update(outboundMessages)
        .set({
          platformMessageId: event.id,
          status: mergeStatus(byText.status, 'sent'),
          sentAt: byText.sentAt ?? event.at,
          leaseUntil: null,
        })
        .where(eq(outboundMessages.id, byText.id));
      await refreshDeliverySummary(tx, byText.messageId);
      return;
    }
    const stored = await storeOnce(tx, {
      tenantId: owner.tenantId,
      conversationId,
      role: 'agent',
      content: event.text,
      clientId: event.id,
      metadata: { ...event.metadata, provider: event.platform, echo: true, author: 'instagram_app' },
    });
    if (!stored) return;
    await tx
      .update(conversations)
      .set({
        status: HUMAN_OWNED,
        metadata: sql`${conversations.metadata} || ${JSON.stringify({
          bot_paused: { by: 'instagram_app', at: event.at.toISOString() },
        })}::jsonb`,
      })
      .where(and(eq(conversations.id, conversationId), sql`${conversations.status} <> ${HUMAN_OWNED}`));
    deps.log.info(
      { tenantId: owner.tenantId, conversationId },
      'a person answered from the Instagram app; the bot is paused',
    );
  });
}

async function applyStatus(
  deps: ApplyInboundDeps,
  owner: AccountOwner,
  event: Extract<InboundEvent, { kind: 'status' }>,
) {
  await withTenant(deps.db, owner.tenantId, async (tx) => {
    let [part] = await tx
      .select()
      .from(outboundMessages)
      .where(
        and(eq(outboundMessages.tenantId, owner.tenantId), eq(outboundMessages.platformMessageId, event.id)),
      )
      .for('update');
    const ownId = event.callbackData?.startsWith(OUR_CALLBACK_PREFIX)
      ? event.callbackData.slice(OUR_CALLBACK_PREFIX.length)
      : undefined;
    if (!part && ownId && UUID.test(ownId)) {
      // Our send reached Meta, though we may not have heard its answer (a crash mid-request).
      [part] = await tx.select().from(outboundMessages).where(eq(outboundMessages.id, ownId)).for('update');
    }
    if (!part) {
      deps.log.debug(
        { messageId: event.id, status: event.status },
        'status for a message this server did not send',
      );
      return;
    }
    const status = mergeStatus(part.status, event.status);
    const error = event.errors[0];
    const at = event.at;
    await tx
      .update(outboundMessages)
      .set({
        status,
        platformMessageId: part.platformMessageId ?? event.id,
        leaseUntil: status === 'sending' ? part.leaseUntil : null,
        sentAt: earliest(part.sentAt, at),
        // A read implies a delivery no later; the delivery's own timestamp, when it comes, is exact.
        ...(event.status === 'delivered'
          ? { deliveredAt: earliest(part.deliveredAt, at) }
          : event.status === 'read' || event.status === 'played'
            ? { deliveredAt: part.deliveredAt ?? at }
            : {}),
        ...(event.status === 'read' || event.status === 'played' ? { readAt: part.readAt ?? at } : {}),
        ...(event.status === 'failed'
          ? {
              failedAt: part.failedAt ?? at,
              errorCode: error?.code ?? null,
              errorMessage: [error?.title, error?.details].filter(Boolean).join(': ') || 'failed',
              reason: error?.code === GraphCode.whatsappWindowClosed ? 'outside_window' : 'failed_after_send',
            }
          : {}),
      })
      .where(eq(outboundMessages.id, part.id));
    await refreshDeliverySummary(tx, part.messageId);
  });
}

async function applyCustomerSignal(
  deps: ApplyInboundDeps,
  owner: AccountOwner,
  event: Extract<InboundEvent, { kind: 'reaction' | 'read' | 'deleted' }>,
) {
  await withTenant(deps.db, owner.tenantId, async (tx) => {
    const found = await resolveContact(tx, {
      tenantId: owner.tenantId,
      platform: event.platform,
      socialAccountId: owner.socialAccountId,
      customer: event.customer,
      inboundAt: undefined,
    });
    if (!found) return;
    const conversationId = found.conversation.id;
    if (event.kind === 'read') {
      // Seeing one message means having seen every earlier one.
      const [target] = await tx
        .select()
        .from(outboundMessages)
        .where(
          and(
            eq(outboundMessages.tenantId, owner.tenantId),
            eq(outboundMessages.platformMessageId, event.targetId),
          ),
        );
      const seen = await tx
        .select()
        .from(outboundMessages)
        .where(
          and(
            eq(outboundMessages.conversationId, conversationId),
            inArray(outboundMessages.status, ['sent', 'delivered', 'failed']),
            target ? lte(outboundMessages.seq, target.seq) : lte(outboundMessages.sentAt, event.at),
          ),
        );
      for (const part of seen) {
        await tx
          .update(outboundMessages)
          .set({
            status: mergeStatus(part.status, 'read'),
            deliveredAt: part.deliveredAt ?? event.at,
            readAt: part.readAt ?? event.at,
          })
          .where(eq(outboundMessages.id, part.id));
      }
      for (const messageId of new Set(seen.map((p) => p.messageId)))
        await refreshDeliverySummary(tx, messageId);
      return;
    }
    const messageId = await messageIdOf(tx, conversationId, owner.tenantId, event.targetId);
    if (!messageId) {
      deps.log.debug(
        { kind: event.kind, targetId: event.targetId },
        'the message referred to is not stored here',
      );
      return;
    }
    const patch =
      event.kind === 'deleted'
        ? sql`${conversationMessages.metadata} || ${JSON.stringify({ deleted_by_customer: event.at.toISOString() })}::jsonb`
        : event.emoji
          ? sql`${conversationMessages.metadata} || ${JSON.stringify({ customer_reaction: event.emoji })}::jsonb`
          : sql`${conversationMessages.metadata} - 'customer_reaction'`;
    await tx
      .update(conversationMessages)
      .set({ metadata: patch })
      .where(eq(conversationMessages.id, messageId));
  });
}

/** The stored message a platform id refers to: a customer's own, or one of ours by its sent id. */
async function messageIdOf(tx: Tx, conversationId: string, tenantId: string, platformId: string) {
  const [own] = await tx
    .select({ id: conversationMessages.id })
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.conversationId, conversationId),
        eq(conversationMessages.clientId, platformId),
      ),
    );
  if (own) return own.id;
  const [ours] = await tx
    .select({ id: outboundMessages.messageId })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.tenantId, tenantId), eq(outboundMessages.platformMessageId, platformId)));
  return ours?.id ?? undefined;
}

/** Appends a message unless one with the same platform id is already stored; true if stored now. */
async function storeOnce(tx: Tx, message: Parameters<typeof appendMessage>[1]): Promise<boolean> {
  try {
    const result = await tx.transaction((inner) => appendMessage(inner, message));
    return !result.duplicate;
  } catch (error) {
    if (sqlState(error) === PG_UNIQUE_VIOLATION) return false;
    throw error;
  }
}

function earliest(current: Date | null, incoming: Date): Date {
  return current && current.getTime() <= incoming.getTime() ? current : incoming;
}
