import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { meetings } from '../../migrations/schema/index.ts';

export type Meeting = typeof meetings.$inferSelect;

/**
 * The booking link offered to a visitor: the tenant's Cal.com page with the visitor's name and
 * email filled in when known, and the conversation in the booking's metadata so that Cal.com's
 * own webhook can be matched back to it. Recorded as a meeting with status 'offered'; offering
 * again in the same conversation reuses the row.
 */
export async function offerMeeting(
  tx: Tx,
  input: {
    tenantId: string;
    conversationId: string;
    userId: string;
    calcomUrl: string;
    name?: string | null | undefined;
    email?: string | null | undefined;
  },
): Promise<Meeting> {
  const url = new URL(input.calcomUrl);
  if (input.name) url.searchParams.set('name', input.name);
  if (input.email) url.searchParams.set('email', input.email);
  url.searchParams.set('metadata[causette_conversation]', input.conversationId);
  const meetingUrl = url.toString().slice(0, 500);
  const [existing] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.conversationId, input.conversationId), eq(meetings.status, 'offered')))
    .limit(1);
  if (existing) {
    const [updated] = await tx
      .update(meetings)
      .set({ meetingUrl })
      .where(eq(meetings.id, existing.id))
      .returning();
    return updated ?? existing;
  }
  const [created] = await tx
    .insert(meetings)
    .values({
      tenantId: input.tenantId,
      conversationId: input.conversationId,
      userId: input.userId,
      meetingUrl,
      status: 'offered',
    })
    .returning();
  if (!created) throw new Error('meeting insert returned no row');
  return created;
}
