import Type from 'typebox';
import { DateTime, Nullable } from './common-schemas.ts';

/** A knowledge job and its live counters, as the API shows it. */
export const Job = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  sourceId: Nullable(Type.String()),
  status: Type.String(),
  phase: Nullable(Type.String()),
  pagesFound: Type.Integer(),
  pagesCrawled: Type.Integer(),
  pagesFailed: Type.Integer(),
  pagesUnchanged: Type.Integer(),
  chunksTotal: Type.Integer(),
  chunksIndexed: Type.Integer(),
  error: Nullable(Type.String()),
  startedAt: Nullable(DateTime),
  finishedAt: Nullable(DateTime),
  createdAt: DateTime,
});

export const Document = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  fileSize: Nullable(Type.Integer()),
  mimeType: Nullable(Type.String()),
  status: Type.String(),
  chunkCount: Type.Integer(),
  error: Nullable(Type.String()),
  contentHash: Nullable(Type.String()),
  description: Nullable(Type.String()),
  processedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
  /** The running job, else the last one. */
  job: Nullable(Job),
});

export const WebsiteSource = Type.Object({
  id: Type.String(),
  baseUrl: Type.String(),
  maxPages: Type.Integer(),
  maxDepth: Nullable(Type.Integer()),
  crawlFrequency: Type.String(),
  status: Type.String(),
  pagesCrawled: Type.Integer(),
  error: Nullable(Type.String()),
  lastCrawledAt: Nullable(DateTime),
  nextCrawlAt: Nullable(DateTime),
  /** What the last complete crawl skipped and why, the sitemap size, the crawl-delay obeyed. */
  lastCrawl: Nullable(Type.Record(Type.String(), Type.Unknown())),
  createdAt: DateTime,
  updatedAt: DateTime,
  job: Nullable(Job),
});

export const WebsitePage = Type.Object({
  id: Type.String(),
  url: Type.String(),
  title: Nullable(Type.String()),
  status: Type.String(),
  error: Nullable(Type.String()),
  httpStatus: Nullable(Type.Integer()),
  chunkCount: Type.Integer(),
  crawledAt: Nullable(DateTime),
});
