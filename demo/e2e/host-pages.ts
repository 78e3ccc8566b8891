import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Another site (another origin) that embeds the widget, as a site owner's would: each page is
 * served with its own Content-Security-Policy. Listens on an ephemeral loopback port.
 */
export interface HostSite {
  url: string;
  close(): Promise<void>;
}

export interface HostPage {
  html: string;
  csp?: string;
  css?: string;
}

export async function startHostSite(pages: Record<string, HostPage>): Promise<HostSite> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (path === '/host.css') {
      const page = Object.values(pages).find((p) => p.css);
      response.writeHead(200, { 'content-type': 'text/css' }).end(page?.css ?? '');
      return;
    }
    const page = pages[path];
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (page.csp) headers['content-security-policy'] = page.csp;
    response.writeHead(200, headers).end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
