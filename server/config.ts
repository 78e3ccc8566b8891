import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { LlmOptions } from '../bot/agent/llm-options.ts';
import { APP_GROUP_ROLE, ROLE_NAME } from '../db/provision-app-role.ts';
import {
  DEFAULT_CRAWL_OPTIONS,
  DEFAULT_FETCH_LIMITS,
  DEFAULT_OPENAI_EMBEDDING_MODEL,
  DEFAULT_QDRANT_COLLECTION,
  DEFAULT_RELEVANCE_THRESHOLD,
} from '../knowledge/knowledge-defaults.ts';
import { DEFAULT_CHAT_LIMITS, DEFAULT_MAX_FRAME_BYTES } from './chat/chat-limits.ts';

export interface Config {
  host: string;
  port: number;
  /** Set: a real Postgres server, as the tables' owner (migrations). Unset: embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  /** The app role made by hand (managed Postgres); unset: derived from databaseUrl and the secret. */
  databaseAppUrl: string | undefined;
  /** The role the server serves as, which owns nothing and cannot bypass row level security. */
  appRole: string;
  dataDir: string;
  /** Signs visitor tokens and derives encryption keys; undefined means "generate and keep one in dataDir". */
  secret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest widget text frame accepted, in bytes. */
  maxFrameBytes: number;
  /** The URL browsers reach this server at, for the script tag shown to site owners. */
  publicUrl: string | undefined;
  /** Limits of the widget's websocket. */
  chat: {
    maxSockets: number;
    messagesPerMinute: number;
    messageBurst: number;
    framesPerSecond: number;
    maxBufferedBytes: number;
    maxPendingHellos: number;
    /** Websocket handshakes per client address per minute. */
    handshakesPerMinute: number;
  };
  /** Proxies (addresses, CIDRs, or loopback/linklocal/uniquelocal) whose X-Forwarded-For is believed. */
  trustProxy: string[];
  /** Admin API requests per client IP per minute. */
  adminRequestsPerMinute: number;
  /** Set when OPENAI_API_KEY or OPENAI_BASE_URL is: the LLM agent answers, the offline bot is its fallback. */
  llm: LlmConfig | undefined;
  /** Set when SMTP_URL is: escalation and hot-lead emails. */
  smtp: { url: string; from: string } | undefined;
  /** Whether this process runs the daily topics job (one process is enough; it is idempotent). */
  topicsJob: boolean;
  knowledge: KnowledgeConfig;
  meta: MetaConfig;
}

/** WhatsApp and Instagram: webhook secrets, Graph API location, token encryption, throughput. */
export interface MetaConfig {
  /** Answers Meta's GET verification handshake; webhooks are off while unset. */
  verifyToken: string | undefined;
  /** Signs WhatsApp webhooks, and Instagram ones unless instagramAppSecret is set. */
  appSecret: string | undefined;
  /** Signs Instagram webhooks of an Instagram Login app. */
  instagramAppSecret: string | undefined;
  /** Graph host for WhatsApp and Facebook-Login Instagram accounts. */
  graphUrl: string;
  /** Graph host for Instagram Login accounts. */
  instagramGraphUrl: string;
  graphVersion: string;
  /** 32-byte AES key for stored access tokens; undefined means "derive it from the server secret". */
  tokenKey: Buffer | undefined;
  /** Earlier token keys, still accepted for decryption after a rotation. */
  previousTokenKeys: Buffer[];
  /** Messages per second per WhatsApp number (Meta's default is 80). */
  whatsappMessagesPerSecond: number;
  /** Send API calls per second per Instagram account (Meta documents 300). */
  instagramCallsPerSecond: number;
}

/** The LLM settings, in the shape the bot's agent takes them. */
export type LlmConfig = LlmOptions;

/** Embeddings, vector store and ingestion limits (see the README's knowledge section). */
export interface KnowledgeConfig {
  /** OpenAI embeddings when either is set; the offline embedder otherwise. */
  openAiApiKey: string | undefined;
  openAiBaseUrl: string | undefined;
  embeddingModel: string;
  /** Qdrant when set; pgvector in the same Postgres otherwise. */
  qdrantUrl: string | undefined;
  qdrantApiKey: string | undefined;
  qdrantCollection: string;
  maxUploadBytes: number;
  /** Hits scoring below it are not returned, so the bot abstains. */
  relevanceThreshold: number;
  crawl: {
    /** Requests in flight at once per crawl. */
    concurrency: number;
    timeoutMs: number;
    maxPageBytes: number;
    maxDepth: number;
    /** Let crawls reach loopback and private addresses (an intranet); off by default. */
    allowPrivateNetworks: boolean;
  };
}

