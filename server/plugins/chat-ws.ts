import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { WebSocket } from 'ws';
import type { ConversationEvents } from '../../bot/conversation/conversation-events.ts';
import type { TurnHandler } from '../../bot/conversation/turn-handler.ts';
import type { Db } from '../../db/database.ts';
import { type ChatLimits, DEFAULT_CHAT_LIMITS } from '../chat/chat-limits.ts';
import { Limiter } from '../chat/limiter.ts';
import { BucketMap, TokenBucket } from '../chat/token-bucket.ts';
import { VisitorSession } from '../chat/visitor-session.ts';
import { ErrorBody, Errors } from '../errors.ts';
import { originAllowed, type PublicTenant, type TenantDirectory } from '../tenant-directory.ts';
import { perMinute } from './rate-limit.ts';
import { Empty } from './response-schemas.ts';

export interface ChatWsOptions {
  db: Db;
  turns: TurnHandler;
  events: ConversationEvents;
  tenants: TenantDirectory;
  visitorTokenKey: Buffer;
  maxFrameBytes: number;
  /** Spread over the defaults: an absent limit keeps its default. */
  limits?: Partial<ChatLimits> | undefined;
  heartbeatMs?: number;
  historyLimit?: number;
  /** Registers what to do just before the server closes its sockets. */
  onShutdown: (goodbye: () => void) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    chatTenant: PublicTenant | null;
  }
}

/**
 * GET /ws?tenant=SLUG: the widget's websocket. The tenant, the page's Origin and the server's
 * capacity are checked before the upgrade, so a refused visitor gets a plain HTTP error and no
 * socket.
 */
export const chatWsPlugin: FastifyPluginAsync<ChatWsOptions> = async (app, options) => {
  const limits = { ...DEFAULT_CHAT_LIMITS, ...options.limits };
  const sessions = new Map<WebSocket, VisitorSession>();
  const alive = new WeakSet<WebSocket>();
  const messages = new BucketMap(limits.messageBurst, limits.messagesPerMinute / 60);
  const hellos = new Limiter(limits.helloConcurrency, limits.maxPendingHellos);
  const writes = new Set<Promise<unknown>>();
  const track = (write: Promise<unknown>) => {
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };

  app.decorateRequest('chatTenant', null);

  // One timer pings every socket: a peer that missed the previous ping is gone (sleeping phone,
  // dropped network) and is terminated so its resources are freed.
  const heartbeat = setInterval(() => {
    for (const socket of sessions.keys()) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
    messages.sweep();
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  options.onShutdown(() => {
    clearInterval(heartbeat);
    for (const session of sessions.values()) session.shutdown();
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...writes]);
  });

  app.get(
    '/ws',
    {
      websocket: true,
      // Counted before the tenant lookup and the upgrade: a refused client costs neither.
      onRequest: app.rateLimit(perMinute(limits.handshakesPerMinute)),
      schema: {
        tags: ['Widget'],
        summary: "The visitors' websocket",
        description:
          "Upgrades to the widget protocol (server/protocol/README.md): one JSON object per text frame. The client address's handshake budget, the tenant, the page's Origin and the server's capacity are checked before the upgrade; a refused handshake is a plain HTTP error. No API key.",
        security: [],
        querystring: Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: {
          101: Empty('Switching to the websocket protocol'),
          403: ErrorBody,
          404: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
        },
      },
      preValidation: async (request) => {
        if (sessions.size >= limits.maxSockets) throw new Errors.Busy();
        const { tenant: slug } = request.query as { tenant: string };
        const tenant = await options.tenants.bySlug(slug);
        if (!tenant) throw new Errors.UnknownTenant(slug);
        const origin = request.headers.origin;
        if (!originAllowed(tenant, origin)) throw new Errors.OriginNotAllowed(origin ?? 'no Origin header');
        request.chatTenant = tenant;
      },
    },
    (socket, request) => {
      const tenant = request.chatTenant!;
      const session = new VisitorSession(socket, tenant, {
        db: options.db,
        turns: options.turns,
        events: options.events,
        visitorTokenKey: options.visitorTokenKey,
        maxFrameBytes: options.maxFrameBytes,
        historyLimit: options.historyLimit ?? 200,
        replayPage: 200,
        maxBufferedBytes: limits.maxBufferedBytes,
        frames: new TokenBucket(limits.framesPerSecond * 2, limits.framesPerSecond),
        messages,
        hellos,
        track,
        log: request.log,
      });
      sessions.set(socket, session);
      alive.add(socket);
      // Listeners are attached before anything awaits, so no early frame is lost.
      socket.on('message', (data, isBinary) => session.receive(data, isBinary));
      socket.on('pong', () => alive.add(socket));
      socket.on('error', (error) => request.log.info({ err: error }, 'visitor socket error'));
      socket.on('close', () => {
        session.dispose();
        sessions.delete(socket);
      });
    },
  );
};
