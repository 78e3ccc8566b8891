import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const problemsOf = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('has working defaults with nothing set', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      databaseAppUrl: undefined,
      appRole: 'causette_app',
      dataDir: '/srv/app/.causette',
      secret: undefined,
      logLevel: 'info',
      maxFrameBytes: 4096,
      publicUrl: undefined,
      chat: {
        maxSockets: 20_000,
        messagesPerMinute: 30,
        messageBurst: 10,
        framesPerSecond: 20,
        maxBufferedBytes: 1024 * 1024,
        maxPendingHellos: 1_000,
        handshakesPerMinute: 120,
      },
      trustProxy: [],
      adminRequestsPerMinute: 600,
      llm: undefined,
      smtp: undefined,
      topicsJob: true,
      knowledge: {
        openAiApiKey: undefined,
        openAiBaseUrl: undefined,
        embeddingModel: 'text-embedding-3-small',
        qdrantUrl: undefined,
        qdrantApiKey: undefined,
        qdrantCollection: 'causette_chunks',
        maxUploadBytes: 20 * 1024 * 1024,
        relevanceThreshold: 0.45,
        crawl: {
          concurrency: 2,
          timeoutMs: 15_000,
          maxPageBytes: 5 * 1024 * 1024,
          maxDepth: 5,
          allowPrivateNetworks: false,
        },
      },
      meta: {
        verifyToken: undefined,
        appSecret: undefined,
        instagramAppSecret: undefined,
        graphUrl: 'https://graph.facebook.com',
        instagramGraphUrl: 'https://graph.instagram.com',
        graphVersion: 'v23.0',
        tokenKey: undefined,
        previousTokenKeys: [],
        whatsappMessagesPerSecond: 80,
        instagramCallsPerSecond: 300,
      },
    });
  });

  it('reads the knowledge settings and reports each bad one', () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://localhost:11434/v1/',
      CAUSETTE_EMBEDDING_MODEL: 'nomic-embed-text',
      QDRANT_URL: 'http://qdrant:6333/',
      QDRANT_API_KEY: 'qk',
      QDRANT_COLLECTION: 'shop_chunks',
      CAUSETTE_MAX_UPLOAD_MB: '5',
      CAUSETTE_RELEVANCE_THRESHOLD: '0.3',
    });
    expect(config.knowledge).toMatchObject({
      openAiApiKey: 'sk-test',
      openAiBaseUrl: 'http://localhost:11434/v1',
      embeddingModel: 'nomic-embed-text',
      qdrantUrl: 'http://qdrant:6333',
      qdrantApiKey: 'qk',
      qdrantCollection: 'shop_chunks',
      maxUploadBytes: 5 * 1024 * 1024,
      relevanceThreshold: 0.3,
    });
    const error = (() => {
      try {
        loadConfig({
          QDRANT_URL: 'qdrant:6333',
          QDRANT_COLLECTION: 'bad name',
          CAUSETTE_MAX_UPLOAD_MB: '0',
          CAUSETTE_RELEVANCE_THRESHOLD: '2',
        });
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(error?.problems).toEqual([
      expect.stringMatching(/^QDRANT_URL must be an http\(s\) URL/),
      expect.stringMatching(/^QDRANT_COLLECTION must be/),
      expect.stringMatching(/^CAUSETTE_RELEVANCE_THRESHOLD must be a number from 0 to 1/),
      expect.stringMatching(/^CAUSETTE_MAX_UPLOAD_MB must be a whole number from 1 to 1024/),
    ]);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://u:p@db:5432/causette',
        CAUSETTE_DATA_DIR: '/var/lib/causette',
        CAUSETTE_SECRET: 'x'.repeat(32),
        LOG_LEVEL: 'debug',
        CAUSETTE_MAX_FRAME_BYTES: '8192',
        CAUSETTE_PUBLIC_URL: 'https://chat.example.com/',
        CAUSETTE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback,fd00::/8',
        CAUSETTE_ADMIN_REQUESTS_PER_MINUTE: '100',
        CAUSETTE_WS_HANDSHAKES_PER_MINUTE: '30',
      },
      '/srv/app',
    );
    expect(config).toMatchObject({
      trustProxy: ['10.0.0.0/8', '127.0.0.1', 'loopback', 'fd00::/8'],
      adminRequestsPerMinute: 100,
      chat: { handshakesPerMinute: 30 },
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db:5432/causette',
      dataDir: '/var/lib/causette',
      logLevel: 'debug',
      maxFrameBytes: 8192,
      publicUrl: 'https://chat.example.com',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' }, '/srv/app')).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number from 0 to 65535 \(got "eighty"\)/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '-1' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'not a url', CAUSETTE_SECRET: 'x'.repeat(32) }, /DATABASE_URL must be a URL/],
    [{ DATABASE_URL: 'mysql://db/x', CAUSETTE_SECRET: 'x'.repeat(32) }, /must start with postgres:\/\//],
    [{ DATABASE_URL: 'postgres://db/x' }, /CAUSETTE_SECRET is required with DATABASE_URL/],
    [{ CAUSETTE_SECRET: 'short' }, /CAUSETTE_SECRET must be at least 32 characters/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ CAUSETTE_MAX_FRAME_BYTES: '10' }, /CAUSETTE_MAX_FRAME_BYTES must be a whole number from 256/],
    [{ CAUSETTE_PUBLIC_URL: 'chat.example.com' }, /CAUSETTE_PUBLIC_URL must be an http\(s\) URL/],
    [{ CAUSETTE_TRUST_PROXY: 'true' }, /CAUSETTE_TRUST_PROXY must list the proxies/],
    [{ CAUSETTE_TRUST_PROXY: '10.0.0.0/33' }, /CAUSETTE_TRUST_PROXY must list the proxies/],
    [{ CAUSETTE_TRUST_PROXY: 'proxy.internal' }, /CAUSETTE_TRUST_PROXY must list the proxies/],
    [{ CAUSETTE_WS_HANDSHAKES_PER_MINUTE: '0' }, /CAUSETTE_WS_HANDSHAKES_PER_MINUTE must be a whole number/],
    [{ CAUSETTE_APP_ROLE: 'App"; drop' }, /CAUSETTE_APP_ROLE must be a role name of lower-case letters/],
    [{ DATABASE_APP_URL: 'postgres://app@db/x' }, /DATABASE_APP_URL needs DATABASE_URL/],
    [
      { DATABASE_URL: 'postgres://db/x', DATABASE_APP_URL: 'db/x', CAUSETTE_SECRET: 'x'.repeat(32) },
      /DATABASE_APP_URL must be a URL like postgres:\/\//,
    ],
  ])('explains a bad value: %j', (env, message) => {
    expect(problemsOf(env).join('\n')).toMatch(message);
  });

  it('reports every bad value at once', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', CAUSETTE_SECRET: 'short' });
    expect(problems).toHaveLength(3);
  });
});
