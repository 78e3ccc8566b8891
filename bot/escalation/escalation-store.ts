import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { escalations } from '../../migrations/schema/index.ts';
import { handOverToHuman, returnToBot } from './handoff.ts';

export type Escalation = typeof escalations.$inferSelect;
export type EscalationStatus = 'pending' | 'in_progress' | 'resolved';

/** Why a conversation went to a human; stored as the escalation's reason. */
export type EscalationReason =
  | 'requested_human'
  | 'complaint'
  | 'refund_request'
  | 'negative_sentiment'
  | 'low_confidence'
  | 'agent_decision'
  | 'operator_takeover'
  | (string & {});

/** The operation does not fit the escalation's state (taken by someone else, resolved). */
export class EscalationConflictError extends Error {
  readonly code = 'CAUSETTE_ERR_ESCALATION_CONFLICT';
  /** The API answers 409 with this error's code and message. */
  readonly statusCode = 409;
}

/**
 * Opens an escalation and hands the conversation to a human, unless one is already open for it:
 * then that one is returned, so repeated triggers never make a second ticket (no handoff loops).
 */
export async function openEscalation(
  tx: Tx,
  input: {
    tenantId: string;
    conversationId: string;
    reason: EscalationReason;
    summary: string | null;
    status?: 'pending' | 'in_progress';
    assignedTo?: string | null;
  },
): Promise<{ escalation: Escalation; created: boolean }> {
  const existing = await openEscalationOf(tx, input.conversationId);
  if (existing) return { escalation: existing, created: false };
  const [escalation] = await tx
    .insert(escalations)
    .values({
      tenantId: input.tenantId,
      conversationId: input.conversationId,
      reason: input.reason.slice(0, 255),
      summary: input.summary,
      status: input.status ?? 'pending',
      assignedTo: input.assignedTo ?? null,
    })
    .returning();
  if (!escalation) throw new Error('escalation insert returned no row');
  await handOverToHuman(tx, input.conversationId);
  return { escalation, created: true };
}

/** The conversation's escalation that is not resolved yet, if any. */
export async function openEscalationOf(tx: Tx, conversationId: string): Promise<Escalation | undefined> {
  const [row] = await tx
    .select()
    .from(escalations)
    .where(
      and(
        eq(escalations.conversationId, conversationId),
        inArray(escalations.status, ['pending', 'in_progress']),
      ),
    )
    .orderBy(desc(escalations.createdAt))
    .limit(1);
  return row;
}

export async function getEscalation(tx: Tx, id: string, lock = false): Promise<Escalation | undefined> {
  const query = tx.select().from(escalations).where(eq(escalations.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function listEscalations(
  tx: Tx,
  options: { status?: EscalationStatus; limit: number; before?: { at: Date; id: string } },
): Promise<Escalation[]> {
  const filters: SQL[] = [];
  if (options.status) filters.push(eq(escalations.status, options.status));
  if (options.before) {
    filters.push(
      or(
        lt(escalations.createdAt, options.before.at),
        and(eq(escalations.createdAt, options.before.at), lt(escalations.id, options.before.id)),
      )!,
    );
  }
  return tx
    .select()
    .from(escalations)
    .where(and(...filters))
    .orderBy(desc(escalations.createdAt), desc(escalations.id))
    .limit(options.limit);
}

/**
 * An operator takes the escalation: in_progress, assigned to them. Taking one's own again is a
 * no-op; taking one another operator holds, or a resolved one, is a conflict.
 */
export async function takeEscalation(tx: Tx, id: string, agent: string): Promise<Escalation | undefined> {
  const current = await getEscalation(tx, id, true);
  if (!current) return undefined;
  if (current.status === 'resolved') throw new EscalationConflictError('This escalation is already resolved');
  if (current.status === 'in_progress') {
    if (current.assignedTo === agent) return current;
    throw new EscalationConflictError(
      `This escalation is already taken by ${current.assignedTo ?? 'someone else'}`,
    );
  }
  const [taken] = await tx
    .update(escalations)
    .set({ status: 'in_progress', assignedTo: agent })
    .where(eq(escalations.id, id))
    .returning();
  // The conversation may have been given back in between; a human owns it again now.
  await handOverToHuman(tx, current.conversationId);
  return taken;
}

/** Closes the escalation and gives the conversation back to the bot. */
export async function resolveEscalation(tx: Tx, id: string): Promise<Escalation | undefined> {
  const current = await getEscalation(tx, id, true);
  if (!current) return undefined;
  if (current.status === 'resolved') return current;
  const [resolved] = await tx
    .update(escalations)
    .set({ status: 'resolved', resolvedAt: new Date() })
    .where(eq(escalations.id, id))
    .returning();
  await returnToBot(tx, current.conversationId);
  return resolved;
}
