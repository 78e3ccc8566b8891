import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Clock } from '../../../bot/clock.ts';
import { enqueueNotifications } from '../../../bot/notifications/notification-store.ts';
import { sealSecret } from '../../../bot/notifications/secret-box.ts';
import { newWebhookSecret } from '../../../bot/notifications/webhook-signature.ts';
import {
  getBotSettings,
  getBotSettingsRow,
  updateBotSettings,
} from '../../../bot/settings/bot-settings-store.ts';
import { getBusinessProfile } from '../../../bot/tenants/tenant-store.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { Errors } from '../../errors.ts';
import { Nullable } from './common-schemas.ts';

const IntentName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' });
const Email = Type.String({ format: 'email', maxLength: 255 });
const WebhookUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 });

const BotSettings = Type.Object({
  confidenceThreshold: Type.Number(),
  lowConfidenceTurns: Type.Integer(),
  escalationIntents: Type.Array(Type.String()),
  negativeSentimentThreshold: Type.Number(),
  escalateOnNegativeSentiment: Type.Boolean(),
  memoryTurns: Type.Integer(),
  webhookUrl: Nullable(Type.String()),
  webhookSecretSet: Type.Boolean(),
  notifyEmails: Type.Array(Type.String()),
  /** Only in the answer that created or rotated it: store it now, it is never shown again. */
  webhookSecret: Type.Optional(Type.String()),
});
const BotSettingsPatch = Type.Object(
  {
    confidenceThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    lowConfidenceTurns: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    escalationIntents: Type.Optional(Type.Array(IntentName, { maxItems: 50, uniqueItems: true })),
    negativeSentimentThreshold: Type.Optional(Type.Number({ minimum: -1, maximum: 0 })),
    escalateOnNegativeSentiment: Type.Optional(Type.Boolean()),
    memoryTurns: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    webhookUrl: Type.Optional(Nullable(WebhookUrl)),
    notifyEmails: Type.Optional(Type.Array(Email, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);

/**
 * The bot's tunable behaviour: the confidence threshold and streak that hand over to a human, the
 * intents and sentiment that do, memory length, and where notifications go. Setting a webhook
 * URL creates its signing secret, returned once.
 */
export const botSettingsRoutes: FastifyPluginAsync<{
  db: Db;
  encryptionKey: Buffer;
  clock: Clock;
  notifier?: { kick(): void };
}> = async (base, { db, encryptionKey, clock, notifier }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/bot-settings',
    {
      schema: {
        tags: ['Bot'],
        summary: 'Read the bot settings',
        description:
          'Escalation rules (`confidenceThreshold`, `lowConfidenceTurns`, `escalationIntents`, `negativeSentimentThreshold`, `escalateOnNegativeSentiment`), the notification `webhookUrl` and `notifyEmails`, and whether a webhook secret exists.',
        response: { 200: BotSettings },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      return withTenant(db, tenantId, (tx) => getBotSettings(tx, tenantId));
    },
  );

  app.patch(
    '/bot-settings',
    {
      schema: {
        tags: ['Bot'],
        summary: 'Update the bot settings',
        description: 'Changes the escalation rules and where notifications go. Fields left out are kept.',
        body: BotSettingsPatch,
        response: { 200: BotSettings },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      return withTenant(db, tenantId, async (tx) => {
        const current = await getBotSettingsRow(tx, tenantId);
        let secret: string | undefined;
        const patch = { ...request.body };
        if (patch.webhookUrl && !current?.webhookSecretEncrypted) {
          secret = newWebhookSecret();
          Object.assign(patch, { webhookSecretEncrypted: sealSecret(encryptionKey, secret) });
        }
        const settings = await updateBotSettings(tx, tenantId, patch);
        return secret ? { ...settings, webhookSecret: secret } : settings;
      });
    },
  );

  app.post(
    '/bot-settings/webhook-secret',
    {
      schema: {
        tags: ['Bot'],
        summary: 'Generate the webhook secret',
        description:
          'Generates, or rotates, the secret that signs notification webhooks, and returns it once.',
        response: { 200: BotSettings },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const secret = newWebhookSecret();
      const settings = await withTenant(db, tenantId, (tx) =>
        updateBotSettings(tx, tenantId, { webhookSecretEncrypted: sealSecret(encryptionKey, secret) }),
      );
      return { ...settings, webhookSecret: secret };
    },
  );

  app.post(
    '/notifications/test',
    {
      schema: {
        tags: ['Bot'],
        summary: 'Send a test notification',
        description:
          'Queues a test notification to the webhook and e-mail addresses set; 202 with how many were queued.',
        response: { 202: Type.Object({ queued: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const tenantId = request.adminTenantId!;
      const queued = await withTenant(db, tenantId, async (tx) => {
        const settings = await getBotSettingsRow(tx, tenantId);
        const profile = await getBusinessProfile(tx, tenantId);
        const emails = settings?.notifyEmails.length
          ? settings.notifyEmails
          : profile?.escalationEmail
            ? [profile.escalationEmail]
            : [];
        const rows = await enqueueNotifications(tx, {
          tenantId,
          event: 'notification.test',
          now: clock.now(),
          payload: { message: 'This is a test notification from Causette.' },
          targets: { webhookUrl: settings?.webhookSecretEncrypted ? settings.webhookUrl : null, emails },
        });
        return rows.length;
      });
      if (queued === 0) throw new Errors.BadRequest('No webhook URL or notification email is configured');
      notifier?.kick();
      return reply.code(202).send({ queued });
    },
  );
};
