import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import robotsParser from 'robots-parser';
import { type FetchLimits, USER_AGENT } from './fetch-page.ts';
import { isSameSite, normalizeUrl } from './normalize-url.ts';

export interface SiteRules {
  isAllowed(url: string): boolean;
  /** The delay robots.txt asks between two requests, in ms; undefined when it asks none. */
  crawlDelayMs: number | undefined;
  sitemaps: string[];
}

/** Fetching robots.txt failed in a way that forbids crawling (RFC 9309: 5xx means "disallow all"). */
export class RobotsUnavailableError extends Error {
  readonly code = 'CAUSETTE_ERR_ROBOTS_UNAVAILABLE';
}

const BOT_NAME = 'CausetteBot';

/**
 * The site's robots.txt, read as RFC 9309 says: a missing one (4xx) allows everything, an
 * unreachable one (5xx, timeout) forbids crawling for now.
 */
export async function fetchSiteRules(
  site: string,
  limits: FetchLimits,
  signal?: AbortSignal,
): Promise<SiteRules> {
  const robotsUrl = new URL('/robots.txt', site).toString();
  let text = '';
  try {
    const response = await fetch(robotsUrl, {
      signal: anySignal(signal, limits.timeoutMs),
      headers: { 'user-agent': USER_AGENT },
    });
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new RobotsUnavailableError(
        `robots.txt answered HTTP ${response.status}; the site asks not to be crawled for now.`,
      );
    }
    text = response.ok ? (await response.text()).slice(0, 500_000) : '';
    if (!response.ok) await response.body?.cancel().catch(() => {});
  } catch (error) {
    if (error instanceof RobotsUnavailableError || signal?.aborted) throw error;
    throw new RobotsUnavailableError(
      `The site did not answer (robots.txt at ${robotsUrl}): ${describe(error)}.`,
    );
  }
  const robots = robotsParser(robotsUrl, text);
  const delay = robots.getCrawlDelay(BOT_NAME);
  return {
    isAllowed: (url) => robots.isAllowed(url, BOT_NAME) !== false,
    crawlDelayMs: typeof delay === 'number' && delay > 0 ? Math.min(delay, 60) * 1000 : undefined,
    sitemaps: robots.getSitemaps().flatMap((sitemap) => {
      // Sites write relative sitemap paths too, though the standard asks for absolute URLs.
      const absolute = normalizeUrl(sitemap, robotsUrl);
      return absolute ? [absolute] : [];
    }),
  };
}

/**
 * Page URLs listed by the site's sitemaps (robots.txt's, else /sitemap.xml), following sitemap
 * indexes one level down. Gzipped sitemaps are read too. A missing sitemap is not an error.
 */
export async function fetchSitemapUrls(
  sitemaps: string[],
  site: string,
  limits: FetchLimits,
  maxUrls: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const queue = sitemaps.length > 0 ? [...sitemaps] : [new URL('/sitemap.xml', site).toString()];
  const seen = new Set<string>();
  const pages: string[] = [];
  const parser = new XMLParser({
    ignoreAttributes: true,
    processEntities: true,
    isArray: (name) => name === 'url' || name === 'sitemap',
  });
  for (let fetched = 0; queue.length > 0 && fetched < 10 && pages.length < maxUrls; fetched++) {
    const sitemapUrl = queue.shift()!;
    if (seen.has(sitemapUrl)) continue;
    seen.add(sitemapUrl);
    let xml: string;
    try {
      const response = await fetch(sitemapUrl, {
        signal: anySignal(signal, limits.timeoutMs),
        headers: { 'user-agent': USER_AGENT },
      });
      if (!response.ok) {
        await response.body?.cancel();
        continue;
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > limits.maxBytes) continue;
      xml =
        bytes[0] === 0x1f && bytes[1] === 0x8b
          ? gunzipSync(bytes, { maxOutputLength: limits.maxBytes * 10 }).toString('utf8')
          : bytes.toString('utf8');
    } catch {
      if (signal?.aborted) throw signal.reason;
      continue;
    }
    let document: {
      urlset?: { url?: { loc?: unknown }[] };
      sitemapindex?: { sitemap?: { loc?: unknown }[] };
    };
    try {
      document = parser.parse(xml);
    } catch {
      continue;
    }
    for (const entry of document.sitemapindex?.sitemap ?? []) {
      if (typeof entry.loc === 'string') queue.push(entry.loc.trim());
    }
    for (const entry of document.urlset?.url ?? []) {
      if (typeof entry.loc !== 'string') continue;
      const url = normalizeUrl(entry.loc, site);
      if (url && isSameSite(url, site)) pages.push(url);
      if (pages.length >= maxUrls) break;
    }
  }
  return pages;
}

function anySignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
