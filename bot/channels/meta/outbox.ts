import { asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import { conversationMessages, outboundMessages } from '../../../migrations/schema/index.ts';
import type { OutboundDelivery } from '../../conversation/turn-handler.ts';
import { getContact } from './channel-contacts.ts';
import { getChannelSettings, windowSettingsOf } from './channel-settings-store.ts';
import { decideSendMode } from './customer-window.ts';
import { statusRank } from './delivery-status.ts';
import { INSTAGRAM_TEXT_LIMIT, splitText, WHATSAPP_TEXT_LIMIT } from './split-text.ts';

export type OutboundPart = typeof outboundMessages.$inferSelect;

export interface MetaOutbox extends OutboundDelivery {
  /** Queues WhatsApp's "read" receipt (with a typing indicator) for a customer message, once. */
  enqueueReadReceipt(
    tx: Tx,
    input: { tenantId: string; conversationId: string; socialAccountId: string; customerMessageId: string },
  ): Promise<void>;
}

/**
 * The outbox of the Meta channels. Each bot or operator message of a WhatsApp or Instagram
 * conversation becomes one row per part (long answers are split at the platform's limit) in the
 * transaction that stores the message; a message that may not be sent at all (the customer
 * service window is closed and nothing may reopen it) is recorded as refused, with the reason on
 * the message where the operator sees it.
 */
export function createMetaOutbox(options: { now: () => Date; onQueued?: () => void }): MetaOutbox {
  return {
    async enqueue(tx, conversation, message) {
      if (conversation.channel !== 'whatsapp' && conversation.channel !== 'instagram') return;
      if (message.role !== 'assistant' && message.role !== 'agent') return;
      const platform = conversation.channel;
      const contact = await getContact(tx, conversation.id);
      const settings = windowSettingsOf(await getChannelSettings(tx, conversation.tenantId));
      const base = {
        tenantId: conversation.tenantId,
        conversationId: conversation.id,
        messageId: message.id,
        socialAccountId: contact?.socialAccountId ?? null,
        platform,
        authorRole: message.role,
      };
      const mode = decideSendMode({
        platform,
        role: message.role,
        lastInboundAt: contact?.lastInboundAt ?? null,
        now: options.now(),
        settings,
      });
      if (!contact?.socialAccountId || mode.kind === 'refused') {
        const reason = !contact?.socialAccountId
          ? 'account_disconnected'
          : mode.kind === 'refused'
            ? mode.reason
            : '';
        const detail =
          mode.kind === 'refused' && contact?.socialAccountId
            ? mode.detail
            : 'No connected account can reach this customer: connect the account again.';
        await tx.insert(outboundMessages).values({
          ...base,
          kind: 'text',
          body: message.content,
          status: 'refused',
          reason,
          errorMessage: detail,
          failedAt: options.now(),
        });
        // On the caller's copy too, so that an operator's reply answered by the API shows at
        // once that it was refused, and why.
        message.metadata['delivery'] = await refreshDeliverySummary(tx, message.id);
        return;
      }
      const parts =
        mode.kind === 'template'
          ? [message.content]
          : splitText(message.content, platform === 'whatsapp' ? WHATSAPP_TEXT_LIMIT : INSTAGRAM_TEXT_LIMIT);
      if (parts.length === 0) return;
      await tx.insert(outboundMessages).values(
        parts.map((body, partIndex) => ({
          ...base,
          kind: mode.kind === 'template' ? 'template' : 'text',
          body,
          partIndex,
          partCount: parts.length,
          nextAttemptAt: options.now(),
        })),
      );
      message.metadata['delivery'] = await refreshDeliverySummary(tx, message.id);
    },
    afterCommit() {
      options.onQueued?.();
    },
    async enqueueReadReceipt(tx, input) {
      await tx
        .insert(outboundMessages)
        .values({
          tenantId: input.tenantId,
          conversationId: input.conversationId,
          socialAccountId: input.socialAccountId,
          platform: 'whatsapp',
          kind: 'mark_read',
          authorRole: 'assistant',
          targetMessageId: input.customerMessageId,
          nextAttemptAt: options.now(),
        })
        .onConflictDoNothing({
          target: [outboundMessages.tenantId, outboundMessages.targetMessageId],
          where: sql`kind = 'mark_read'`,
        });
    },
  };
}

/**
 * Copies the parts' state onto the message's metadata as `delivery`, which is what the admin
 * API shows an operator next to each message: how far it got, and why it stopped if it did.
 */
export async function refreshDeliverySummary(tx: Tx, messageId: string | null): Promise<unknown> {
  if (!messageId) return undefined;
  const parts = await tx
    .select()
    .from(outboundMessages)
    .where(eq(outboundMessages.messageId, messageId))
    .orderBy(asc(outboundMessages.partIndex));
  if (parts.length === 0) return undefined;
  const stopped = parts.find((p) => p.status === 'refused') ?? parts.find((p) => p.status === 'failed');
  const status = stopped
    ? stopped.status
    : parts.reduce((low, p) => (statusRank(p.status) < statusRank(low) ? p.status : low), parts[0]!.status);
  const summary = {
    status,
    parts: parts.length,
    platform_message_ids: parts.map((p) => p.platformMessageId).filter(Boolean),
    ...(parts.some((p) => p.sentAs) ? { sent_as: parts.find((p) => p.sentAs)?.sentAs } : {}),
    ...(stopped
      ? {
          reason: stopped.reason,
          error: { code: stopped.errorCode, subcode: stopped.errorSubcode, message: stopped.errorMessage },
        }
      : {}),
    updated_at: new Date().toISOString(),
  };
  await tx
    .update(conversationMessages)
    .set({
      metadata: sql`${conversationMessages.metadata} || ${JSON.stringify({ delivery: summary })}::jsonb`,
    })
    .where(eq(conversationMessages.id, messageId));
  return summary;
}
