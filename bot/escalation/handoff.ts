import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { conversations } from '../../migrations/schema/index.ts';

/**
 * The one status that means "a human owns this conversation": the bot says nothing in it until
 * the conversation is returned. Escalations, an operator's takeover and a business replying from
 * its own Instagram or WhatsApp app all set it; resolving returns the conversation to 'open'.
 */
export const HUMAN_OWNED = 'escalated';
export const BOT_OWNED = 'open';

export function isHumanOwned(conversation: { status: string }): boolean {
  return conversation.status === HUMAN_OWNED;
}

/** Marks the conversation as a human's; the bot stays silent there from now on. */
export async function handOverToHuman(tx: Tx, conversationId: string): Promise<void> {
  await tx.update(conversations).set({ status: HUMAN_OWNED }).where(eq(conversations.id, conversationId));
}

/** Gives the conversation back to the bot. */
export async function returnToBot(tx: Tx, conversationId: string): Promise<void> {
  await tx.update(conversations).set({ status: BOT_OWNED }).where(eq(conversations.id, conversationId));
}
