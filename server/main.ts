import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { pino } from 'pino';
import { createLlmServices } from '../bot/agent/llm-services.ts';
import type { MetaChannels } from '../bot/channels/meta/meta-channels.ts';
import { createUnreadableAwareResponder } from '../bot/channels/meta/unreadable-aware-responder.ts';
import { systemClock } from '../bot/clock.ts';
import type { ConversationEvents } from '../bot/conversation/conversation-events.ts';
import { createPgConversationEvents } from '../bot/conversation/pg-conversation-events.ts';
import type { TurnHandler } from '../bot/conversation/turn-handler.ts';
import { createBot } from '../bot/create-bot.ts';
import { createSmtpMailer } from '../bot/notifications/mailer.ts';
import type { Responder } from '../bot/responder.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { type StatisticsKeeper, startStatisticsKeeper } from '../db/planner-statistics.ts';
import { type App, buildApp } from './app.ts';
import { deriveServerKeys, loadOrCreateSecret } from './auth/server-secret.ts';
import type { Config } from './config.ts';
import { type ControlServer, startControlServer } from './control/control-server.ts';
import { createKnowledge, type Knowledge } from './knowledge-setup.ts';
import { createServerMetaChannels } from './meta-wiring.ts';
import { createDailyTopics, type DailyTopics } from './topics-setup.ts';

export const defaultWidgetBundlePath = fileURLToPath(new URL('../widget/dist/widget.js', import.meta.url));

export interface StartOptions {
  /** Runs after migrations, before the server listens (the demo seeds its tenant here). */
  prepare?: (database: Database) => Promise<void>;
  /** Extra plugins registered on the app (the demo's shop page). */
  plugins?: FastifyPluginAsync[];
  widgetBundlePath?: string;
  /** Replaces the bot (tests). */
  responder?: Responder;
}

export interface RunningServer {
  app: App;
  database: Database;
  turns: TurnHandler;
  /** WhatsApp and Instagram: their inbox, outbox and workers. */
  meta: MetaChannels;
  /** http://host:port as bound (the real port when PORT=0). */
  url: string;
  /** Graceful stop: sockets are told and closed, pending answers are stored, the database closes. */
  close(): Promise<void>;
}

