import { STATUS_CODES } from 'node:http';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import packageJson from '../../package.json' with { type: 'json' };
import { ErrorBody } from '../errors.ts';

/** Where the reference page is served; its document is at `${DOCS_PREFIX}/json` (and `/yaml`). */
export const DOCS_PREFIX = '/api/docs';

/** The routes that take an API key; everything else is public. */
const ADMIN_PREFIX = '/api/v1/';

/**
 * How an admin request proves who it is. The console's cookie session (with its CSRF header)
 * joins here as a second scheme, and `adminSecurity` lists it as an alternative.
 */
const securitySchemes = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'cst_…',
    description: 'A tenant API key, created with `causette apikey create --tenant SLUG`.',
  },
} as const;
const adminSecurity = [{ apiKey: [] }];

/** Tags in the order the reference page shows them. */
const tags = [
  { name: 'Tenant', description: 'The tenant and its business profile.' },
  { name: 'Widget', description: 'The chat widget: its settings, and the public endpoints it uses.' },
  { name: 'Knowledge', description: 'FAQ, documents and websites the bot answers from, and their jobs.' },
  { name: 'Conversations', description: 'Conversations on every channel and their messages.' },
  { name: 'Escalations', description: 'Conversations handed to a human, and the operators’ replies.' },
  { name: 'Bot', description: 'Intents, escalation rules and notifications.' },
  { name: 'Leads', description: 'Leads the bot collected, with their scores.' },
  { name: 'Topics', description: 'What customers asked about each day, and what went unanswered.' },
  { name: 'Channels', description: 'WhatsApp and Instagram accounts and their settings.' },
  { name: 'Webhooks', description: 'Meta’s webhooks (signed by Meta, not by an API key).' },
  { name: 'Health', description: 'Liveness and readiness for load balancers.' },
];

/**
 * The page under a Content-Security-Policy of its own, as strict as the rest: Swagger UI (without
 * its top bar) needs no inline script or style, only what it loads from this server.
 */
const docsCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The OpenAPI 3.1 description, generated from the routes' TypeBox schemas (so it must be
 * registered before any route), and its reference page at /api/docs. Admin routes are documented
 * with their security and the errors every one of them may answer (401, 429, and 400 when they
 * take input).
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const options: FastifyDynamicSwaggerOptions = {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Causette API',
        version: packageJson.version,
        description:
          'The admin API (`/api/v1`, with a tenant API key) and the public endpoints the widget and Meta use. ' +
          'Errors are JSON `{statusCode, code, error, message}` with a stable `code`. Lists that take a `cursor` ' +
          'return `nextCursor`: pass it back to get the next page. Requests are limited per client address (429 with `Retry-After`).',
      },
      components: { securitySchemes },
      tags,
    },
    transform: ({ schema, url, route }) => {
      if (!schema) return { schema, url };
      // @fastify/websocket hides its routes; the widget's socket belongs in the reference.
      const { hide, ...visible } = schema;
      const shown = route.websocket ? visible : schema;
      const declared = (schema.response ?? {}) as Record<string, unknown>;
      if (!url.startsWith(ADMIN_PREFIX)) return { schema: { ...shown, response: describe(declared) }, url };
      const takesInput = Boolean(schema.body || schema.querystring || schema.params);
      const errors = {
        ...(takesInput ? { 400: ErrorBody } : {}),
        401: ErrorBody,
        ...(schema.params ? { 404: ErrorBody } : {}),
        429: ErrorBody,
      };
      const response = describe({ ...errors, ...declared });
      return { schema: { ...shown, security: adminSecurity, response }, url };
    },
  };
  await app.register(swagger, options);
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: docsCsp,
    theme: { title: 'Causette API' },
    // BaseLayout: without Swagger UI's top bar, whose logo is an SVG with an inline <style>.
    uiConfig: { layout: 'BaseLayout', deepLinking: true, defaultModelsExpandDepth: 0 },
  });
}

/** Gives each response without a description its status text, instead of "Default Response". */
function describe(responses: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, schema]) => [
      status,
      schema && typeof schema === 'object' && !('description' in schema)
        ? { ...schema, description: STATUS_CODES[status] ?? status }
        : schema,
    ]),
  );
}
