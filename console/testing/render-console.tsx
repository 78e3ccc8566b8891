import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { Session } from '../../server/protocol/console.ts';
import { createApi } from '../src/api.ts';
import { App } from '../src/app.tsx';
import type { SocketCallbacks, SocketLike } from '../src/events-connection.ts';
import { createNotifier } from '../src/notifier.ts';
import { createPreferences } from '../src/preferences.ts';
import { createRouter } from '../src/router.ts';
import { type Services, ServicesContext } from '../src/services.ts';
import { createSessionStore } from '../src/session-store.ts';

export const USER_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
export const TENANT_ID = 'bbbbbbbb-0000-4000-8000-000000000001';

export const session: Session = {
  user: { id: USER_ID, email: 'marie@boutique.test', name: 'Marie' },
  tenants: [{ id: TENANT_ID, slug: 'ma-boutique', name: 'Ma Boutique', role: 'owner' }],
  currentTenantId: TENANT_ID,
  csrfToken: 'csrf-1',
};

export interface Call {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

type Handler = (call: Call) => [number, unknown] | Promise<[number, unknown]>;

/** A socket the test drives: what the console sent, and frames to hand it. */
export class TestSocket implements SocketLike {
  static all: TestSocket[] = [];
  isOpen = false;
  sent: Record<string, unknown>[] = [];
  constructor(
    readonly url: string,
    private readonly on: SocketCallbacks,
  ) {
    TestSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.isOpen = false;
  }
  open() {
    this.isOpen = true;
    this.on.open();
  }
  receive(frame: unknown) {
    this.on.message(JSON.stringify(frame));
  }
  drop(code = 1006) {
    this.isOpen = false;
    this.on.close(code);
  }
}

/**
 * The console rendered into the test's DOM (happy-dom) at `path`, its HTTP answered by `handlers`
 * ("GET /inbox/teammates" → [status, body]) and its socket by TestSocket.
 */
export async function renderConsole(path: string, handlers: Record<string, Handler>) {
  // The previous test's console leaves: its document listeners and socket with it.
  if (mounted) await act(() => render(null, mounted!));
  TestSocket.all = [];
  history.replaceState(null, '', path);
  document.body.innerHTML = '<div id="app"></div>';
  const calls: Call[] = [];
  const fetcher = async (input: string, init?: RequestInit) => {
    const url = new URL(input, location.origin);
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, '') + url.search,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    calls.push(call);
    const key = `${call.method} ${url.pathname.replace(/^\/api\/v1/, '')}`;
    const handler = handlers[key];
    const [status, body] = handler
      ? await handler(call)
      : [404, { statusCode: 404, code: 'CAUSETTE_ERR_NOT_FOUND', error: 'Not Found', message: key }];
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  const api = createApi('/api/v1', fetcher);
  const router = createRouter();
  const services: Services = {
    api,
    router,
    prefs: createPreferences(['en-GB']),
    sessions: createSessionStore(api),
    notifier: createNotifier(() => {}),
    openSocket: (url, on) => new TestSocket(url, on),
  };
  const root = document.getElementById('app')!;
  mounted = root;
  await act(async () => {
    render(
      <ServicesContext.Provider value={services}>
        <App />
      </ServicesContext.Provider>,
      root,
    );
    await services.sessions.load().catch(() => services.sessions.clear());
  });
  await flush();
  return { root, calls, services };
}

let mounted: HTMLElement | undefined;

/** Lets answers, effects and renders settle. */
export async function flush() {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}
