import { useRef, useState } from 'preact/hooks';
import type { Account, RecoveryCodes, TotpSetup } from '../../../server/protocol/console.ts';
import { useServices } from '../services.ts';
import { pageStrings } from './page-strings.ts';
import { useLoad } from './use-load.ts';

/** The signed-in user's name, password, two-factor authentication and sessions. */
export default function AccountPage() {
  const { api, prefs, sessions } = useServices();
  const p = pageStrings[prefs.lang.value];
  const t = prefs.t;
  const account = useLoad(() => api.get<Account>('/account'));
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const fields = useRef({ name: '', current: '', next: '', code: '', password: '' }).current;

  async function run(action: () => Promise<unknown>) {
    setMessage(null);
    try {
      await action();
      setMessage({ text: p.saved, error: false });
      account.reload();
    } catch (failure) {
      setMessage({ text: failure instanceof Error ? failure.message : String(failure), error: true });
    }
  }

  const data = account.data;
  return (
    <div class="page">
      <h1>{p.accountTitle}</h1>
      {message && (
        <p role={message.error ? 'alert' : 'status'} class={message.error ? 'error' : undefined}>
          {message.text}
        </p>
      )}
      {!data ? (
        <p role="status">{account.error ?? t.loading}</p>
      ) : (
        <>
          <p>
            {data.email} · {p.sessions(data.activeSessions)}
          </p>
          <form
            class="inline"
            onSubmit={(event) => {
              event.preventDefault();
              void run(() => api.patch('/account', { name: fields.name || data.name }));
            }}
          >
            <label>
              {t.name}
              <input
                defaultValue={data.name ?? ''}
                maxLength={255}
                required
                onInput={(e) => {
                  fields.name = e.currentTarget.value;
                }}
              />
            </label>
            <button type="submit">{p.save}</button>
          </form>
          <form
            class="inline"
            onSubmit={(event) => {
              event.preventDefault();
              void run(() =>
                api.patch('/account', { password: { current: fields.current, next: fields.next } }),
              );
            }}
          >
            <label>
              {p.currentPassword}
              <input
                type="password"
                autocomplete="current-password"
                required
                onInput={(e) => {
                  fields.current = e.currentTarget.value;
                }}
              />
            </label>
            <label>
              {t.newPassword}
              <input
                type="password"
                autocomplete="new-password"
                minLength={10}
                required
                onInput={(e) => {
                  fields.next = e.currentTarget.value;
                }}
              />
            </label>
            <button type="submit">{p.changePassword}</button>
          </form>
          <section aria-labelledby="totp-title">
            <h2 id="totp-title">{p.twoFactor}</h2>
            <p>{data.totpEnabled ? p.totpOn : p.totpOff}</p>
            {!data.totpEnabled && !setup && (
              <button
                type="button"
                onClick={() =>
                  void run(async () => setSetup(await api.post<TotpSetup>('/account/totp/setup')))
                }
              >
                {p.totpSetUp}
              </button>
            )}
            {!data.totpEnabled && setup && (
              <form
                class="inline"
                onSubmit={(event) => {
                  event.preventDefault();
                  void run(async () => {
                    const answer = await api.post<RecoveryCodes>('/account/totp/enable', {
                      code: fields.code,
                    });
                    setCodes(answer.recoveryCodes);
                    setSetup(null);
                  });
                }}
              >
                <p>
                  {p.totpSecret} <code>{setup.secret}</code>{' '}
                  {setup.otpauthUrl.startsWith('otpauth://') && <a href={setup.otpauthUrl}>otpauth</a>}
                </p>
                <label>
                  {p.totpConfirm}
                  <input
                    inputMode="numeric"
                    pattern="[0-9]{6}"
                    maxLength={6}
                    required
                    autocomplete="one-time-code"
                    onInput={(e) => {
                      fields.code = e.currentTarget.value;
                    }}
                  />
                </label>
                <button type="submit" class="primary">
                  {t.verify}
                </button>
              </form>
            )}
            {codes && (
              <div role="status">
                <p>{p.recoveryCodes}</p>
                <ul>
                  {codes.map((code) => (
                    <li key={code}>
                      <code>{code}</code>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {data.totpEnabled && (
              <form
                class="inline"
                onSubmit={(event) => {
                  event.preventDefault();
                  void run(() => api.post('/account/totp/disable', { password: fields.password }));
                }}
              >
                <label>
                  {t.password}
                  <input
                    type="password"
                    autocomplete="current-password"
                    required
                    onInput={(e) => {
                      fields.password = e.currentTarget.value;
                    }}
                  />
                </label>
                <button type="submit">{p.totpDisable}</button>
              </form>
            )}
          </section>
          <section>
            <button type="button" onClick={() => void sessions.signOut(true)}>
              {t.signOutEverywhere}
            </button>
          </section>
        </>
      )}
    </div>
  );
}
