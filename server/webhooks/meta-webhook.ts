import { timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { MetaPlatform } from '../../bot/channels/meta/social-account-store.ts';
import { checkEnvelope, isDashboardTest } from '../../bot/channels/meta/webhook-envelope.ts';
import type { WebhookInbox } from '../../bot/channels/meta/webhook-inbox.ts';
import { ErrorBody, Errors } from '../errors.ts';
import { Empty, RawContent } from '../plugins/response-schemas.ts';

/** Meta's payloads reach 3 MB; anything much larger is not from Meta. */
export const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

export interface MetaWebhookOptions {
  platform: MetaPlatform;
  /** The `object` field this endpoint accepts. */
  object: string;
  verifyToken: string | undefined;
  /** False when no secret is configured: the endpoint then answers 503. */
  configured: boolean;
  verifySignature: (raw: Buffer, header: string | undefined) => boolean;
  inbox: WebhookInbox;
}

const VerifyQuery = Type.Object({
  'hub.mode': Type.Optional(Type.String({ maxLength: 64 })),
  'hub.verify_token': Type.Optional(Type.String({ maxLength: 512 })),
  'hub.challenge': Type.Optional(Type.String({ maxLength: 512 })),
});

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * GET and POST /webhooks/<platform>, registered inside the platform's own plugin so that its
 * raw-body parser stays there.
 *
 * POST, in this order: the signature is checked over the raw bytes (401, nothing stored); the body
 * must be UTF-8 JSON with an `entry` array (400); a payload for another product or a dashboard
 * test is acknowledged and logged, not stored; anything else is committed to the inbox before the
 * 200 (a database failure answers 503, and Meta delivers again). Processing happens afterwards.
 */
export function registerMetaWebhook(base: FastifyInstance, options: MetaWebhookOptions): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  const name = options.platform === 'whatsapp' ? 'WhatsApp' : 'Instagram';
  app.get(
    `/webhooks/${options.platform}`,
    {
      schema: {
        tags: ['Webhooks'],
        summary: `Verify the ${name} webhook URL`,
        description:
          "Meta's subscription handshake: with `hub.mode=subscribe` and `hub.verify_token` equal to META_VERIFY_TOKEN, answers `hub.challenge` as text; else 403. 503 when the server has no Meta secrets.",
        security: [],
        querystring: VerifyQuery,
        response: {
          200: RawContent('text/plain', 'The challenge, echoed'),
          403: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      if (!options.configured || !options.verifyToken) throw new Errors.WebhooksNotConfigured();
      const query = request.query;
      const token = query['hub.verify_token'];
      const challenge = query['hub.challenge'];
      if (
        query['hub.mode'] !== 'subscribe' ||
        !token ||
        !challenge ||
        !sameText(token, options.verifyToken)
      ) {
        throw new Errors.WebhookVerifyFailed();
      }
      request.log.info({ platform: options.platform }, 'Meta verified the webhook URL');
      return reply.type('text/plain; charset=utf-8').send(challenge);
    },
  );

  app.post(
    `/webhooks/${options.platform}`,
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        tags: ['Webhooks'],
        summary: `Receive ${name} notifications`,
        description:
          "Meta's notifications, signed with `X-Hub-Signature-256` (HMAC-SHA256 of the raw body under the app secret): a bad signature is refused (401) and nothing is stored; a body that is not a notification is refused (400). A notification is stored before the 200 and processed afterwards, once even when Meta delivers it again; 503 with `Retry-After` when it could not be stored.",
        security: [],
        response: {
          200: Empty('Stored (or ignored: a dashboard test, another product)'),
          400: ErrorBody,
          401: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      if (!options.configured) throw new Errors.WebhooksNotConfigured();
      const raw = request.body;
      if (!Buffer.isBuffer(raw))
        throw new Errors.BadWebhook('the body must be JSON (Content-Type: application/json)');
      const header = request.headers['x-hub-signature-256'];
      if (!options.verifySignature(raw, typeof header === 'string' ? header : undefined)) {
        throw new Errors.BadSignature();
      }
      let text: string;
      let parsed: unknown;
      try {
        text = utf8.decode(raw);
        parsed = JSON.parse(text);
      } catch {
        throw new Errors.BadWebhook('the body is not valid UTF-8 JSON');
      }
      if (!checkEnvelope.Check(parsed)) {
        throw new Errors.BadWebhook(
          'the body is not a webhook notification: it needs "object" and an "entry" array',
        );
      }
      if (parsed.object !== options.object) {
        request.log.warn(
          { platform: options.platform, object: parsed.object },
          `webhook for object "${parsed.object}" ignored: this endpoint takes "${options.object}"`,
        );
        return reply.code(200).send();
      }
      if (isDashboardTest(parsed)) {
        request.log.info(
          { platform: options.platform },
          'dashboard test notification received; the webhook works',
        );
        return reply.code(200).send();
      }
      try {
        await options.inbox.store(options.platform, text);
      } catch (error) {
        request.log.error({ err: error, platform: options.platform }, 'webhook delivery could not be stored');
        reply.header('retry-after', '30');
        throw new Errors.StorageUnavailable();
      }
      return reply.code(200).send();
    },
  );
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