/** Opens the database, migrates it, wires the bot and starts listening. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = pino({
    level: config.logLevel,
    // Access tokens never reach the log, whatever object carries them.
    redact: [
      'req.headers.authorization',
      'req.headers.cookie',
      'req.headers["sec-websocket-protocol"]',
      'token',
      '*.token',
      'accessToken',
      '*.accessToken',
      'access_token',
      '*.access_token',
    ],
  });
  const database = config.databaseUrl
    ? await openDatabase({ driver: 'postgres', url: config.databaseUrl })
    : await openDatabase({ driver: 'pglite', dataDir: config.dataDir });
  let app: App | undefined;
  let events: ConversationEvents | undefined;
  let control: ControlServer | undefined;
  let stopBot: (() => Promise<void>) | undefined;
  let knowledge: Knowledge | undefined;
  let meta: MetaChannels | undefined;
  let ingest: Database | undefined;
  let topics: DailyTopics | undefined;
  let statistics: StatisticsKeeper | undefined;
  try {
    await runMigrations(database);
    // Keeps the planner's statistics true as tables grow (and, embedded, vacuums: PGlite has no
    // autovacuum), so that lookups by key stay lookups by key. Gathered again once a table has
    // doubled rather than at autovacuum's tenth changed: under load, a growing table of messages
    // and one of conversations updated by every message would be analysed every few seconds, each
    // time a burst of work (150-300 ms of a core for the messages) and every cached plan of the
    // table made again in every connection, which answers wait behind. The planner scales the
    // statistics' row counts by the table's size on disk, so statistics a doubling behind still
    // plan lookups by key as such; a real Postgres's autovacuum keeps its own pace besides.
    statistics = startStatisticsKeeper(database.db, {
      analyzeOnGrowth: 2,
      vacuum: database.driver === 'pglite',
      onError: (error) => log.warn({ err: error }, 'refreshing planner statistics failed'),
    });
    await options.prepare?.(database);
    const secret = config.secret ?? (await loadOrCreateSecret(config.dataDir));
    events = await createPgConversationEvents(database, log);
    const keys = deriveServerKeys(secret);
    knowledge = createKnowledge({ config: config.knowledge, db: database.db, dataDir: config.dataDir, log });
    await knowledge.start({ background: true });
    // With a real Postgres, webhook acknowledgements get connections of their own.
    if (config.databaseUrl) {
      ingest = await openDatabase({ driver: 'postgres', url: config.databaseUrl, maxConnections: 2 });
    }
    meta = createServerMetaChannels(database, config.meta, keys, log, ingest ? { ingestDb: ingest.db } : {});
    const mailer = config.smtp ? createSmtpMailer(config.smtp) : undefined;
    const llm = config.llm
      ? createLlmServices({
          options: config.llm,
          db: database.db,
          retriever: knowledge.retriever,
          log,
          clock: systemClock,
        })
      : undefined;
    if (config.llm) {
      log.info({ model: config.llm.model, baseUrl: config.llm.baseUrl ?? 'OpenAI' }, 'the LLM agent answers');
    }
    const bot = createBot({
      db: database.db,
      events,
      log,
      retriever: knowledge.retriever,
      encryptionKey: keys.encryption,
      delivery: meta.outbox,
      // Voice notes, pictures without caption…: a polite answer instead of a guess.
      decorate: (responder) => createUnreadableAwareResponder(responder, database.db),
      ...(mailer ? { mailer } : {}),
      ...(llm ? { llm } : {}),
      ...(options.responder ? { responder: options.responder } : {}),
    });
    const turns = bot.turns;
    await bot.intents.warm();
    stopBot = async () => {
      await bot.notifier.stop();
      await llm?.stop();
      mailer?.close();
    };
    app = await buildApp({
      config,
      database,
      keys,
      events,
      turns,
      bot,
      knowledge,
      widgetBundlePath: options.widgetBundlePath ?? defaultWidgetBundlePath,
      log,
      meta: { secrets: config.meta, channels: meta },
    });
    for (const plugin of options.plugins ?? []) await app.register(plugin);
    // A deep accept queue: a reconnect storm (every widget after a deploy) must not turn into SYN retries.
    await app.listen({ host: config.host, port: config.port, backlog: 4096 });
    bot.notifier.start();
    bot.notifier.kick();
    meta.start(turns);
    if (config.topicsJob) {
      topics = createDailyTopics({
        db: database.db,
        embedder: knowledge.deps.embedder,
        log,
        ...(llm ? { label: llm.labelTopic } : {}),
      });
      topics.scheduler.start();
    }
    if (!config.meta.appSecret && !config.meta.instagramAppSecret) {
      log.info(
        'WhatsApp and Instagram webhooks are off: set META_APP_SECRET and META_VERIFY_TOKEN to receive them',
      );
    }
    // With embedded Postgres no other process may open the data directory, so admin commands
    // run while the server is up come through this socket instead.
    if (database.driver === 'pglite' && database.dataDir) {
      control = await startControlServer({
        dataDir: database.dataDir,
        db: database.db,
        knowledge,
        log,
        commands: {
          cipher: meta.cipher,
          graph: meta.graph,
          ...(llm ? { topicLabeler: llm.labelTopic } : {}),
        },
      });
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const loopback = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host);
    const host = loopback ? 'localhost' : config.host;
    const running = app;
    const runningKnowledge = knowledge;
    const channels = meta;
    const ingestDatabase = ingest;
    const topicsJob = topics;
    const statisticsKeeper = statistics;
    let closing: Promise<void> | undefined;
    return {
      app: running,
      database,
      turns,
      meta: channels,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      close: () => {
        closing ??= (async () => {
          await control?.close();
          // A topics run in progress is told to stop and awaited; its day is written whole or not at all.
          await topicsJob?.scheduler.stop();
          await running.close();
          await runningKnowledge.close();
          // Answers being thought out are still stored and queued; the outbox sends them at the
          // next start (of this process or another).
          await channels.stop();
          await turns.drain();
          await stopBot?.();
          await events?.close();
          await ingestDatabase?.close();
          await statisticsKeeper.stop();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await control?.close();
    await topics?.scheduler.stop();
    await app?.close();
    await stopBot?.();
    await events?.close();
    await knowledge?.close();
    await meta?.stop();
    await ingest?.close();
    await statistics?.stop();
    await database.close();
    throw error;
  }
}
