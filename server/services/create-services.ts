import { createLlmServices } from '../../bot/agent/llm-services.ts';
import { createGraphClient, type GraphClient } from '../../bot/channels/meta/graph-client.ts';
import {
  createMetaChannels,
  type MetaChannels,
  type MetaChannelsDeps,
} from '../../bot/channels/meta/meta-channels.ts';
import { createTokenCipher, type TokenCipher } from '../../bot/channels/meta/token-cipher.ts';
import { createUnreadableAwareResponder } from '../../bot/channels/meta/unreadable-aware-responder.ts';
import { type Clock, systemClock } from '../../bot/clock.ts';
import {
  type ConversationEvents,
  createLocalConversationEvents,
} from '../../bot/conversation/conversation-events.ts';
import { createPgConversationEvents } from '../../bot/conversation/pg-conversation-events.ts';
import { type Bot, createBot, type Understanding } from '../../bot/create-bot.ts';
import { type Logger, silentLogger } from '../../bot/logger.ts';
import { createSmtpMailer } from '../../bot/notifications/mailer.ts';
import type { Responder } from '../../bot/responder.ts';
import type { Database } from '../../db/database.ts';
import { openAppDatabase } from '../../db/open-app-database.ts';
import { startStatisticsKeeper } from '../../db/planner-statistics.ts';
import type { AppDeps } from '../app.ts';
import { deriveServerKeys, loadOrCreateSecret, type ServerKeys } from '../auth/server-secret.ts';
import type { Config } from '../config.ts';
import { appDatabaseOptions } from './app-database-options.ts';
import { type CloseFunction, Closer } from './closer.ts';
import { createDailyTopics, type DailyTopics } from './create-daily-topics.ts';
import { createKnowledge, type Knowledge } from './create-knowledge.ts';

export type LlmServices = ReturnType<typeof createLlmServices>;

/** What the admin commands need, whether the CLI runs them or a running server does. */
export interface CommandServices {
  config: Config;
  log: Logger;
  database: Database;
  keys: ServerKeys;
  knowledge: Knowledge;
  /** The LLM's services when one is configured (OPENAI_API_KEY or OPENAI_BASE_URL). */
  llm: LlmServices | undefined;
  /** The daily topics job; its scheduler is not started. */
  topics: DailyTopics;
  /** Seals and opens channel access tokens. */
  cipher: TokenCipher;
  /** Meta's Graph API. */
  graph: GraphClient;
  /** Registers a close function; it runs before those of everything opened earlier. */
  defer(close: CloseFunction): void;
  /** Closes everything, last opened first. A database given in the overrides stays open. */
  close(): Promise<void>;
  /** Closes everything after a failed start, then throws the failure. */
  fail(error: unknown): Promise<never>;
}

/** Everything the server runs. Nothing is started: the caller starts workers and listens. */
export interface Services extends CommandServices {
  events: ConversationEvents;
  /** WhatsApp and Instagram; `meta.start(bot.turns)` starts their workers. */
  meta: MetaChannels;
  bot: Bot;
}

/** What tests (and the demo) replace; everything else comes from the configuration. */
export interface ServiceOverrides {
  /** An open, migrated database that the caller keeps: it is neither migrated nor closed here. */
  database?: Database | undefined;
  /** Where the services log (silence by default). */
  log?: Logger | undefined;
  /** The bot's clock (leads, notifications, the LLM agent). */
  clock?: Clock | undefined;
  /** In-process events instead of LISTEN/NOTIFY: one process only. */
  localEvents?: boolean | undefined;
  /** Replaces the bot's responder (the offline bot, or the LLM agent when one is configured). */
  responder?: Responder | undefined;
  /** Parts of how the offline bot reads questions, switched off to measure them (benchmarks). */
  understanding?: Understanding | undefined;
  /** The Meta channels' clock and workers' pace. */
  meta?: Partial<Pick<MetaChannelsDeps, 'now' | 'processor' | 'sender' | 'recoveryIntervalMs'>> | undefined;
}

/**
 * The composition root: builds the services from the configuration, in dependency order. If a
 * step fails, what was opened before it is closed again and the error is thrown.
 */
