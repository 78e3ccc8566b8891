import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import type { LlmOptions } from '../../bot/agent/llm-options.ts';
import { createLlmServices } from '../../bot/agent/llm-services.ts';
import type { MetaChannels } from '../../bot/channels/meta/meta-channels.ts';
import { createUnreadableAwareResponder } from '../../bot/channels/meta/unreadable-aware-responder.ts';
import { type Clock, systemClock } from '../../bot/clock.ts';
import {
  type ConversationEvents,
  createLocalConversationEvents,
} from '../../bot/conversation/conversation-events.ts';
import { createPgConversationEvents } from '../../bot/conversation/pg-conversation-events.ts';
import type { TurnHandler } from '../../bot/conversation/turn-handler.ts';
import { type Bot, createBot, type LlmServices } from '../../bot/create-bot.ts';
import type { Logger } from '../../bot/logger.ts';
import { silentLogger } from '../../bot/logger.ts';
import type { Mailer } from '../../bot/notifications/mailer.ts';
import type { RetryPolicy } from '../../bot/notifications/notification-dispatcher.ts';
import type { Responder } from '../../bot/responder.ts';
import type { Database } from '../../db/database.ts';
import { type App, buildApp } from '../app.ts';
import { deriveServerKeys, type ServerKeys } from '../auth/server-secret.ts';
import type { Config, KnowledgeConfig, MetaConfig } from '../config.ts';
import { createKnowledge, type Knowledge } from '../knowledge-setup.ts';
import { defaultChatLimits } from '../plugins/chat-ws.ts';

/**
 * The production limits, except messages and per-address limits: tests chat faster than people
 * do, and every test visitor comes from 127.0.0.1.
 */
const testChatLimits: Partial<Config['chat']> = {
  messagesPerMinute: 6_000,
  messageBurst: 100,
  handshakesPerMinute: 1_000_000,
};

import { createServerMetaChannels } from '../meta-wiring.ts';

export interface TestApp {
  app: App;
  /** WhatsApp and Instagram, with drain() to run every pending step to completion. */
  meta: MetaChannels;
  keys: ServerKeys;
  turns: TurnHandler;
  events: ConversationEvents;
  bot: Bot;
  knowledge: Knowledge;
  /** http://127.0.0.1:PORT of the listening app. */
  url: string;
  /** ws://127.0.0.1:PORT */
  wsUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  responder?: Responder;
  /** Two apps given the same secret accept each other's visitor tokens (several processes). */
  secret?: string;
  chat?: Partial<Config['chat']>;
  /** Proxies whose X-Forwarded-For is believed (none by default, as in production). */
  trustProxy?: string[];
  adminRequestsPerMinute?: number;
  /** In-process events instead of LISTEN/NOTIFY (a test that floods events the database need not carry). */
  localEvents?: boolean;
  llm?: LlmServices;
  /** Builds the LLM services as the server does, over the app's own retriever. */
  llmOptions?: LlmOptions;
  maxFrameBytes?: number;
  widgetBundle?: string;
  clock?: Clock;
  mailer?: Mailer;
  retry?: RetryPolicy;
  /** Overrides of the knowledge configuration (offline embedder and pgvector by default). */
  knowledge?: Partial<KnowledgeConfig>;
  /** Meta settings over the test defaults (see TEST_META_CONFIG). */
  meta?: Partial<MetaConfig>;
  /** Where the bot and the Meta channels log (silence by default). */
  log?: Logger;
  /** A pino logger for the HTTP server itself (request logs), e.g. to check what gets logged. */
  appLog?: PinoLogger;
  /** The Meta channels' clock: tests move it instead of waiting. */
  now?: () => Date;
  metaOverrides?: Parameters<typeof createServerMetaChannels>[4];
}

/**
 * The real app on an ephemeral loopback port, over a test database, with the offline bot unless
 * another responder (or an LLM) is given. The widget bundle is a small stand-in file.
 */
