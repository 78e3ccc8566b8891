import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../api.ts';
import { useServices } from '../services.ts';

type Step = 'password' | 'totp' | 'forgot';

/**
 * E-mail and password, then, when the account has two-factor on, its code (or a recovery code);
 * the password is sent again with the code, as the server keeps no half-signed-in state.
 */
export function SignIn() {
  const { sessions, prefs, api } = useServices();
  const t = prefs.t;
  const [step, setStep] = useState<Step>('password');
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef({ email: '', password: '', code: '' });
  const codeInput = useRef<HTMLInputElement>(null);
  useEffect(() => codeInput.current?.focus(), [step, recovery]);

  async function submit(event: Event) {
    event.preventDefault();
    const { email, password, code } = form.current;
    if (step === 'forgot') return requestReset(email.trim());
    setBusy(true);
    setError(null);
    try {
      const second =
        step === 'totp' ? (recovery ? { recoveryCode: code.trim() } : { totp: code.trim() }) : {};
      await sessions.signIn({ email: email.trim(), password, ...second });
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.code === 'CAUSETTE_ERR_TOTP_REQUIRED') {
        if (step === 'totp') setError(t.totpFailed);
        setStep('totp');
      } else if (failure instanceof ApiFailure && failure.status === 429) {
        setError(t.rateLimited(failure.retryAfterSeconds ?? 60));
      } else if (failure instanceof ApiFailure && failure.code === 'CAUSETTE_ERR_SIGN_IN_FAILED') {
        setError(step === 'totp' ? t.totpFailed : t.signInFailed);
      } else {
        setError(t.somethingFailed);
      }
    } finally {
      setBusy(false);
    }
  }

  async function requestReset(email: string) {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/password-reset', { email });
      setNotice(t.resetSent);
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.status === 429
          ? t.rateLimited(failure.retryAfterSeconds ?? 60)
          : t.somethingFailed,
      );
    } finally {
      setBusy(false);
    }
  }

  const title = step === 'password' ? t.signInTitle : step === 'totp' ? t.totpTitle : t.resetTitle;
  return (
    <main class="centered">
      <form class="card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{title}</h1>
        {step === 'forgot' ? (
          <label>
            {t.email}
            <input
              type="email"
              name="email"
              autocomplete="username"
              required
              defaultValue={form.current.email}
              ref={codeInput}
              onInput={(e) => {
                form.current.email = e.currentTarget.value;
              }}
            />
          </label>
        ) : step === 'password' ? (
          <>
            <label>
              {t.email}
              <input
                type="email"
                name="email"
                autocomplete="username"
                required
                onInput={(e) => {
                  form.current.email = e.currentTarget.value;
                }}
              />
            </label>
            <label>
              {t.password}
              <input
                type="password"
                name="password"
                autocomplete="current-password"
                required
                onInput={(e) => {
                  form.current.password = e.currentTarget.value;
                }}
              />
            </label>
          </>
        ) : (
          <>
            <label>
              {recovery ? t.recoveryCode : t.totpCode}
              <input
                key={recovery ? 'recovery' : 'totp'}
                name="code"
                autocomplete="one-time-code"
                inputMode={recovery ? 'text' : 'numeric'}
                pattern={recovery ? undefined : '[0-9]{6}'}
                maxLength={recovery ? 64 : 6}
                required
                ref={codeInput}
                onInput={(e) => {
                  form.current.code = e.currentTarget.value;
                }}
              />
            </label>
            <button type="button" class="link-button" onClick={() => setRecovery(!recovery)}>
              {recovery ? t.totpCode : t.useRecoveryCode}
            </button>
          </>
        )}
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {step === 'password' ? t.signIn : step === 'totp' ? t.verify : t.sendResetLink}
        </button>
        {step === 'password' && (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              setStep('forgot');
              setError(null);
            }}
          >
            {t.forgotPassword}
          </button>
        )}
        {step !== 'password' && (
          <button
            type="button"
            onClick={() => {
              setStep('password');
              setError(null);
              setNotice(null);
            }}
          >
            {t.back}
          </button>
        )}
      </form>
    </main>
  );
}