export class ConfigError extends Error {
  readonly code = 'CAUSETTE_ERR_CONFIG';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const MB = 1024 * 1024;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and checks the environment once, at start. Every bad value is reported together, each
 * with what was expected, rather than the first one alone.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const maxFrameBytes = integer('CAUSETTE_MAX_FRAME_BYTES', DEFAULT_MAX_FRAME_BYTES, 256, 1024 * 1024);
  const limits = DEFAULT_CHAT_LIMITS;
  const chat = {
    maxSockets: integer('CAUSETTE_MAX_SOCKETS', limits.maxSockets, 1, 1_000_000),
    messagesPerMinute: integer(
      'CAUSETTE_VISITOR_MESSAGES_PER_MINUTE',
      limits.messagesPerMinute,
      1,
      1_000_000,
    ),
    messageBurst: integer('CAUSETTE_VISITOR_MESSAGE_BURST', limits.messageBurst, 1, 1_000_000),
    framesPerSecond: integer('CAUSETTE_VISITOR_FRAMES_PER_SECOND', limits.framesPerSecond, 1, 1_000_000),
    maxBufferedBytes: integer(
      'CAUSETTE_MAX_BUFFERED_BYTES',
      limits.maxBufferedBytes,
      16 * 1024,
      1024 * 1024 * 1024,
    ),
    maxPendingHellos: integer('CAUSETTE_MAX_PENDING_HELLOS', limits.maxPendingHellos, 1, 1_000_000),
    handshakesPerMinute: integer(
      'CAUSETTE_WS_HANDSHAKES_PER_MINUTE',
      limits.handshakesPerMinute,
      1,
      100_000_000,
    ),
  };
  const adminRequestsPerMinute = integer('CAUSETTE_ADMIN_REQUESTS_PER_MINUTE', 600, 1, 100_000_000);
  const trustProxy = readTrustProxy(read('CAUSETTE_TRUST_PROXY'), problems);

