import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { pino } from 'pino';
import type { MetaChannels } from '../bot/channels/meta/meta-channels.ts';
import type { Clock } from '../bot/clock.ts';
import type { TurnHandler } from '../bot/conversation/turn-handler.ts';
import type { Understanding } from '../bot/create-bot.ts';
import type { Responder } from '../bot/responder.ts';
import type { Database } from '../db/database.ts';
import { type App, buildApp } from './app.ts';
import type { Config } from './config.ts';
import { startControlServer } from './control/control-server.ts';
import { appDepsOf, createServices } from './services/create-services.ts';

export const defaultWidgetBundlePath = fileURLToPath(new URL('../widget/dist/widget.js', import.meta.url));
export const defaultConsoleDir = fileURLToPath(new URL('../console/dist', import.meta.url));

export interface StartOptions {
  /** Runs after migrations, before the server listens (the demo seeds its tenant here). */
  prepare?: ((database: Database) => Promise<void>) | undefined;
  /** Extra plugins registered on the app (the demo's shop page). */
  plugins?: FastifyPluginAsync[] | undefined;
  widgetBundlePath?: string | undefined;
  /** The console's build, served under /console/. */
  consoleDir?: string | undefined;
  /** Replaces the bot (tests). */
  responder?: Responder | undefined;
  /** The bot's clock: support hours, "open today?" (a benchmark plays at a fixed time). */
  clock?: Clock | undefined;
  /** Parts of how the offline bot reads questions, switched off to measure them (benchmarks). */
  understanding?: Understanding | undefined;
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
  const log = createServerLog(config);
  const services = await createServices(config, {
    log,
    responder: options.responder,
    clock: options.clock,
    understanding: options.understanding,
  });
  const { database, knowledge, bot, meta } = services;
  try {
    await options.prepare?.(database);
    await knowledge.startBackground();
    await bot.intents.warm();
    if (config.llm) {
      log.info({ model: config.llm.model, baseUrl: config.llm.baseUrl ?? 'OpenAI' }, 'the LLM agent answers');
    }
    const widgetBundlePath = options.widgetBundlePath ?? defaultWidgetBundlePath;
    const consoleDir = options.consoleDir ?? defaultConsoleDir;
    const app = await buildApp({ ...appDepsOf(services, { config, widgetBundlePath, log }), consoleDir });
    services.defer(() => app.close());
    for (const plugin of options.plugins ?? []) await app.register(plugin);
    // A deep accept queue: a reconnect storm (every widget after a deploy) must not turn into SYN retries.
    await app.listen({ host: config.host, port: config.port, backlog: 4096 });
    bot.notifier.start();
    bot.notifier.kick();
    meta.start(bot.turns);
    if (config.topicsJob) {
      services.topics.scheduler.start();
      // A run in progress is told to stop and awaited; its day is written whole or not at all.
      services.defer(() => services.topics.scheduler.stop());
    }
    if (!config.meta.appSecret && !config.meta.instagramAppSecret) {
      log.info(
        'WhatsApp and Instagram webhooks are off: set META_APP_SECRET and META_VERIFY_TOKEN to receive them',
      );
    }
    // With embedded Postgres no other process may open the data directory, so admin commands
    // run while the server is up come through this socket instead.
    if (database.driver === 'pglite' && database.dataDir) {
      const control = await startControlServer({ dataDir: database.dataDir, log, context: services });
      if (control) services.defer(() => control.close());
    }
    return { app, database, turns: bot.turns, meta, url: urlOf(app, config), close: services.close };
  } catch (error) {
    return services.fail(error);
  }
}

function createServerLog(config: Config) {
  return pino({
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
}

/** The URL the server is reached at: the bound port, and localhost for a wildcard or loopback host. */
function urlOf(app: App, config: Config): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const loopback = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host);
  const host = loopback ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
