import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { notifications } from '../../migrations/schema/index.ts';

export type Notification = typeof notifications.$inferSelect;
export type NotificationEvent = 'escalation.created' | 'lead.hot' | 'notification.test';

export interface NotificationTargets {
  webhookUrl: string | null;
  emails: readonly string[];
}

/**
 * Records one notification per target, in the caller's transaction: if the change that causes
 * them is rolled back, so are they, and once it commits they are delivered even after a crash.
 */
export async function enqueueNotifications(
  tx: Tx,
  input: {
    tenantId: string;
    event: NotificationEvent;
    payload: Record<string, unknown>;
    targets: NotificationTargets;
    escalationId?: string | null;
    conversationId?: string | null;
    now: Date;
  },
): Promise<Notification[]> {
  const rows = [
    ...(input.targets.webhookUrl ? [{ channel: 'webhook', target: input.targets.webhookUrl }] : []),
    ...[...new Set(input.targets.emails)].map((email) => ({ channel: 'email', target: email })),
  ];
  if (rows.length === 0) return [];
  return tx
    .insert(notifications)
    .values(
      rows.map((row) => ({
        tenantId: input.tenantId,
        event: input.event,
        channel: row.channel,
        target: row.target,
        payload: input.payload,
        escalationId: input.escalationId ?? null,
        conversationId: input.conversationId ?? null,
        nextAttemptAt: input.now,
      })),
    )
    .returning();
}

export async function listNotifications(
  tx: Tx,
  options: { limit: number; status?: string; escalationId?: string },
): Promise<Notification[]> {
  const filters: SQL[] = [];
  if (options.status) filters.push(eq(notifications.status, options.status));
  if (options.escalationId) filters.push(eq(notifications.escalationId, options.escalationId));
  return tx
    .select()
    .from(notifications)
    .where(and(...filters))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit);
}

/** Takes a due notification for delivery; undefined when another process already has it. */
export async function claimNotification(tx: Tx, id: string, now: Date, lockMs: number) {
  const [row] = await tx
    .update(notifications)
    .set({ lockedUntil: new Date(now.getTime() + lockMs) })
    .where(
      and(
        eq(notifications.id, id),
        eq(notifications.status, 'pending'),
        sql`${notifications.nextAttemptAt} <= ${now.toISOString()}::timestamptz`,
        sql`(${notifications.lockedUntil} is null or ${notifications.lockedUntil} < ${now.toISOString()}::timestamptz)`,
      ),
    )
    .returning();
  return row;
}

export async function recordDelivery(
  tx: Tx,
  id: string,
  outcome: { ok: true; at: Date } | { ok: false; error: string; retryAt: Date | null },
): Promise<void> {
  await tx
    .update(notifications)
    .set(
      outcome.ok
        ? {
            status: 'sent',
            sentAt: outcome.at,
            lockedUntil: null,
            lastError: null,
            attempts: sql`${notifications.attempts} + 1`,
          }
        : {
            status: outcome.retryAt ? 'pending' : 'failed',
            lastError: outcome.error.slice(0, 1000),
            lockedUntil: null,
            attempts: sql`${notifications.attempts} + 1`,
            ...(outcome.retryAt ? { nextAttemptAt: outcome.retryAt } : {}),
          },
    )
    .where(eq(notifications.id, id));
}