  const host = read('HOST') ?? '127.0.0.1';
  if (/\s/.test(host)) problems.push(`HOST must be a host name or an IP address (got "${host}")`);

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(databaseUrl);
    } catch {
      problems.push('DATABASE_URL must be a URL like postgres://user:password@host:5432/database');
    }
    if (parsed && parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got "${parsed.protocol}//")`);
    }
  }

  const databaseAppUrl = read('DATABASE_APP_URL');
  if (databaseAppUrl !== undefined) {
    if (databaseUrl === undefined) {
      problems.push(
        'DATABASE_APP_URL needs DATABASE_URL: migrations run as the owner that DATABASE_URL names',
      );
    }
    if (!/^postgres(ql)?:\/\/[^\s]+$/.test(databaseAppUrl)) {
      problems.push(
        'DATABASE_APP_URL must be a URL like postgres://causette_app:password@host:5432/database',
      );
    }
  }
  const appRole = read('CAUSETTE_APP_ROLE') ?? APP_GROUP_ROLE;
  if (!ROLE_NAME.test(appRole)) {
    problems.push(
      `CAUSETTE_APP_ROLE must be a role name of lower-case letters, digits and underscores (got "${appRole}")`,
    );
  }

  const secret = read('CAUSETTE_SECRET');
  if (secret !== undefined && secret.length < 32) {
    problems.push('CAUSETTE_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  }
  if (secret === undefined && databaseUrl !== undefined) {
    problems.push(
      'CAUSETTE_SECRET is required with DATABASE_URL: every server process must sign and encrypt with the same secret',
    );
  }

  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  const publicUrl = read('CAUSETTE_PUBLIC_URL');
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(publicUrl)) {
    problems.push(`CAUSETTE_PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  }

  const apiKey = read('OPENAI_API_KEY');
  const baseUrl = read('OPENAI_BASE_URL');
  if (baseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    problems.push(
      `OPENAI_BASE_URL must be an http(s) URL such as http://localhost:11434/v1 (got "${baseUrl}")`,
    );
  }
  const model = read('CAUSETTE_CHAT_MODEL');
  if (apiKey === undefined && baseUrl === undefined && model !== undefined) {
    problems.push(
      'CAUSETTE_CHAT_MODEL needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (an OpenAI-compatible server such as Ollama, which needs no key)',
    );
  }
  if (model !== undefined && !/^[\w.:/@-]{1,200}$/.test(model)) {
    problems.push(
      `CAUSETTE_CHAT_MODEL must be a model name such as gpt-4o-mini or llama3.1:8b (got "${model}")`,
    );
  }
  const llmTimeoutMs = integer('CAUSETTE_LLM_TIMEOUT_MS', 30_000, 1000, 600_000);
  const llmMaxRetries = integer('CAUSETTE_LLM_MAX_RETRIES', 2, 0, 10);
  const llmConcurrency = integer('CAUSETTE_LLM_CONCURRENCY', 4, 1, 100);
  const llmMaxToolCalls = integer('CAUSETTE_LLM_MAX_TOOL_CALLS', 5, 1, 20);

  const smtpUrl = read('SMTP_URL');
  const smtpFrom = read('SMTP_FROM');
  if (smtpUrl !== undefined) {
    if (!/^smtps?:\/\/[^\s/]+/.test(smtpUrl)) {
      problems.push(
        'SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465',
      );
    }
    if (smtpFrom === undefined)
      problems.push('SMTP_FROM is required with SMTP_URL (e.g. "Causette <bot@example.com>")');
  } else if (smtpFrom !== undefined) {
    problems.push('SMTP_FROM is set but SMTP_URL is not: set both to send email notifications');
  }

  const topicsJob = read('CAUSETTE_TOPICS_JOB') ?? 'on';
  if (topicsJob !== 'on' && topicsJob !== 'off') {
    problems.push(`CAUSETTE_TOPICS_JOB must be "on" or "off" (got "${topicsJob}")`);
  }
  const knowledge = readKnowledgeConfig(read, integer, problems);
  const meta = readMetaConfig(read, integer, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host,
    port,
    databaseUrl,
    databaseAppUrl,
    appRole,
    dataDir: resolve(cwd, read('CAUSETTE_DATA_DIR') ?? '.causette'),
    secret,
    logLevel: logLevel as Config['logLevel'],
    maxFrameBytes,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    chat,
    trustProxy,
    adminRequestsPerMinute,
    llm:
      apiKey !== undefined || baseUrl !== undefined
        ? {
            apiKey,
            baseUrl: baseUrl?.replace(/\/+$/, ''),
            model: model ?? 'gpt-4o-mini',
            timeoutMs: llmTimeoutMs,
            maxRetries: llmMaxRetries,
            concurrencyPerTenant: llmConcurrency,
            maxToolCalls: llmMaxToolCalls,
          }
        : undefined,
    smtp: smtpUrl && smtpFrom ? { url: smtpUrl, from: smtpFrom } : undefined,
    topicsJob: topicsJob === 'on',
    knowledge,
    meta,
  };
}

/** Names proxy-addr understands besides addresses and CIDRs. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * CAUSETTE_TRUST_PROXY: the proxies in front of the server, comma-separated. Only a request that
 * comes from one of them has its client address read from X-Forwarded-For; "true" (trust any
 * sender) is refused, since then any visitor could pick the address its limits are counted on.
 */
function readTrustProxy(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const valid = (entry: string) => {
    if (PROXY_NAMES.includes(entry)) return true;
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || extra !== undefined) return false;
    if (bits === undefined) return true;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  };
  const bad = entries.filter((entry) => !valid(entry));
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `CAUSETTE_TRUST_PROXY must list the proxies' addresses or CIDRs (e.g. 10.0.0.0/8,127.0.0.1) or loopback, linklocal, uniquelocal (got "${raw}")`,
    );
    return [];
  }
  return entries;
}