export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const closer = new Closer();
  try {
    const base = await openBase(config, overrides, closer, 'server');
    const { database, log } = base;
    if (!overrides.database) {
      // Keeps the planner's statistics true as tables grow (and, embedded, vacuums: PGlite has no
      // autovacuum), so that lookups by key stay lookups by key (docs/decisions/0002-statistics-keeper.md).
      const statistics = startStatisticsKeeper(database, {
        analyzeOnGrowth: 2,
        vacuum: database.driver === 'pglite',
        onError: (error) => log.warn({ err: error }, 'refreshing planner statistics failed'),
      });
      closer.defer(() => statistics.stop());
    }
    const events = overrides.localEvents
      ? createLocalConversationEvents()
      : await createPgConversationEvents(database, log);
    closer.defer(() => events.close());
    // With a real Postgres, webhook acknowledgements get connections of their own.
    const ingest = config.databaseUrl
      ? await openAppDatabase(appDatabaseOptions(config, base.keys, { migrate: false, maxConnections: 2 }))
      : undefined;
    if (ingest) closer.defer(() => ingest.close());
    const meta = createMetaChannels({
      db: database.db,
      ingestDb: ingest?.db,
      log,
      now: () => new Date(),
      cipher: base.cipher,
      graph: base.graph,
      limits: {
        whatsappMessagesPerSecond: config.meta.whatsappMessagesPerSecond,
        instagramCallsPerSecond: config.meta.instagramCallsPerSecond,
      },
      ...overrides.meta,
    });
    const mailer = config.smtp ? createSmtpMailer(config.smtp) : undefined;
    if (mailer) closer.defer(() => mailer.close());
    const bot = createBot({
      db: database.db,
      events,
      log,
      retriever: base.knowledge.retriever,
      encryptionKey: base.keys.encryption,
      delivery: meta.outbox,
      // Voice notes, pictures without caption…: a polite answer instead of a guess.
      decorate: (responder) => createUnreadableAwareResponder(responder, database.db),
      mailer,
      llm: base.llm,
      responder: overrides.responder,
      clock: overrides.clock,
      offline: overrides.understanding?.offline,
    });
    closer.defer(async () => {
      // Answers being thought out are still stored and queued; the outbox sends them at the next
      // start (of this process or another).
      await bot.turns.drain();
      await bot.notifier.stop();
    });
    // Stopped before the turns drain, so that no new turn starts while they finish.
    closer.defer(() => meta.stop());
    return { ...base, events, meta, bot };
  } catch (error) {
    return closer.fail(error);
  }
}

/**
 * The services of the admin commands only, for the CLI: no events, channels or bot, and a small
 * connection pool.
 */
export async function openCommandServices(
  config: Config,
  overrides: Pick<ServiceOverrides, 'database' | 'log'> = {},
): Promise<CommandServices> {
  const closer = new Closer();
  try {
    return await openBase(config, overrides, closer, 'small');
  } catch (error) {
    return closer.fail(error);
  }
}

/**
 * The configured database, migrated: Postgres at DATABASE_URL, served as the app role, or PGlite
 * in the data directory (which then no other process may open). A small pool is enough for one
 * command at a time.
 */
export function openConfiguredDatabase(
  config: Config,
  keys: ServerKeys,
  pool: 'server' | 'small',
): Promise<Database> {
  return openAppDatabase(
    appDatabaseOptions(config, keys, { migrate: true, maxConnections: pool === 'small' ? 2 : undefined }),
  );
}

/** What buildApp takes from the services. */
export function appDepsOf(
  services: Services,
  options: Pick<AppDeps, 'config' | 'widgetBundlePath' | 'log'>,
): AppDeps {
  return {
    ...options,
    database: services.database,
    keys: services.keys,
    events: services.events,
    turns: services.bot.turns,
    bot: services.bot,
    knowledge: services.knowledge,
    meta: { secrets: services.config.meta, channels: services.meta },
  };
}

async function openBase(
  config: Config,
  overrides: Pick<ServiceOverrides, 'database' | 'log' | 'clock' | 'understanding'>,
  closer: Closer,
  pool: 'server' | 'small',
): Promise<CommandServices> {
  const log = overrides.log ?? silentLogger;
  const keys = deriveServerKeys(config.secret ?? (await loadOrCreateSecret(config.dataDir)));
  let database = overrides.database;
  if (!database) {
    // Migrated as the owner, then served through the app role only.
    const opened = await openConfiguredDatabase(config, keys, pool);
    closer.defer(() => opened.close());
    database = opened;
  }
  const knowledge = createKnowledge({
    config: config.knowledge,
    db: database.db,
    maintain: database.maintain,
    dataDir: config.dataDir,
    log,
    expansion: overrides.understanding?.expansion,
  });
  closer.defer(() => knowledge.close());
  await knowledge.start();
  // Building the services calls nothing: only answering (or naming topics) calls the model.
  const llm = config.llm
    ? createLlmServices({
        options: config.llm,
        db: database.db,
        retriever: knowledge.retriever,
        log,
        clock: overrides.clock ?? systemClock,
      })
    : undefined;
  if (llm) closer.defer(() => llm.stop());
  const topics = createDailyTopics({
    db: database.db,
    embedder: knowledge.deps.embedder,
    label: llm?.labelTopic,
    log,
    clock: overrides.clock,
  });
  return {
    config,
    log,
    database,
    keys,
    knowledge,
    llm,
    topics,
    // CAUSETTE_TOKEN_KEY when set, otherwise a key derived from the server secret; earlier keys
    // still open tokens sealed before a rotation.
    cipher: createTokenCipher(config.meta.tokenKey ?? keys.encryption, config.meta.previousTokenKeys),
    graph: createGraphClient({
      baseUrls: { facebook: config.meta.graphUrl, instagram: config.meta.instagramGraphUrl },
      version: config.meta.graphVersion,
    }),
    defer: (close) => closer.defer(close),
    close: () => closer.close(),
    fail: (error) => closer.fail(error),
  };
}
