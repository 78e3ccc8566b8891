import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/database.ts';
import { withoutTenant, withTenant } from '../../db/tenant-scope.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { getBotSettingsRow } from '../settings/bot-settings-store.ts';
import type { Mailer } from './mailer.ts';
import { renderNotificationEmail } from './notification-email.ts';
import { claimNotification, type Notification, recordDelivery } from './notification-store.ts';
import { openSecret } from './secret-box.ts';
import { signWebhook } from './webhook-signature.ts';

export interface RetryPolicy {
  maxAttempts: number;
  /** Delay after the first failure; it doubles after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
};

export interface NotificationDispatcherDeps {
  db: Db;
  /** Decrypts the tenants' webhook secrets. */
  encryptionKey: Buffer;
  /** Absent: email notifications wait (and are retried) until SMTP is configured. */
  mailer?: Mailer | undefined;
  clock: Clock;
  log: Logger;
  retry?: RetryPolicy | undefined;
  /** A request that takes longer has failed. */
  webhookTimeoutMs?: number;
  /** A claimed notification another process may take over after this long. */
  lockMs?: number;
  fetch?: typeof fetch;
}

export interface NotificationDispatcher {
  /** Delivers every notification due now; resolves with how many were attempted. */
  runDue(): Promise<number>;
  /** Asks for a delivery round soon (after a commit that queued notifications). */
  kick(): void;
  /** Polls for due notifications (retries, and work left by a stopped process). */
  start(pollMs?: number): void;
  stop(): Promise<void>;
}

/**
 * Delivers queued notifications: webhooks signed with HMAC-SHA256, and email over SMTP. A failed
 * delivery is retried with exponential backoff and jitter up to `maxAttempts`, then marked
 * failed; every attempt's outcome is kept on the notification row. Several processes may run a
 * dispatcher: each claims a row (a lease in `locked_until`) before sending it.
 */
export function createNotificationDispatcher(deps: NotificationDispatcherDeps): NotificationDispatcher {
  const retry = deps.retry ?? DEFAULT_RETRY_POLICY;
  const lockMs = deps.lockMs ?? 60_000;
  const doFetch = deps.fetch ?? fetch;
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function deliver(notification: Notification): Promise<void> {
    if (notification.channel === 'webhook') return sendWebhook(notification);
    if (!deps.mailer) throw new Error('SMTP is not configured (set SMTP_URL and SMTP_FROM)');
    const email = renderNotificationEmail(notification);
    await deps.mailer.send({ to: notification.target, ...email });
  }

  async function sendWebhook(notification: Notification): Promise<void> {
    const settings = await withTenant(deps.db, notification.tenantId, (tx) =>
      getBotSettingsRow(tx, notification.tenantId),
    );
    if (!settings?.webhookSecretEncrypted) throw new Error('the webhook has no signing secret');
    const secret = openSecret(deps.encryptionKey, settings.webhookSecretEncrypted);
    const now = deps.clock.now();
    const body = JSON.stringify({
      id: notification.id,
      event: notification.event,
      created_at: notification.createdAt.toISOString(),
      attempt: notification.attempts + 1,
      data: notification.payload,
    });
    const response = await doFetch(notification.target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Causette-Webhooks/1',
        'causette-event': notification.event,
        'causette-delivery': notification.id,
        'causette-signature': signWebhook(secret, body, Math.floor(now.getTime() / 1000)),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(deps.webhookTimeoutMs ?? 10_000),
    });
    // The body is read (and dropped) so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
  }

  function retryAt(attempts: number): Date | null {
    if (attempts >= retry.maxAttempts) return null;
    const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1));
    const jitter = 0.8 + Math.random() * 0.4;
    return new Date(deps.clock.now().getTime() + Math.round(delay * jitter));
  }

  async function runOnce(): Promise<number> {
    const now = deps.clock.now();
    const due = await withoutTenant(deps.db, (tx) =>
      queryRows<{ id: string; tenant_id: string }>(
        tx,
        sql`select id, tenant_id from causette_due_notifications(${now.toISOString()}::timestamptz, 100)`,
      ),
    );
    let attempted = 0;
    for (const { id, tenant_id: tenantId } of due) {
      if (stopped) break;
      const claimed = await withTenant(deps.db, tenantId, (tx) => claimNotification(tx, id, now, lockMs));
      if (!claimed) continue;
      attempted += 1;
      try {
        await deliver(claimed);
        await withTenant(deps.db, tenantId, (tx) =>
          recordDelivery(tx, id, { ok: true, at: deps.clock.now() }),
        );
        deps.log.info(
          { notificationId: id, tenantId, channel: claimed.channel, event: claimed.event },
          'notification sent',
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const next = retryAt(claimed.attempts + 1);
        await withTenant(deps.db, tenantId, (tx) =>
          recordDelivery(tx, id, { ok: false, error: message, retryAt: next }),
        );
        deps.log.warn(
          {
            notificationId: id,
            tenantId,
            channel: claimed.channel,
            attempt: claimed.attempts + 1,
            error: message,
            retryAt: next,
          },
          next ? 'notification failed; will retry' : 'notification failed for good',
        );
      }
    }
    return attempted;
  }

  function runDue(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await runOnce();
        } while (again && !stopped);
      } finally {
        running = undefined;
      }
      return total;
    })();
    return running;
  }

  return {
    runDue,
    kick() {
      if (stopped) return;
      void runDue().catch((error: unknown) => deps.log.error({ err: error }, 'notification round failed'));
    },
    start(pollMs = 15_000) {
      if (timer) return;
      timer = setInterval(() => {
        void runDue().catch((error: unknown) => deps.log.error({ err: error }, 'notification round failed'));
      }, pollMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
