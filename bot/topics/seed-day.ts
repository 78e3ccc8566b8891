import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { appendMessage, type Channel, openConversation } from '../conversation/conversation-store.ts';

export interface SeededMessage {
  text: string;
  at: Date;
  /** The customer message's own metadata (channel details). */
  metadata?: Record<string, unknown>;
  /** The bot's reply metadata, when the message got one. */
  reply?: Record<string, unknown>;
}

const CHANNELS: Channel[] = ['widget', 'whatsapp', 'instagram'];

/**
 * Stores customer messages (and the bot's replies) as if written at the given times, spread over a
 * few conversations on every channel. For tests of the topics job. Returns the messages' ids.
 */
export async function seedCustomerMessages(
  db: Db,
  tenantId: string,
  messages: readonly SeededMessage[],
): Promise<string[]> {
  return withTenant(db, tenantId, async (tx) => {
    const ids: string[] = [];
    for (const [i, message] of messages.entries()) {
      const conversation = await openConversation(tx, tenantId, `visitor-${i % 9}`, CHANNELS[i % 3]!);
      const stored = await appendMessage(tx, {
        tenantId,
        conversationId: conversation.id,
        role: 'user',
        content: message.text,
        metadata: message.metadata ?? {},
      });
      await tx.execute(
        sql`update conversation_messages set created_at = ${message.at.toISOString()}::timestamptz where id = ${stored.message.id}`,
      );
      if (message.reply) {
        await appendMessage(tx, {
          tenantId,
          conversationId: conversation.id,
          role: 'assistant',
          content: 'reply',
          metadata: { ...message.reply, reply_to: stored.message.id },
        });
      }
      ids.push(stored.message.id);
    }
    return ids;
  });
}
