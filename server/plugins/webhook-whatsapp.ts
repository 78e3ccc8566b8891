import type { FastifyPluginAsync } from 'fastify';
import type { WebhookInbox } from '../../bot/channels/meta/webhook-inbox.ts';
import { verifyWhatsAppSignature } from '../../bot/channels/meta/whatsapp/verify-signature.ts';
import type { MetaConfig } from '../config.ts';
import { registerMetaWebhook } from '../webhooks/meta-webhook.ts';

export interface WebhookWhatsAppOptions {
  secrets: Pick<MetaConfig, 'verifyToken' | 'appSecret'>;
  inbox: WebhookInbox;
}

/** GET/POST /webhooks/whatsapp: WhatsApp Cloud API notifications (object whatsapp_business_account). */
export const webhookWhatsAppPlugin: FastifyPluginAsync<WebhookWhatsAppOptions> = async (
  app,
  { secrets, inbox },
) => {
  registerMetaWebhook(app, {
    platform: 'whatsapp',
    object: 'whatsapp_business_account',
    verifyToken: secrets.verifyToken,
    configured: secrets.appSecret !== undefined,
    verifySignature: (raw, header) => verifyWhatsAppSignature(raw, header, secrets),
    inbox,
  });
};
