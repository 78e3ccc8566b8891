import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isSameSite, normalizeUrl } from './normalize-url.ts';

export const USER_AGENT = 'CausetteBot/1.0 (+https://github.com/causette; knowledge crawler)';

export interface FetchLimits {
  /** Per request, headers and body together. */
  timeoutMs: number;
  /** Largest body read; larger pages fail. */
  maxBytes: number;
  maxRedirects: number;
  /** Loopback and private addresses are refused unless allowed (tests, intranets). */
  allowPrivateNetworks: boolean;
}

export type FetchOutcome =
  | { kind: 'page'; url: string; status: number; html: string; lastModified: string | null }
  /** Not an error of the site: off-site redirect, not HTML… */
  | { kind: 'skipped'; url: string; status: number | null; reason: string }
  | { kind: 'failed'; url: string; status: number | null; error: string };

/**
 * Fetches one page the way a polite crawler does: redirects followed by hand (at most a few, and
 * never off the site), a deadline for the whole exchange, a cap on the body read, and HTML only.
 */
export async function fetchPage(
  startUrl: string,
  site: string,
  limits: FetchLimits,
  signal?: AbortSignal,
): Promise<FetchOutcome> {
  let url = startUrl;
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    for (let hop = 0; ; hop++) {
      await assertPublicHost(url, limits.allowPrivateNetworks);
      const response = await fetch(url, {
        redirect: 'manual',
        signal: combined,
        headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' },
      });
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        const next = normalizeUrl(response.headers.get('location')!, url);
        if (!next)
          return { kind: 'skipped', url, status: response.status, reason: 'redirect to a non-web address' };
        if (!isSameSite(next, site))
          return {
            kind: 'skipped',
            url,
            status: response.status,
            reason: `redirects off the site (${next})`,
          };
        if (hop >= limits.maxRedirects)
          return { kind: 'failed', url, status: response.status, error: 'Too many redirects.' };
        url = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return {
          kind: 'failed',
          url,
          status: response.status,
          error: `HTTP ${response.status} ${response.statusText}`.trim(),
        };
      }
      const type = response.headers.get('content-type') ?? '';
      if (!/^(text\/html|application\/xhtml\+xml)\b/i.test(type)) {
        await response.body?.cancel();
        return {
          kind: 'skipped',
          url,
          status: response.status,
          reason: `not HTML (${type.split(';')[0] || 'no content type'})`,
        };
      }
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > limits.maxBytes) {
        await response.body?.cancel();
        return { kind: 'failed', url, status: response.status, error: tooLarge(limits.maxBytes) };
      }
      const bytes = await readCapped(response, limits.maxBytes);
      if (!bytes) return { kind: 'failed', url, status: response.status, error: tooLarge(limits.maxBytes) };
      return {
        kind: 'page',
        url,
        status: response.status,
        html: decode(bytes, type),
        lastModified: response.headers.get('last-modified'),
      };
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (deadline.aborted) {
      return {
        kind: 'failed',
        url,
        status: null,
        error: `No complete answer within ${Math.round(limits.timeoutMs / 1000)} s.`,
      };
    }
    if (error instanceof PrivateAddressError)
      return { kind: 'failed', url, status: null, error: error.message };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      kind: 'failed',
      url,
      status: null,
      error: `Could not connect: ${cause?.code ?? cause?.message ?? String(error)}.`,
    };
  }
}

class PrivateAddressError extends Error {}

/** Refuses hosts that resolve to loopback, private or link-local addresses (cloud metadata…). */
async function assertPublicHost(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    if (isPrivateAddress(address)) {
      throw new PrivateAddressError(
        `${host} is a private network address (${address}); crawling it is not allowed.`,
      );
    }
  }
}

export function isPrivateAddress(address: string): boolean {
  if (address.includes(':')) {
    const a = address.toLowerCase();
    if (a.startsWith('::ffff:')) return isPrivateAddress(a.slice(7));
    return a === '::1' || a === '::' || a.startsWith('fc') || a.startsWith('fd') || a.startsWith('fe80');
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function tooLarge(maxBytes: number): string {
  return `The page is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`;
}
