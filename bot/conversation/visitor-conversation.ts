import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { conversations } from '../../migrations/schema/index.ts';
import { type Conversation, openConversation } from './conversation-store.ts';

/** What a site told us about its visitor (window.Causette.identify). */
export interface VisitorProfile {
  userId: string;
  name?: string;
  email?: string;
  /** Proven by the site's HMAC; an unverified profile is shown to operators as a claim only. */
  verified: boolean;
}

/**
 * The widget conversation of a visitor. A verified user (`userKey`) gets the same conversation on
 * every device; the first time they are identified, the anonymous conversation they had in this
 * browser becomes theirs, so nothing they already said is lost.
 */
export async function openVisitorConversation(
  tx: Tx,
  tenantId: string,
  visitorId: string,
  userKey?: string,
): Promise<Conversation> {
  if (!userKey) return openConversation(tx, tenantId, visitorId, 'widget');
  const [existing] = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.userId, userKey),
        eq(conversations.channel, 'widget'),
      ),
    );
  if (existing) return existing;
  const [adopted] = await tx
    .update(conversations)
    .set({ userId: userKey })
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.userId, visitorId),
        eq(conversations.channel, 'widget'),
      ),
    )
    .returning();
  return adopted ?? openConversation(tx, tenantId, userKey, 'widget');
}

/** Records who the visitor says they are in the conversation's metadata, for operators. */
export async function setVisitorProfile(
  tx: Tx,
  conversationId: string,
  profile: VisitorProfile,
): Promise<void> {
  await tx
    .update(conversations)
    .set({ metadata: sql`${conversations.metadata} || ${JSON.stringify({ visitor: profile })}::jsonb` })
    .where(eq(conversations.id, conversationId));
}

/** The highest seq the visitor's widget acknowledged; never moves backwards. */
export async function recordVisitorAck(tx: Tx, conversationId: string, seq: number): Promise<void> {
  await tx
    .update(conversations)
    .set({ visitorAckedSeq: sql`greatest(${conversations.visitorAckedSeq}, ${seq})` })
    .where(eq(conversations.id, conversationId));
}
