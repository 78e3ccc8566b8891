import { signal } from '@preact/signals';
import type { Session, SignInBody } from '../../server/protocol/console.ts';
import { type Api, ApiFailure } from './api.ts';

/**
 * Who is signed in: undefined while the console asks the server, null when nobody is. The
 * session lives in an HttpOnly cookie; the console holds its CSRF token in memory only.
 */
export function createSessionStore(api: Api) {
  const session = signal<Session | null | undefined>(undefined);

  function set(next: Session | null) {
    api.setCsrfToken(next?.csrfToken ?? null);
    session.value = next;
  }

  api.onUnauthorized(() => {
    if (session.value) set(null);
  });

  return {
    session,
    async load(): Promise<void> {
      try {
        set(await api.get<Session>('/auth/session'));
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) set(null);
        else throw error;
      }
    },
    async signIn(body: SignInBody): Promise<void> {
      set(await api.post<Session>('/auth/sign-in', body));
    },
    /** After a one-time link was followed, or the tenant was switched. */
    adopt(next: Session) {
      set(next);
    },
    /** The server said the session is over. */
    clear() {
      set(null);
    },
    async switchTenant(tenantId: string): Promise<void> {
      set(await api.post<Session>('/auth/switch-tenant', { tenantId }));
    },
    async signOut(everywhere = false): Promise<void> {
      await api.post(everywhere ? '/auth/sign-out-everywhere' : '/auth/sign-out');
      set(null);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
