import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';

const page = new URL('./site/index.html', import.meta.url);

/** GET /: the demo shop's home page, which embeds the widget with its one script tag. */
export const shopSitePlugin: FastifyPluginAsync = async (app) => {
  const html = await readFile(page, 'utf8');
  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      // The demo page runs under a strict policy, as a careful site owner's would.
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:",
      )
      .send(html),
  );
  app.get('/shop.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(await readFile(new URL('./site/shop.css', import.meta.url))),
  );
};
