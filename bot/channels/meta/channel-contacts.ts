import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import { channelContacts, conversations } from '../../../migrations/schema/index.ts';
import { type Conversation, openConversation } from '../../conversation/conversation-store.ts';
import type { CustomerRef } from './inbound-event.ts';
import type { MetaPlatform } from './social-account-store.ts';

export type ChannelContact = typeof channelContacts.$inferSelect;

/**
 * The conversation of a customer writing on WhatsApp or Instagram, created on first contact, and
 * the customer's details brought up to date: ids, profile name, the account that heard them and
 * when (the customer service window runs from the latest customer message).
 *
 * A WhatsApp customer is found by business-scoped user id first and phone number second, so a
 * username user without a visible number, or one whose number changes, stays one conversation.
 */
export async function resolveContact(
  tx: Tx,
  input: {
    tenantId: string;
    platform: MetaPlatform;
    socialAccountId: string;
    customer: CustomerRef;
    /** When the customer wrote; undefined for events that do not open the window. */
    inboundAt: Date | undefined;
  },
): Promise<{ conversation: Conversation; contact: ChannelContact } | undefined> {
  const { tenantId, platform, customer } = input;
  let existing = customer.scopedUserId
    ? await findContact(tx, tenantId, platform, 'scopedUserId', customer.scopedUserId)
    : undefined;
  if (!existing && customer.waId) existing = await findContact(tx, tenantId, platform, 'waId', customer.waId);

  let conversationId: string;
  if (existing) {
    conversationId = existing.conversationId;
  } else {
    const userId = customer.scopedUserId ?? customer.waId;
    if (!userId) return undefined;
    const conversation = await openConversation(tx, tenantId, userId, platform);
    conversationId = conversation.id;
    await tx
      .insert(channelContacts)
      .values({ conversationId, tenantId, platform, socialAccountId: input.socialAccountId })
      .onConflictDoNothing({ target: channelContacts.conversationId });
  }

  const [contact] = await tx
    .update(channelContacts)
    .set({
      socialAccountId: input.socialAccountId,
      ...(customer.waId ? { waId: customer.waId } : {}),
      ...(customer.scopedUserId ? { scopedUserId: customer.scopedUserId } : {}),
      ...(customer.name ? { profileName: customer.name } : {}),
      ...(customer.username ? { username: customer.username } : {}),
      ...(input.inboundAt
        ? {
            lastInboundAt: sql`greatest(${channelContacts.lastInboundAt}, ${input.inboundAt.toISOString()}::timestamptz)`,
          }
        : {}),
    })
    .where(eq(channelContacts.conversationId, conversationId))
    .returning();
  if (!contact) throw new Error('channel contact vanished');

  // The name shows on the conversation itself, where operators look; written only on change.
  const previousName = existing?.profileName ?? null;
  const previousUsername = existing?.username ?? null;
  if (
    (customer.name && customer.name !== previousName) ||
    (customer.username && customer.username !== previousUsername) ||
    !existing
  ) {
    await setConversationProfile(tx, conversationId, contact);
  }
  const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
  if (!conversation) throw new Error('conversation vanished');
  return { conversation, contact };
}

export async function getContact(tx: Tx, conversationId: string): Promise<ChannelContact | undefined> {
  const [contact] = await tx
    .select()
    .from(channelContacts)
    .where(eq(channelContacts.conversationId, conversationId));
  return contact;
}

/** Stores a profile fetched from the Graph API (Instagram) on the contact and the conversation. */
export async function saveFetchedProfile(
  tx: Tx,
  conversationId: string,
  profile: { name?: string; username?: string },
  at: Date,
): Promise<void> {
  const [contact] = await tx
    .update(channelContacts)
    .set({
      profileFetchedAt: at,
      ...(profile.name ? { profileName: profile.name } : {}),
      ...(profile.username ? { username: profile.username } : {}),
    })
    .where(eq(channelContacts.conversationId, conversationId))
    .returning();
  if (contact) await setConversationProfile(tx, conversationId, contact);
}

/** A WhatsApp customer's new phone number, from a user_changed_number system message. */
export async function changeWaId(tx: Tx, conversationId: string, waId: string): Promise<void> {
  await tx.update(channelContacts).set({ waId }).where(eq(channelContacts.conversationId, conversationId));
}

async function setConversationProfile(tx: Tx, conversationId: string, contact: ChannelContact) {
  const profile = {
    profile_name: contact.profileName,
    username: contact.username,
    ...(contact.waId ? { phone: contact.waId } : {}),
  };
  await tx
    .update(conversations)
    .set({ metadata: sql`${conversations.metadata} || ${JSON.stringify(profile)}::jsonb` })
    .where(eq(conversations.id, conversationId));
}

function findContact(
  tx: Tx,
  tenantId: string,
  platform: MetaPlatform,
  column: 'scopedUserId' | 'waId',
  value: string,
): Promise<ChannelContact | undefined> {
  return tx
    .select()
    .from(channelContacts)
    .where(
      and(
        eq(channelContacts.tenantId, tenantId),
        eq(channelContacts.platform, platform),
        eq(channelContacts[column], value),
      ),
    )
    .then((rows) => rows[0]);
}