export async function startTestApp(database: Database, options: TestAppOptions = {}): Promise<TestApp> {
  const keys = deriveServerKeys(options.secret ?? randomBytes(32).toString('hex'));
  const log = options.log ?? silentLogger;
  const events = options.localEvents
    ? createLocalConversationEvents()
    : await createPgConversationEvents(database, log);
  const dir = await mkdtemp(join(tmpdir(), 'causette-widget-'));
  const knowledge = createKnowledge({
    config: { ...TEST_KNOWLEDGE_CONFIG, ...options.knowledge },
    db: database.db,
    dataDir: dir,
    log: silentLogger,
  });
  await knowledge.start();
  const metaConfig = { ...TEST_META_CONFIG, ...options.meta };
  const meta = createServerMetaChannels(database, metaConfig, keys, log, {
    ...(options.now ? { now: options.now } : {}),
    ...options.metaOverrides,
  });
  const built = options.llmOptions
    ? createLlmServices({
        options: options.llmOptions,
        db: database.db,
        retriever: knowledge.retriever,
        log,
        clock: options.clock ?? systemClock,
      })
    : undefined;
  const llm = options.llm ?? built;
  const bot = createBot({
    db: database.db,
    events,
    log,
    retriever: knowledge.retriever,
    encryptionKey: keys.encryption,
    delivery: meta.outbox,
    decorate: (responder) => createUnreadableAwareResponder(responder, database.db),
    ...(options.responder ? { responder: options.responder } : {}),
    ...(llm ? { llm } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const widgetBundlePath = join(dir, 'widget.js');
  await writeFile(widgetBundlePath, options.widgetBundle ?? 'console.log("causette widget");');
  const app = await buildApp({
    config: {
      maxFrameBytes: options.maxFrameBytes ?? 4096,
      chat: { ...defaultChatLimits, ...testChatLimits, ...options.chat },
      trustProxy: options.trustProxy ?? [],
      adminRequestsPerMinute: options.adminRequestsPerMinute ?? 1_000_000,
    },
    database,
    keys,
    events,
    turns: bot.turns,
    bot,
    knowledge,
    widgetBundlePath,
    meta: { secrets: metaConfig, channels: meta },
    ...(options.appLog ? { log: options.appLog } : {}),
  });
  // A deep accept queue: a reconnect storm must not turn into SYN retries.
  await app.listen({ host: '127.0.0.1', port: 0, backlog: 4096 });
  meta.start(bot.turns);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    app,
    meta,
    keys,
    turns: bot.turns,
    events,
    bot,
    knowledge,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: () => {
      closing ??= (async () => {
        await app.close();
        await meta.stop();
        await knowledge.close();
        await bot.turns.drain();
        await bot.notifier.stop();
        await built?.stop();
        await events.close();
      })();
      return closing;
    },
  };
}

/** Offline embedder, pgvector, default limits: what a server without configuration runs. */
export const TEST_KNOWLEDGE_CONFIG: KnowledgeConfig = {
  openAiApiKey: undefined,
  openAiBaseUrl: undefined,
  embeddingModel: 'text-embedding-3-small',
  qdrantUrl: undefined,
  qdrantApiKey: undefined,
  qdrantCollection: 'causette_chunks',
  maxUploadBytes: 20 * 1024 * 1024,
  relevanceThreshold: 0.45,
  // Fixture sites are served on loopback.
  crawl: {
    concurrency: 2,
    timeoutMs: 2000,
    maxPageBytes: 5 * 1024 * 1024,
    maxDepth: 5,
    allowPrivateNetworks: true,
  },
};

/** Meta settings for tests: webhooks on, Graph API pointed at nothing until a test says where. */
export const TEST_META_CONFIG: MetaConfig = {
  verifyToken: 'test-verify-token',
  appSecret: 'test-app-secret',
  instagramAppSecret: undefined,
  graphUrl: 'http://127.0.0.1:9',
  instagramGraphUrl: 'http://127.0.0.1:9',
  graphVersion: 'v23.0',
  tokenKey: undefined,
  previousTokenKeys: [],
  whatsappMessagesPerSecond: 80,
  instagramCallsPerSecond: 300,
};
