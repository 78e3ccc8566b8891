import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestSite {
  /** http://127.0.0.1:PORT */
  url: string;
  routes: Map<string, Route>;
  /** Every request's path and query, in order, with when it arrived. */
  requests: { path: string; at: number }[];
  close(): Promise<void>;
}

/** A website on loopback for crawler tests: one handler per path (query included), 404 otherwise. */
export async function startTestSite(routes: Record<string, Route> = {}): Promise<TestSite> {
  const table = new Map(Object.entries(routes));
  const requests: TestSite['requests'] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, at: performance.now() });
    open.add(response);
    response.on('close', () => open.delete(response));
    const route = table.get(path) ?? table.get(path.split('?')[0]!);
    if (route) route(request, response);
    else response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes: table,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of open) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A route answering an HTML page. */
export function html(body: string, title = 'Page', status = 200): Route {
  return (_request, response) =>
    response
      .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`);
}

/** An article with enough text for Readability, and links. */
export function article(title: string, text: string, links: string[] = []): Route {
  const paragraphs = text
    .split('\n')
    .map((p) => `<p>${p}</p>`)
    .join('');
  const nav = links.map((href) => `<a href="${href}">${href}</a>`).join(' ');
  return html(`<nav>${nav}</nav><main><article><h1>${title}</h1>${paragraphs}</article></main>`, title);
}

export function text(body: string, contentType = 'text/plain'): Route {
  return (_request, response) => response.writeHead(200, { 'content-type': contentType }).end(body);
}

export function redirect(location: string, status = 301): Route {
  return (_request, response) => response.writeHead(status, { location }).end();
}