function readKnowledgeConfig(
  read: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): KnowledgeConfig {
  const url = (name: string) => {
    const value = read(name);
    if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) {
      problems.push(`${name} must be an http(s) URL (got "${value}")`);
    }
    return value?.replace(/\/+$/, '');
  };
  // OPENAI_BASE_URL is checked with the LLM settings above.
  const flag = (name: string) => {
    const value = read(name);
    if (value === undefined) return false;
    if (!['true', 'false', '1', '0', 'on', 'off'].includes(value)) {
      problems.push(`${name} must be true or false (got "${value}")`);
    }
    return ['true', '1', 'on'].includes(value);
  };
  const openAiBaseUrl = read('OPENAI_BASE_URL')?.replace(/\/+$/, '');
  const qdrantUrl = url('QDRANT_URL');
  const embeddingModel = read('CAUSETTE_EMBEDDING_MODEL') ?? DEFAULT_OPENAI_EMBEDDING_MODEL;
  if (embeddingModel.length > 100) problems.push('CAUSETTE_EMBEDDING_MODEL must be at most 100 characters');
  const qdrantCollection = read('QDRANT_COLLECTION') ?? DEFAULT_QDRANT_COLLECTION;
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(qdrantCollection)) {
    problems.push(`QDRANT_COLLECTION must be letters, digits, - and _ (got "${qdrantCollection}")`);
  }
  const thresholdRaw = read('CAUSETTE_RELEVANCE_THRESHOLD');
  let relevanceThreshold = DEFAULT_RELEVANCE_THRESHOLD;
  if (thresholdRaw !== undefined) {
    const value = Number(thresholdRaw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      problems.push(`CAUSETTE_RELEVANCE_THRESHOLD must be a number from 0 to 1 (got "${thresholdRaw}")`);
    } else {
      relevanceThreshold = value;
    }
  }
  return {
    openAiApiKey: read('OPENAI_API_KEY'),
    openAiBaseUrl,
    embeddingModel,
    qdrantUrl,
    qdrantApiKey: read('QDRANT_API_KEY'),
    qdrantCollection,
    maxUploadBytes: integer('CAUSETTE_MAX_UPLOAD_MB', 20, 1, 1024) * MB,
    relevanceThreshold,
    crawl: {
      concurrency: integer('CAUSETTE_CRAWL_CONCURRENCY', DEFAULT_CRAWL_OPTIONS.concurrency, 1, 16),
      timeoutMs: integer('CAUSETTE_CRAWL_TIMEOUT_MS', DEFAULT_FETCH_LIMITS.timeoutMs, 1000, 120_000),
      maxPageBytes: integer('CAUSETTE_CRAWL_MAX_PAGE_MB', DEFAULT_FETCH_LIMITS.maxBytes / MB, 1, 100) * MB,
      maxDepth: integer('CAUSETTE_CRAWL_MAX_DEPTH', DEFAULT_CRAWL_OPTIONS.maxDepth, 0, 20),
      allowPrivateNetworks: flag('CAUSETTE_CRAWL_ALLOW_PRIVATE_NETWORKS'),
    },
  };
}

function readMetaConfig(
  read: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): MetaConfig {
  const url = (name: string, fallback: string) => {
    const value = read(name) ?? fallback;
    if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(value)) {
      problems.push(`${name} must be an http(s) URL such as ${fallback} (got "${value}")`);
    }
    return value.replace(/\/+$/, '');
  };
  const key = (name: string, raw: string): Buffer | undefined => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (bytes.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(raw) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(raw))) {
      problems.push(
        `${name} must be 32 bytes as 64 hex characters or base64 (e.g. \`openssl rand -hex 32\`)`,
      );
      return undefined;
    }
    return bytes;
  };

  const appSecret = read('META_APP_SECRET');
  const instagramAppSecret = read('INSTAGRAM_APP_SECRET');
  const verifyToken = read('META_VERIFY_TOKEN');
  if ((appSecret || instagramAppSecret) && !verifyToken) {
    problems.push(
      'META_VERIFY_TOKEN is required with META_APP_SECRET: Meta verifies the webhook URL with it',
    );
  }
  if (verifyToken && !appSecret && !instagramAppSecret) {
    problems.push('META_APP_SECRET is required with META_VERIFY_TOKEN: webhooks are checked against it');
  }
  const graphVersion = read('META_GRAPH_VERSION') ?? 'v23.0';
  if (!/^v\d{1,3}\.\d$/.test(graphVersion)) {
    problems.push(`META_GRAPH_VERSION must look like v23.0 (got "${graphVersion}")`);
  }
  const tokenKeyRaw = read('CAUSETTE_TOKEN_KEY');
  const previousRaw = read('CAUSETTE_TOKEN_KEY_PREVIOUS');
  const previousTokenKeys = (previousRaw ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => key('CAUSETTE_TOKEN_KEY_PREVIOUS', part))
    .filter((k): k is Buffer => k !== undefined);
  return {
    verifyToken,
    appSecret,
    instagramAppSecret,
    graphUrl: url('META_GRAPH_URL', 'https://graph.facebook.com'),
    instagramGraphUrl: url('INSTAGRAM_GRAPH_URL', 'https://graph.instagram.com'),
    graphVersion,
    tokenKey: tokenKeyRaw === undefined ? undefined : key('CAUSETTE_TOKEN_KEY', tokenKeyRaw),
    previousTokenKeys,
    whatsappMessagesPerSecond: integer('WHATSAPP_MESSAGES_PER_SECOND', 80, 1, 1000),
    instagramCallsPerSecond: integer('INSTAGRAM_CALLS_PER_SECOND', 300, 1, 1000),
  };
}
