import { parseHTML } from 'linkedom';
import { normalizeUrl } from './normalize-url.ts';

export interface PageDirectives {
  /** Normalised absolute URLs of the page's links (empty when the page says nofollow). */
  links: string[];
  /** The page asks not to be indexed (meta robots noindex). */
  noindex: boolean;
  /** The page's canonical URL, when it names one. */
  canonical: string | undefined;
}

/** The links a crawler may follow from a page, and what the page's robots meta tag asks. */
export function extractLinks(html: string, pageUrl: string): PageDirectives {
  const { document } = parseHTML(html);
  const robots = [...document.querySelectorAll('meta[name="robots" i], meta[name="causettebot" i]')]
    .map((m) => (m.getAttribute('content') ?? '').toLowerCase())
    .join(',');
  const base =
    normalizeUrl(document.querySelector('base[href]')?.getAttribute('href') ?? '', pageUrl) ?? pageUrl;
  const links = new Set<string>();
  if (!/\bnofollow\b|\bnone\b/.test(robots)) {
    for (const anchor of document.querySelectorAll('a[href]')) {
      if (/\bnofollow\b/i.test(anchor.getAttribute('rel') ?? '')) continue;
      const url = normalizeUrl(anchor.getAttribute('href') ?? '', base);
      if (url) links.add(url);
    }
  }
  const canonicalHref = document.querySelector('link[rel="canonical" i]')?.getAttribute('href');
  return {
    links: [...links],
    noindex: /\bnoindex\b|\bnone\b/.test(robots),
    canonical: canonicalHref ? normalizeUrl(canonicalHref, pageUrl) : undefined,
  };
}
