import { useState } from 'preact/hooks';
import type { LinkInfo, Session } from '../../../server/protocol/console.ts';
import { DEFAULT_ROUTE } from '../routes.ts';
import { useServices } from '../services.ts';
import { useLoad } from './use-load.ts';

/**
 * A one-time link (/console/link#TOKEN): an invitation, a password reset or a sign-in link. The
 * token is read from the fragment, posted, and then taken out of the address bar.
 */
export default function LinkPage() {
  const { api, prefs, router, sessions } = useServices();
  const t = prefs.t;
  const route = router.route.value;
  const token = route.name === 'link' ? route.token : '';
  const info = useLoad(() => api.post<LinkInfo>('/auth/link/inspect', { token }));
  const [fields] = useState({ name: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function follow(event: Event) {
    event.preventDefault();
    const data = info.data;
    if (!data) return;
    setBusy(true);
    setError(null);
    try {
      const session = await api.post<Session>('/auth/link/follow', {
        token,
        ...(data.needsPassword ? { password: fields.password } : {}),
        ...(data.needsName ? { name: fields.name.trim() } : {}),
      });
      sessions.adopt(session);
      router.navigate(DEFAULT_ROUTE, { replace: true });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : t.somethingFailed);
    } finally {
      setBusy(false);
    }
  }

  const data = info.data;
  return (
    <main class="centered">
      <form class="card" onSubmit={follow} aria-labelledby="link-title">
        <h1 id="link-title">{t.linkTitle}</h1>
        {info.error && (
          <p role="alert" class="error">
            {t.linkInvalid}
          </p>
        )}
        {!data && !info.error && <p role="status">{t.loading}</p>}
        {data && (
          <>
            <p>
              {data.kind === 'invitation'
                ? t.linkInvitation(data.tenantName ?? '')
                : data.kind === 'reset'
                  ? t.linkReset
                  : t.linkSignIn}{' '}
              <strong>{data.email}</strong>
            </p>
            {data.needsName && (
              <label>
                {t.name}
                <input
                  required
                  maxLength={255}
                  autocomplete="name"
                  onInput={(e) => {
                    fields.name = e.currentTarget.value;
                  }}
                />
              </label>
            )}
            {data.needsPassword && (
              <label>
                {t.newPassword}
                <input
                  type="password"
                  required
                  minLength={10}
                  autocomplete="new-password"
                  onInput={(e) => {
                    fields.password = e.currentTarget.value;
                  }}
                />
              </label>
            )}
            {error && (
              <p role="alert" class="error">
                {error}
              </p>
            )}
            <button type="submit" class="primary" disabled={busy}>
              {t.continue}
            </button>
          </>
        )}
      </form>
    </main>
  );
}
