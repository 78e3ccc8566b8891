import type { FetchLimits } from './web/fetch-page.ts';

/**
 * The knowledge layer's defaults that the server's configuration names too: one home each, in a
 * module that loads nothing, so that reading the configuration loads no client or crawler.
 */

/** Below this score a passage is more likely wrong than right, so retrieval reports nothing. */
export const DEFAULT_RELEVANCE_THRESHOLD = 0.45;

export const DEFAULT_OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

export const DEFAULT_QDRANT_COLLECTION = 'causette_chunks';

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  allowPrivateNetworks: false,
};

export const DEFAULT_CRAWL_OPTIONS = {
  maxDepth: 5,
  concurrency: 2,
  minDelayMs: 200,
  maxPerShape: 10,
} as const;
