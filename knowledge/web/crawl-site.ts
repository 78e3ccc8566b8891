import Bottleneck from 'bottleneck';
import { extractLinks } from './extract-links.ts';
import { type FetchLimits, fetchPage } from './fetch-page.ts';
import { isSameSite, isSeriesLike, urlShape } from './normalize-url.ts';
import { fetchSitemapUrls, fetchSiteRules, type SiteRules } from './site-rules.ts';

export interface CrawlOptions {
  /** The normalised base URL; the crawl never leaves its site. */
  site: string;
  maxPages: number;
  /** Links followed from the base page, at most this many deep. */
  maxDepth: number;
  limits: FetchLimits;
  /** Requests in flight at once. */
  concurrency: number;
  /** Least time between two requests, raised to robots.txt's crawl-delay when it asks more. */
  minDelayMs: number;
  /** URLs of one series-like shape (same path and query up to numbers) followed through links. */
  maxPerShape: number;
  signal?: AbortSignal;
}

export interface CrawledPage {
  url: string;
  depth: number;
  status: number;
  html: string;
  lastModified: string | null;
  /** The page asks not to be indexed; its links were still followed. */
  noindex: boolean;
}

export interface CrawlListener {
  /** Pages known so far (queued, fetched or skipped), for the progress bar's total. */
  discovered(count: number): void;
  page(page: CrawledPage): Promise<void>;
  failed(url: string, depth: number, status: number | null, error: string): Promise<void>;
  skipped(url: string, reason: string): void;
}

export interface CrawlSummary {
  rules: SiteRules;
  sitemapUrls: number;
  /** Every page the crawl reached (fetched or failed): pages it did not reach have disappeared. */
  reached: Set<string>;
  /** The crawl stopped at max_pages with pages still queued. */
  truncated: boolean;
}

/**
 * Breadth-first crawl of one site: robots.txt first (rules and crawl-delay), then the base page
 * and the sitemap's pages, then their links, level by level, up to max_pages and the depth limit.
 * Requests go through a bottleneck limiter: a few at a time, spaced by the politeness delay.
 * URLs are normalised before they are queued, so loops end; an endless calendar is cut by the
 * per-shape cap and the depth limit.
 */
export async function crawlSite(options: CrawlOptions, listener: CrawlListener): Promise<CrawlSummary> {
  const rules = await fetchSiteRules(options.site, options.limits, options.signal);
  const limiter = new Bottleneck({
    maxConcurrent: options.concurrency,
    minTime: Math.max(options.minDelayMs, rules.crawlDelayMs ?? 0),
  });
  const fromSitemap = new Set(
    await fetchSitemapUrls(
      rules.sitemaps,
      options.site,
      options.limits,
      options.maxPages * 2,
      options.signal,
    ),
  );
  const queue: { url: string; depth: number }[] = [];
  const known = new Set<string>();
  const shapes = new Map<string, number>();
  const reached = new Set<string>();
  let stored = 0;
  let requests = 0;
  let truncated = false;

  const enqueue = (url: string, depth: number, listed: boolean) => {
    if (known.has(url)) return;
    if (!isSameSite(url, options.site)) return;
    known.add(url);
    if (url.length > 2000 || new URL(url).pathname.split('/').length > 20) {
      listener.skipped(url, 'URL too long or too deep');
      return;
    }
    if (!rules.isAllowed(url)) {
      listener.skipped(url, 'disallowed by robots.txt');
      return;
    }
    if (!listed && isSeriesLike(url)) {
      const shape = urlShape(url);
      const seen = shapes.get(shape) ?? 0;
      if (seen >= options.maxPerShape) {
        listener.skipped(url, 'too many similar URLs (a calendar or an endless listing?)');
        return;
      }
      shapes.set(shape, seen + 1);
    }
    queue.push({ url, depth });
    listener.discovered(known.size);
  };

  enqueue(options.site, 0, true);
  for (const url of fromSitemap) enqueue(url, 1, true);

  const visit = async ({ url, depth }: { url: string; depth: number }) => {
    const outcome = await limiter.schedule(() =>
      fetchPage(url, options.site, options.limits, options.signal),
    );
    if (outcome.kind === 'skipped') {
      listener.skipped(url, outcome.reason);
      return;
    }
    // A redirect inside the site lands on another URL: that one is the page.
    const landed = outcome.url;
    if (landed !== url && reached.has(landed)) return;
    reached.add(landed);
    known.add(landed);
    stored += 1;
    if (outcome.kind === 'failed') {
      await listener.failed(landed, depth, outcome.status, outcome.error);
      return;
    }
    const directives = extractLinks(outcome.html, landed);
    if (depth < options.maxDepth) {
      for (const link of directives.links) enqueue(link, depth + 1, fromSitemap.has(link));
    }
    await listener.page({
      url: landed,
      depth,
      status: outcome.status,
      html: outcome.html,
      lastModified: outcome.lastModified,
      noindex: directives.noindex,
    });
  };

  const inFlight = new Set<Promise<void>>();
  try {
    while (queue.length > 0 || inFlight.size > 0) {
      options.signal?.throwIfAborted();
      while (
        queue.length > 0 &&
        inFlight.size < options.concurrency &&
        stored + inFlight.size < options.maxPages
      ) {
        // A site of non-HTML links or off-site redirects still ends.
        if (requests >= options.maxPages * 3) break;
        requests += 1;
        const task = visit(queue.shift()!).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    truncated = queue.length > 0;
  } finally {
    await Promise.allSettled(inFlight);
    await limiter.stop({ dropWaitingJobs: true }).catch(() => {});
  }
  return { rules, sitemapUrls: fromSitemap.size, reached, truncated };
}
