import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, consoleAppPlugin } from './console-app.ts';

let dir: string;
let app: FastifyInstance;
const INDEX = '<!doctype html><script type="module" src="/console/assets/index-AbC12_-9.js"></script>';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'causette-console-app-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-AbC12_-9.js'), 'console.log("console")');
  await writeFile(join(dir, 'assets', 'index-AbC12_-9.css'), 'body{margin:0}');
  app = Fastify();
  await app.register(consoleAppPlugin, { dir });
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the console app plugin', () => {
  it('answers index.html with the strict CSP for every page of the app, deep links included', async () => {
    for (const url of [
      '/console/',
      '/console/inbox/waiting/0b6f1c1e-8d3a-4d4e-9a55-0f3f7c2a9b10?q=x',
      '/console/team',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("style-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    const bare = await app.inject({ url: '/console' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
  });

  it('serves hashed assets for a year, compressed, and revalidates with the ETag', async () => {
    const response = await app.inject({
      url: '/console/assets/index-AbC12_-9.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(gunzipSync(response.rawPayload).toString()).toBe('console.log("console")');
    const css = await app.inject({ url: '/console/assets/index-AbC12_-9.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const again = await app.inject({
      url: '/console/assets/index-AbC12_-9.js',
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('refuses names that are not a built asset, and paths that try to leave the folder', async () => {
    for (const url of [
      '/console/assets/index.html',
      '/console/assets/..%2findex.html',
      '/console/assets/missing-AbC12_-9.js',
      '/console/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    ]) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('says the console is not built, rather than a blank page', async () => {
    const empty = Fastify();
    await empty.register(consoleAppPlugin, { dir: join(dir, 'nothing-here') });
    const response = await empty.inject({ url: '/console/' });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('CAUSETTE_ERR_CONSOLE_NOT_BUILT');
    await empty.close();
  });
});
