import type { FastifyPluginAsync } from 'fastify';
import { verifyInstagramSignature } from '../../bot/channels/meta/instagram/verify-signature.ts';
import type { WebhookInbox } from '../../bot/channels/meta/webhook-inbox.ts';
import type { MetaConfig } from '../config.ts';
import { registerMetaWebhook } from '../webhooks/meta-webhook.ts';

export interface WebhookInstagramOptions {
  secrets: Pick<MetaConfig, 'verifyToken' | 'appSecret' | 'instagramAppSecret'>;
  inbox: WebhookInbox;
}

/** GET/POST /webhooks/instagram: Instagram messaging notifications (object instagram). */
export const webhookInstagramPlugin: FastifyPluginAsync<WebhookInstagramOptions> = async (
  app,
  { secrets, inbox },
) => {
  registerMetaWebhook(app, {
    platform: 'instagram',
    object: 'instagram',
    verifyToken: secrets.verifyToken,
    configured: (secrets.instagramAppSecret ?? secrets.appSecret) !== undefined,
    verifySignature: (raw, header) => verifyInstagramSignature(raw, header, secrets),
    inbox,
  });
};
