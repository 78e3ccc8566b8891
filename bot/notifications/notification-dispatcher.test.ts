import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { notifications } from '../../migrations/schema/index.ts';
import type { Clock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { updateBotSettings } from '../settings/bot-settings-store.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { createSmtpMailer } from './mailer.ts';
import { createNotificationDispatcher } from './notification-dispatcher.ts';
import { enqueueNotifications } from './notification-store.ts';
import { sealSecret } from './secret-box.ts';
import { newWebhookSecret, verifyWebhookSignature } from './webhook-signature.ts';

let testDb: TestDatabase;
let tenantId: string;
const key = randomBytes(32);
const secret = newWebhookSecret();
let now = new Date('2025-06-11T08:00:00Z');
const clock: Clock = { now: () => now };

interface Received {
  body: string;
  signature: string | undefined;
  event: string | undefined;
}
let receiver: Server;
let received: Received[];
let answers: number[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({
        body,
        signature: request.headers['causette-signature'] as string | undefined,
        event: request.headers['causette-event'] as string | undefined,
      });
      response.statusCode = answers.shift() ?? 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  received = [];
  answers = [];
  now = new Date('2025-06-11T08:00:00Z');
  tenantId = (await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' })).id;
});

async function queue(targets: { webhookUrl: string | null; emails: string[] }) {
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  await withTenant(testDb.database.db, tenantId, async (tx) => {
    await updateBotSettings(tx, tenantId, {
      webhookUrl: url,
      webhookSecretEncrypted: sealSecret(key, secret),
    });
    await enqueueNotifications(tx, {
      tenantId,
      event: 'escalation.created',
      payload: {
        reason: 'complaint',
        summary: 'Broken parcel',
        conversation_id: 'c1',
        escalation_id: 'e1',
        tenant_name: 'Shop',
      },
      targets: { webhookUrl: targets.webhookUrl ? url : null, emails: targets.emails },
      now,
    });
  });
}

async function rows() {
  return withTenant(testDb.database.db, tenantId, (tx) => tx.select().from(notifications));
}

describe('webhook notifications', () => {
  it('signs with HMAC-SHA256 over the exact body and retries with backoff until delivered', async () => {
    answers = [500, 503];
    await queue({ webhookUrl: 'yes', emails: [] });
    const dispatcher = createNotificationDispatcher({
      db: testDb.database.db,
      encryptionKey: key,
      clock,
      log: silentLogger,
      retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 600_000 },
    });

    expect(await dispatcher.runDue()).toBe(1);
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'the webhook answered HTTP 500' });
    // Not due yet: nothing is sent before the backoff has passed (48–72 s for the first retry).
    now = new Date(now.getTime() + 40_000);
    expect(await dispatcher.runDue()).toBe(0);
    now = new Date(now.getTime() + 40_000);
    expect(await dispatcher.runDue()).toBe(1);
    [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    // The second retry waits about twice as long.
    expect(row!.nextAttemptAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(96_000);
    now = new Date(now.getTime() + 150_000);
    expect(await dispatcher.runDue()).toBe(1);
    [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });

    expect(received).toHaveLength(3);
    for (const delivery of received) {
      expect(delivery.event).toBe('escalation.created');
      expect(
        verifyWebhookSignature(
          secret,
          delivery.body,
          delivery.signature,
          Math.floor(now.getTime() / 1000),
          3600,
        ),
      ).toBe(true);
      expect(
        verifyWebhookSignature(
          'whsec_wrong',
          delivery.body,
          delivery.signature,
          Math.floor(now.getTime() / 1000),
          3600,
        ),
      ).toBe(false);
      expect(
        verifyWebhookSignature(
          secret,
          `${delivery.body} `,
          delivery.signature,
          Math.floor(now.getTime() / 1000),
          3600,
        ),
      ).toBe(false);
    }
    expect(JSON.parse(received[2]!.body)).toMatchObject({
      event: 'escalation.created',
      attempt: 3,
      data: { reason: 'complaint' },
    });
    await dispatcher.stop();
  });

  it('gives up after the last attempt and says so on the row', async () => {
    answers = [500, 500];
    await queue({ webhookUrl: 'yes', emails: [] });
    const dispatcher = createNotificationDispatcher({
      db: testDb.database.db,
      encryptionKey: key,
      clock,
      log: silentLogger,
      retry: { maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    await dispatcher.runDue();
    now = new Date(now.getTime() + 5000);
    await dispatcher.runDue();
    now = new Date(now.getTime() + 5000);
    expect(await dispatcher.runDue()).toBe(0);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    await dispatcher.stop();
  });

  it('refuses replayed signatures older than the tolerance', () => {
    const body = '{"a":1}';
    const header = `t=1000,v1=${'0'.repeat(64)}`;
    expect(verifyWebhookSignature(secret, body, header, 1000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined, 1000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 'garbage', 1000)).toBe(false);
  });
});

describe('email notifications', () => {
  let smtp: SMTPServer;
  let mails: { to: string[]; data: string }[];
  let smtpPort: number;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => {
          data += chunk.toString();
        });
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });
  afterEach(() => {
    mails = [];
  });

  it('sends the escalation by SMTP to each address and records it as sent', async () => {
    mails = [];
    await queue({ webhookUrl: null, emails: ['support@shop.example', 'boss@shop.example'] });
    const mailer = createSmtpMailer({
      url: `smtp://127.0.0.1:${smtpPort}?tls=off`,
      from: 'Causette <bot@causette.test>',
    });
    const dispatcher = createNotificationDispatcher({
      db: testDb.database.db,
      encryptionKey: key,
      clock,
      log: silentLogger,
      mailer,
    });
    expect(await dispatcher.runDue()).toBe(2);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['boss@shop.example', 'support@shop.example']);
    expect(mails[0]!.data).toContain('Subject: [Shop] Conversation escalated: complaint');
    expect(mails[0]!.data).toContain('Broken parcel');
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent']);
    mailer.close();
    await dispatcher.stop();
  });

  it('keeps email notifications pending with a clear error when SMTP is not configured', async () => {
    await queue({ webhookUrl: null, emails: ['support@shop.example'] });
    const dispatcher = createNotificationDispatcher({
      db: testDb.database.db,
      encryptionKey: key,
      clock,
      log: silentLogger,
    });
    await dispatcher.runDue();
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toMatch(/SMTP_URL/);
    await dispatcher.stop();
  });
});
