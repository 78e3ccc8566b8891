/** Query parameters that only track where a visitor came from; they never change a page. */
const TRACKING =
  /^(utm_[a-z_]+|gclid|gbraid|wbraid|fbclid|msclkid|yclid|dclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref_src|spm)$/i;

/**
 * One spelling per page, so no page is fetched twice: absolute http(s) URL, lower-case host,
 * no default port, no fragment, no tracking parameters, remaining parameters sorted, no
 * duplicate slashes and no trailing slash (except the root). Undefined for anything that is not
 * a web page address (mailto:, javascript:, data:…).
 */
export function normalizeUrl(raw: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) {
    url.port = '';
  }
  const kept = [...url.searchParams.entries()].filter(([key]) => !TRACKING.test(key));
  kept.sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
  url.search = kept.length > 0 ? new URLSearchParams(kept).toString() : '';
  let path = url.pathname.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '');
  url.pathname = path || '/';
  return url.toString();
}

/**
 * Whether `url` belongs to the site at `base`: same host (with or without "www."), and under the
 * base's path when the base is not the site's root (a source for /fr stays in /fr).
 */
export function isSameSite(url: string, base: string): boolean {
  const a = new URL(url);
  const b = new URL(base);
  const host = (h: string) => h.replace(/^www\./, '');
  if (host(a.hostname) !== host(b.hostname) || a.port !== b.port) return false;
  const prefix = b.pathname.replace(/\/+$/, '');
  return prefix === '' || a.pathname === prefix || a.pathname.startsWith(`${prefix}/`);
}

/**
 * Whether a URL looks like one step of an endless series: numbers in its query (?month=2025-03,
 * ?page=12, ?date=…) or a date in its path (/agenda/2025/03). Numbered pages in a plain path
 * (/produit-123) are ordinary pages and are not capped.
 */
export function isSeriesLike(url: string): boolean {
  const { pathname, search } = new URL(url);
  return /\d/.test(search) || /\/(19|20)\d{2}[/-]\d{1,2}(\/|-|$)/.test(pathname);
}

/**
 * The "shape" of a URL: its path and query with every number replaced, so /agenda?month=2025-03
 * and /agenda?month=2025-04 share one. An endless calendar produces endless URLs of one shape;
 * the crawler caps how many it follows.
 */
export function urlShape(url: string): string {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`.replace(/\d+/g, '#');
}
