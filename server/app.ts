import { STATUS_CODES } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import type { Logger } from 'pino';
import type { MetaChannels } from '../bot/channels/meta/meta-channels.ts';
import type { ConversationEvents } from '../bot/conversation/conversation-events.ts';
import type { TurnHandler } from '../bot/conversation/turn-handler.ts';
import type { Bot } from '../bot/create-bot.ts';
import type { Database } from '../db/database.ts';
import type { ServerKeys } from './auth/server-secret.ts';
import type { Config, MetaConfig } from './config.ts';
import { adminApiPlugin } from './plugins/admin-api.ts';
import { chatWsPlugin } from './plugins/chat-ws.ts';
import { consoleAppPlugin } from './plugins/console-app.ts';
import { healthPlugin } from './plugins/health.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerRateLimits } from './plugins/rate-limit.ts';
import { webhookInstagramPlugin } from './plugins/webhook-instagram.ts';
import { webhookWhatsAppPlugin } from './plugins/webhook-whatsapp.ts';
import { widgetAssetPlugin } from './plugins/widget-asset.ts';
import { widgetConfigPlugin } from './plugins/widget-config.ts';
import type { Knowledge } from './services/create-knowledge.ts';
import { createTenantDirectory } from './tenant-directory.ts';

export interface AppDeps {
  config: Pick<Config, 'maxFrameBytes' | 'adminRequestsPerMinute'> &
    Partial<Pick<Config, 'chat' | 'trustProxy'>>;
  database: Database;
  keys: ServerKeys;
  turns: TurnHandler;
  events: ConversationEvents;
  /** The operator desk, intents, notifications and clock behind the admin API. */
  bot: Pick<Bot, 'desk' | 'intents' | 'notifier' | 'clock'>;
  knowledge: Knowledge;
  /** The operators' console's build (console/dist), served under /console/; none: not served. */
  consoleDir?: string | undefined;
  /** Where the built widget bundle is served from. */
  widgetBundlePath: string;
  /** The process's pino logger; none (silence) in tests. */
  log?: Logger | undefined;
  /** WhatsApp and Instagram: webhook secrets, and the channels' inbox, token cipher and Graph client. */
  meta: {
    secrets: Pick<MetaConfig, 'verifyToken' | 'appSecret' | 'instagramAppSecret'>;
    channels: Pick<MetaChannels, 'inbox' | 'cipher' | 'graph'>;
  };
}

/**
 * Builds the HTTP and websocket server without listening, so tests and the CLI share it. Order:
 * ecosystem plugins, hooks, then one plugin per feature.
 */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    ...(deps.log ? { loggerInstance: deps.log as FastifyBaseLogger } : { logger: false }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    // request.ip, which every per-address limit counts on, comes from X-Forwarded-For only when
    // the connection is from a named proxy.
    trustProxy: deps.config.trustProxy?.length ? deps.config.trustProxy : false,
    // An unknown field is an error the client should hear about, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const tenants = createTenantDirectory(deps.database.db, deps.keys.encryption);
  const maxPayload = Math.max(16 * 1024, deps.config.maxFrameBytes * 4);

  // Sockets are told why they close before they are closed: the chat plugin says goodbye in its
  // own protocol, then every remaining socket closes with 1001 "going away".
  const beforeSocketsClose: (() => void)[] = [];
  await registerRateLimits(app);
  await registerOpenApi(app);
  await app.register(websocket, {
    options: { maxPayload, perMessageDeflate: false },
    preClose(done) {
      for (const goodbye of beforeSocketsClose) goodbye();
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      this.websocketServer.close();
      done();
    },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({
        statusCode: status,
        code: error.code?.startsWith('CAUSETTE_ERR_') ? error.code : 'CAUSETTE_ERR_INTERNAL',
        error: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
        message: error.code?.startsWith('CAUSETTE_ERR_') ? error.message : 'Internal server error',
      });
    }
    request.log.info({ err: error }, 'request refused');
    return reply.code(status).send({
      statusCode: status,
      code: error.code ?? 'CAUSETTE_ERR_BAD_REQUEST',
      error: STATUS_CODES[status] ?? 'Bad Request',
      message: error.message,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      code: 'CAUSETTE_ERR_NOT_FOUND',
      error: 'Not Found',
      message: `No route for ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  await app.register(healthPlugin, { database: deps.database });
  await app.register(widgetAssetPlugin, { bundlePath: deps.widgetBundlePath });
  await app.register(widgetConfigPlugin, { tenants });
  if (deps.consoleDir) await app.register(consoleAppPlugin, { dir: deps.consoleDir });
  await app.register(chatWsPlugin, {
    db: deps.database.db,
    turns: deps.turns,
    events: deps.events,
    tenants,
    visitorTokenKey: deps.keys.visitorTokens,
    maxFrameBytes: deps.config.maxFrameBytes,
    limits: deps.config.chat,
    onShutdown: (goodbye) => beforeSocketsClose.push(goodbye),
  });
  await app.register(webhookWhatsAppPlugin, { secrets: deps.meta.secrets, inbox: deps.meta.channels.inbox });
  await app.register(webhookInstagramPlugin, { secrets: deps.meta.secrets, inbox: deps.meta.channels.inbox });
  await app.register(adminApiPlugin, {
    prefix: '/api/v1',
    requestsPerMinute: deps.config.adminRequestsPerMinute,
    db: deps.database.db,
    tenants,
    bot: deps.bot,
    encryptionKey: deps.keys.encryption,
    knowledge: deps.knowledge,
    meta: { cipher: deps.meta.channels.cipher, graph: deps.meta.channels.graph },
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
