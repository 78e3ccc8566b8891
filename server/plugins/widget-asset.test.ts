import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { widgetAssetPlugin } from './widget-asset.ts';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function serve(contents: string | undefined) {
  const dir = await mkdtemp(join(tmpdir(), 'causette-asset-'));
  const bundlePath = join(dir, 'widget.js');
  if (contents !== undefined) await writeFile(bundlePath, contents);
  const app = Fastify();
  apps.push(app);
  await app.register(widgetAssetPlugin, { bundlePath });
  return { app, bundlePath };
}

const script = `var Causette=(function(){${'/* a widget */'.repeat(50)}})();`;

describe('GET /widget.js', () => {
  it('serves the bundle as JavaScript with caching headers and an ETag', async () => {
    const { app } = await serve(script);
    const response = await app.inject({ url: '/widget.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(response.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.body).toBe(script);
  });

  it('answers 304 to a matching If-None-Match, and 200 to a stale one', async () => {
    const { app } = await serve(script);
    const { etag } = (await app.inject({ url: '/widget.js' })).headers;
    const fresh = await app.inject({ url: '/widget.js', headers: { 'if-none-match': String(etag) } });
    expect(fresh.statusCode).toBe(304);
    expect(fresh.body).toBe('');
    const weak = await app.inject({ url: '/widget.js', headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(weak.statusCode).toBe(304);
    const stale = await app.inject({ url: '/widget.js', headers: { 'if-none-match': '"old"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('compresses with brotli or gzip as the client allows', async () => {
    const { app } = await serve(script);
    const br = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    const gzip = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(script);
    expect(gzip.headers.vary).toBe('accept-encoding');
    const none = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'identity' } });
    expect(none.headers['content-encoding']).toBeUndefined();
  });

  it('serves a rebuilt bundle under a new ETag', async () => {
    const { app, bundlePath } = await serve(script);
    const before = (await app.inject({ url: '/widget.js' })).headers.etag;
    await writeFile(bundlePath, `${script}// rebuilt`);
    const after = await app.inject({ url: '/widget.js' });
    expect(after.headers.etag).not.toBe(before);
    expect(after.body.endsWith('// rebuilt')).toBe(true);
  });

  it('says how to build the widget when it has not been built', async () => {
    const { app } = await serve(undefined);
    const response = await app.inject({ url: '/widget.js' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      code: 'CAUSETTE_ERR_WIDGET_NOT_BUILT',
      message: expect.stringContaining('npm run build'),
    });
  });
});
