import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import type { LlmOptions } from '../../bot/agent/llm-options.ts';
import type { MetaChannels } from '../../bot/channels/meta/meta-channels.ts';
import type { Clock } from '../../bot/clock.ts';
import type { ConversationEvents } from '../../bot/conversation/conversation-events.ts';
import type { TurnHandler } from '../../bot/conversation/turn-handler.ts';
import type { Bot } from '../../bot/create-bot.ts';
import type { Logger } from '../../bot/logger.ts';
import type { Responder } from '../../bot/responder.ts';
import type { Database } from '../../db/database.ts';
import { type App, buildApp } from '../app.ts';
import type { ServerKeys } from '../auth/server-secret.ts';
import { DEFAULT_CHAT_LIMITS } from '../chat/chat-limits.ts';
import { type Config, type KnowledgeConfig, loadConfig, type MetaConfig } from '../config.ts';
import type { Knowledge } from '../services/create-knowledge.ts';
import { appDepsOf, createServices, type ServiceOverrides } from '../services/create-services.ts';

/**
 * The production limits, except messages and per-address limits: tests chat faster than people
 * do, and every test visitor comes from 127.0.0.1.
 */
const testChatLimits: Partial<Config['chat']> = {
  messagesPerMinute: 6_000,
  messageBurst: 100,
  handshakesPerMinute: 1_000_000,
};

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
  responder?: Responder | undefined;
  /** Two apps given the same secret accept each other's visitor tokens (several processes). */
  secret?: string | undefined;
  chat?: Partial<Config['chat']> | undefined;
  /** Proxies whose X-Forwarded-For is believed (none by default, as in production). */
  trustProxy?: string[] | undefined;
  adminRequestsPerMinute?: number | undefined;
  /** In-process events instead of LISTEN/NOTIFY (a test that floods events the database need not carry). */
  localEvents?: boolean | undefined;
  /** The LLM agent, as the server builds it over the app's own retriever. */
  llmOptions?: LlmOptions | undefined;
  maxFrameBytes?: number | undefined;
  widgetBundle?: string | undefined;
  clock?: Clock | undefined;
  /** Overrides of the knowledge configuration (offline embedder and pgvector by default). */
  knowledge?: Partial<KnowledgeConfig> | undefined;
  /** Meta settings over the test defaults (see TEST_META_CONFIG). */
  meta?: Partial<MetaConfig> | undefined;
  /** Where the bot, the knowledge side and the Meta channels log (silence by default). */
  log?: Logger | undefined;
  /** A pino logger for the HTTP server itself (request logs), e.g. to check what gets logged. */
  appLog?: PinoLogger | undefined;
  /** The Meta channels' clock (tests move it instead of waiting) and workers' pace. */
  metaOverrides?: ServiceOverrides['meta'];
}

/**
 * The real app on an ephemeral loopback port, over a test database, with the offline bot unless
 * another responder (or an LLM) is given. The widget bundle is a small stand-in file.
 */
export async function startTestApp(database: Database, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-widget-'));
  const config = testConfig(dataDir, options);
  const services = await createServices(config, {
    database,
    log: options.log,
    clock: options.clock,
    localEvents: options.localEvents,
    responder: options.responder,
    meta: options.metaOverrides,
  });
  const { bot, meta } = services;
  try {
    const widgetBundlePath = join(dataDir, 'widget.js');
    await writeFile(widgetBundlePath, options.widgetBundle ?? 'console.log("causette widget");');
    const app = await buildApp(appDepsOf(services, { config, widgetBundlePath, log: options.appLog }));
    services.defer(() => app.close());
    // A deep accept queue: a reconnect storm must not turn into SYN retries.
    await app.listen({ host: config.host, port: config.port, backlog: 4096 });
    meta.start(bot.turns);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      app,
      meta,
      keys: services.keys,
      turns: bot.turns,
      events: services.events,
      bot,
      knowledge: services.knowledge,
      url: `http://${config.host}:${port}`,
      wsUrl: `ws://${config.host}:${port}`,
      close: services.close,
    };
  } catch (error) {
    return services.fail(error);
  }
}

/** A server's configuration for tests: loopback, port 0, no LLM unless asked, webhooks on. */
export function testConfig(dataDir: string, options: TestAppOptions): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    databaseUrl: undefined,
    databaseAppUrl: undefined,
    appRole: 'causette_app',
    dataDir,
    secret: options.secret ?? randomBytes(32).toString('hex'),
    logLevel: 'silent',
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_CONFIG.maxFrameBytes,
    publicUrl: undefined,
    chat: { ...DEFAULT_CHAT_LIMITS, ...testChatLimits, ...options.chat },
    trustProxy: options.trustProxy ?? [],
    adminRequestsPerMinute: options.adminRequestsPerMinute ?? 1_000_000,
    llm: options.llmOptions,
    smtp: undefined,
    topicsJob: false,
    knowledge: { ...TEST_KNOWLEDGE_CONFIG, ...options.knowledge },
    meta: { ...TEST_META_CONFIG, ...options.meta },
  };
}

/** What a server without configuration runs. */
const DEFAULT_CONFIG = loadConfig({});

/** Offline embedder, pgvector, default limits: what a server without configuration runs. */
export const TEST_KNOWLEDGE_CONFIG: KnowledgeConfig = {
  ...DEFAULT_CONFIG.knowledge,
  // Fixture sites are served on loopback.
  crawl: { ...DEFAULT_CONFIG.knowledge.crawl, timeoutMs: 2000, allowPrivateNetworks: true },
};

/** Meta settings for tests: webhooks on, Graph API pointed at nothing until a test says where. */
export const TEST_META_CONFIG: MetaConfig = {
  ...DEFAULT_CONFIG.meta,
  verifyToken: 'test-verify-token',
  appSecret: 'test-app-secret',
  graphUrl: 'http://127.0.0.1:9',
  instagramGraphUrl: 'http://127.0.0.1:9',
};
