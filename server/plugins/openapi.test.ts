import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses?: Record<string, { description?: string }>;
}
interface Document {
  openapi: string;
  tags: { name: string }[];
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

let testDb: TestDatabase;
let server: TestApp;
let doc: Document;

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startTestApp(testDb.database);
  const response = await server.app.inject({ url: '/api/docs/json' });
  expect(response.statusCode).toBe(200);
  doc = response.json();
});
afterAll(async () => {
  await server.close();
  await testDb.destroy();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1 and covers the admin API, the widget, the webhooks and health', () => {
    expect(doc.openapi).toBe('3.1.0');
    const routes = operations().map((o) => o.route);
    expect(routes.filter((route) => route.includes(' /api/v1/')).length).toBeGreaterThan(50);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /ws',
        'GET /widget.js',
        'GET /widget/config/{slug}',
        'GET /webhooks/whatsapp',
        'POST /webhooks/whatsapp',
        'POST /webhooks/instagram',
        'GET /healthz',
        'GET /readyz',
        'POST /api/v1/faq',
        'DELETE /api/v1/faq/{id}',
      ]),
    );
  });

  // The rule every new route must follow: a schema for what it answers, and words for people.
  it('gives every route a summary, a description, a known tag and a declared response', () => {
    const known = new Set(doc.tags.map((tag) => tag.name));
    const problems = operations().flatMap(({ route, operation }) => {
      const found: string[] = [];
      if (!operation.summary?.trim()) found.push(`${route}: no summary`);
      if (!operation.description?.trim()) found.push(`${route}: no description`);
      if (!operation.tags?.length || !operation.tags.every((tag) => known.has(tag)))
        found.push(`${route}: no tag, or a tag the document does not list`);
      const responses = Object.values(operation.responses ?? {});
      // @fastify/swagger writes "Default Response" for a route without a response schema.
      if (responses.length === 0 || responses.some((r) => r.description === 'Default Response'))
        found.push(`${route}: no response schema`);
      return found;
    });
    expect(problems).toEqual([]);
  });

  it('says which routes take an API key, and the errors they may answer', () => {
    expect(doc.components.securitySchemes).toHaveProperty('apiKey');
    for (const { route, operation } of operations()) {
      if (route.includes(' /api/v1/')) {
        expect(operation.security, route).toEqual([{ apiKey: [] }]);
        expect(Object.keys(operation.responses ?? {}), route).toEqual(expect.arrayContaining(['401', '429']));
      } else {
        expect(operation.security ?? [], route).toEqual([]);
      }
    }
    expect(Object.keys(doc.paths['/api/v1/faq/{id}']!['delete']!.responses!)).toEqual(
      expect.arrayContaining(['204', '400', '404']),
    );
  });

  it('is also served as YAML', async () => {
    const response = await server.app.inject({ url: '/api/docs/yaml' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/^openapi: 3\.1\.0$/m);
  });
});

describe('the reference page', () => {
  it('is served under a strict Content-Security-Policy and has no inline script or style', async () => {
    const response = await server.app.inject({ url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe');
    const html = response.body;
    // Every script has a src (none is inline) and no element carries a style attribute.
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [])
      expect(tag).toMatch(/^<script\b[^>]*\bsrc="[^"]+"[^>]*>\s*<\/script>$/);
    expect(html).not.toMatch(/<style\b|\sstyle="/);
  });

  it('leaves the rest of the server without that policy (the widget pages set their own)', async () => {
    const response = await server.app.inject({ url: '/healthz' });
    expect(response.headers['content-security-policy']).toBeUndefined();
  });
});
