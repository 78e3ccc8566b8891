import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type {
  FastifyContextConfig,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  RouteShorthandOptions,
} from 'fastify';
import { Errors } from '../errors.ts';
import { acceptedEncodings } from './widget-asset.ts';

export interface ConsoleAppOptions {
  /** The console's production build (console/dist): index.html and assets/. */
  dir: string;
}

/**
 * The operators' console's own pages: nothing inline, nothing from elsewhere. connect-src 'self'
 * covers the same-origin websocket; Trusted Types make any HTML sink a failure, not a hole.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Vite names assets after a hash of their content: such a URL never changes what it serves. */
const ASSET = /^[\w-]+-[\w-]{8}\.(js|css)$/;

interface Loaded {
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
  mtimeMs: number;
}

/**
 * GET /console/*: the console's index.html for every page of the app (deep links work, and the
 * app reads its route from the URL), and its hashed assets under /console/assets/, cached for a
 * year. Files are compressed once per build, not per request.
 */
export const consoleAppPlugin: FastifyPluginAsync<ConsoleAppOptions> = async (app, { dir }) => {
  const loaded = new Map<string, Loaded>();

  async function current(path: string): Promise<Loaded | undefined> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(path)).mtimeMs;
    } catch {
      return undefined;
    }
    let file = loaded.get(path);
    if (file?.mtimeMs !== mtimeMs) {
      const body = await readFile(path);
      file = {
        body,
        gzip: gzipSync(body, { level: 9 }),
        brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        mtimeMs,
      };
      // Old assets stay servable: a tab opened before a deploy still loads its lazy pages.
      if (loaded.size > 100) loaded.clear();
      loaded.set(path, file);
    }
    return file;
  }

  function send(request: FastifyRequest, reply: FastifyReply, file: Loaded, type: string) {
    reply
      .header('etag', file.etag)
      .header('x-content-type-options', 'nosniff')
      .header('vary', 'accept-encoding');
    const match = request.headers['if-none-match'];
    if (match?.split(/\s*,\s*/).some((tag) => tag === file.etag || tag === `W/${file.etag}`)) {
      return reply.code(304).send();
    }
    reply.type(type);
    const accepted = acceptedEncodings(request.headers['accept-encoding']);
    if (accepted.has('br')) return reply.header('content-encoding', 'br').send(file.brotli);
    if (accepted.has('gzip')) return reply.header('content-encoding', 'gzip').send(file.gzip);
    return reply.send(file.body);
  }

  // The pages and assets are public (the data behind them is what sign-in guards), said in the
  // form the server's access rule reads on every route.
  const open: RouteShorthandOptions = { config: { role: 'public' } as FastifyContextConfig };

  app.get('/console', open, async (_request, reply) => reply.redirect('/console/', 301));

  app.get<{ Params: { file: string } }>('/console/assets/:file', open, async (request, reply) => {
    const { file } = request.params;
    const found = ASSET.test(file) ? await current(join(dir, 'assets', file)) : undefined;
    if (!found) throw new Errors.NotFound(`File ${file.slice(0, 60)}`);
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return send(
      request,
      reply,
      found,
      file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    );
  });

  app.get('/console/*', open, async (request, reply) => {
    const index = await current(join(dir, 'index.html'));
    if (!index) throw new Errors.ConsoleNotBuilt();
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cross-origin-opener-policy', 'same-origin')
      // Always revalidated, cheaply (ETag): it names the current build's assets.
      .header('cache-control', 'no-cache');
    return send(request, reply, index, 'text/html; charset=utf-8');
  });
};
