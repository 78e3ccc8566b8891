import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { createOfflineResponder } from '../../bot/offline/offline-responder.ts';
import type { Responder } from '../../bot/responder.ts';
import type { Db } from '../../db/database.ts';
import { createLexicalRetriever } from '../../knowledge/retrieve/lexical-retriever.ts';
import { loadConfig } from '../../server/config.ts';
import { type RunningServer, startServer } from '../../server/main.ts';
import { seedDemo } from '../seed-demo.ts';
import { shopSitePlugin } from '../shop-site.ts';

export interface DemoServer {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** Stops the server; the data directory stays for a restart. */
  stop(): Promise<void>;
  /** Starts again on the same data directory and port. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

export interface DemoServerOptions {
  /** Extra routes (host pages of the browser tests). */
  plugins?: FastifyPluginAsync[];
  /** Wraps the offline bot (the browser tests stream its answers word by word). */
  wrapResponder?: (responder: Responder) => Responder;
  /** Extra environment, as `npm start` would read it. */
  env?: Record<string, string>;
}

/**
 * The demo as `npm start` runs it (embedded Postgres, seeded "Ma Boutique", shop page at /), on an
 * ephemeral port and a temporary data directory. Uses the widget built into widget/dist.
 */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-e2e-'));
  let port = 0;
  const boot = async () => {
    const config = loadConfig({
      PORT: String(port),
      CAUSETTE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...options.env,
    });
    let db: Db | undefined;
    const offline: Responder = {
      respond: (context, stream) =>
        createOfflineResponder({ db: db!, retriever: createLexicalRetriever(db!) }).respond(context, stream),
    };
    const server = await startServer(config, {
      prepare: async (database) => {
        db = database.db;
        await seedDemo(database.db);
      },
      plugins: [shopSitePlugin, ...(options.plugins ?? [])],
      ...(options.wrapResponder ? { responder: options.wrapResponder(offline) } : {}),
    });
    port = Number(new URL(server.url).port);
    return server;
  };
  const demo: DemoServer = {
    server: await boot(),
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    dataDir,
    stop: () => demo.server.close(),
    restart: async () => {
      demo.server = await boot();
    },
    destroy: async () => {
      await demo.server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return demo;
}
