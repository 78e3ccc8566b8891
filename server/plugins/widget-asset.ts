import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ErrorBody, Errors } from '../errors.ts';
import { Empty, RawContent } from './response-schemas.ts';

export interface WidgetAssetOptions {
  /** The built loader (widget/dist/widget.js); the panel module sits beside it. */
  bundlePath: string;
}

interface LoadedAsset {
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
  mtimeMs: number;
}

/** The panel's file name carries a hash of its content, so it never changes under a URL. */
const PANEL_FILE = /^panel-[0-9a-f]{12}\.js$/;

/**
 * GET /widget.js, the script tag's payload, and GET /panel-HASH.js, the chat panel it imports.
 * The script's URL is not versioned (site owners paste it once), so caches keep it a few minutes
 * and then revalidate cheaply with the ETag; the panel is cached for a year. Both are compressed
 * once per build, not per request: they are fetched on every page view.
 */
export const widgetAssetPlugin: FastifyPluginAsync<WidgetAssetOptions> = async (app, { bundlePath }) => {
  const dir = dirname(bundlePath);
  const loaded = new Map<string, LoadedAsset>();

  async function current(file: string): Promise<LoadedAsset | undefined> {
    const path = join(dir, file);
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(path)).mtimeMs;
    } catch {
      return undefined;
    }
    let asset = loaded.get(file);
    if (asset?.mtimeMs !== mtimeMs) {
      const body = await readFile(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const gzip = gzipSync(body, { level: 9 });
      const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
      asset = { body, gzip, brotli, etag, mtimeMs };
      // Old panels stay servable: a page loaded before a deploy still imports its own.
      if (loaded.size > 20) loaded.clear();
      loaded.set(file, asset);
    }
    return asset;
  }

  function send(request: FastifyRequest, reply: FastifyReply, asset: LoadedAsset, cacheControl: string) {
    reply
      .header('cache-control', cacheControl)
      .header('etag', asset.etag)
      // Loaded from other sites' pages: the panel is an ES module, fetched in CORS mode.
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff')
      .header('vary', 'accept-encoding');
    const match = request.headers['if-none-match'];
    if (match?.split(/\s*,\s*/).some((tag) => tag === asset.etag || tag === `W/${asset.etag}`)) {
      return reply.code(304).send();
    }
    reply.type('text/javascript; charset=utf-8');
    const accepted = acceptedEncodings(request.headers['accept-encoding']);
    if (accepted.has('br')) return reply.header('content-encoding', 'br').send(asset.brotli);
    if (accepted.has('gzip')) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  }

  const script = (description: string) => ({
    200: RawContent('text/javascript', description),
    304: Empty('Not modified (If-None-Match matched the ETag)'),
    404: ErrorBody,
    503: ErrorBody,
  });

  app.get(
    '/widget.js',
    {
      schema: {
        tags: ['Widget'],
        summary: 'The widget script',
        description:
          "The script tag's payload: registers the chat bubble. Cached for five minutes, then revalidated with its ETag; gzip or brotli as the client accepts. Public.",
        security: [],
        response: script('The widget loader'),
      },
    },
    async (request, reply) => {
      const asset = await current(basename(bundlePath));
      if (!asset) throw new Errors.WidgetNotBuilt();
      return send(request, reply, asset, 'public, max-age=300, stale-while-revalidate=86400');
    },
  );

  app.get<{ Params: { file: string } }>(
    '/:file(^panel-[0-9a-f]{12}\\.js$)',
    {
      schema: {
        tags: ['Widget'],
        summary: 'The chat panel module',
        description:
          'The chat panel the widget script imports when the visitor opens the chat. Its name carries a hash of its content, so it is cached for a year. Public.',
        security: [],
        params: Type.Object({ file: Type.String({ pattern: '^panel-[0-9a-f]{12}\\.js$' }) }),
        response: script('The chat panel, an ES module'),
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      const asset = PANEL_FILE.test(file) ? await current(file) : undefined;
      if (!asset) throw new Errors.NotFound(`File ${file.slice(0, 60)}`);
      return send(request, reply, asset, 'public, max-age=31536000, immutable');
    },
  );
};

/** The encodings an Accept-Encoding header allows ("gzip;q=0" forbids gzip). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  return accepted;
}
