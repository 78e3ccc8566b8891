import type { Tx } from '../../db/database.ts';
import type { Conversation } from '../conversation/conversation-store.ts';
import { enqueueNotifications } from '../notifications/notification-store.ts';
import { getBotSettingsRow } from '../settings/bot-settings-store.ts';
import { getBusinessProfile, getTenant } from '../tenants/tenant-store.ts';
import { type Escalation, openEscalation } from './escalation-store.ts';

/**
 * Hands a conversation to a human inside the caller's transaction: the escalation row, the
 * conversation's status, and one notification per target (the tenant's webhook, its emails).
 * A conversation that already has an open escalation keeps it and notifies no one again.
 */
export async function escalateConversation(
  tx: Tx,
  input: {
    conversation: Conversation;
    reason: string;
    summary: string | null;
    lastMessage: string | null;
    now: Date;
  },
): Promise<{ escalation: Escalation; created: boolean; notified: number }> {
  const { conversation } = input;
  const { escalation, created } = await openEscalation(tx, {
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    reason: input.reason,
    summary: input.summary,
  });
  if (!created) return { escalation, created, notified: 0 };
  // One after another: a transaction is one connection.
  const settings = await getBotSettingsRow(tx, conversation.tenantId);
  const profile = await getBusinessProfile(tx, conversation.tenantId);
  const tenant = await getTenant(tx, conversation.tenantId);
  const emails = settings?.notifyEmails.length
    ? settings.notifyEmails
    : profile?.escalationEmail
      ? [profile.escalationEmail]
      : [];
  const notifications = await enqueueNotifications(tx, {
    tenantId: conversation.tenantId,
    event: 'escalation.created',
    escalationId: escalation.id,
    conversationId: conversation.id,
    now: input.now,
    targets: { webhookUrl: settings?.webhookSecretEncrypted ? settings.webhookUrl : null, emails },
    payload: {
      escalation_id: escalation.id,
      conversation_id: conversation.id,
      channel: conversation.channel,
      user_id: conversation.userId,
      reason: escalation.reason,
      summary: escalation.summary,
      status: escalation.status,
      last_message: input.lastMessage?.slice(0, 2000) ?? null,
      tenant_name: tenant?.name ?? null,
      created_at: escalation.createdAt.toISOString(),
    },
  });
  return { escalation, created, notified: notifications.length };
}
