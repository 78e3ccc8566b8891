import { useState } from 'preact/hooks';
import type { ApiKeyCreated, ApiKeyList, ApiKeyScope } from '../../../server/protocol/console.ts';
import { formatDateTime } from '../components/time.ts';
import { useServices } from '../services.ts';
import { pageStrings } from './page-strings.ts';
import { useLoad } from './use-load.ts';

/** Owners and admins manage the tenant's API keys: create (shown once), see last use, revoke. */
export default function ApiKeysPage() {
  const { api, prefs } = useServices();
  const lang = prefs.lang.value;
  const p = pageStrings[lang];
  const t = prefs.t;
  const keys = useLoad(() => api.get<ApiKeyList>('/api-keys'));
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKeyScope>('admin');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      keys.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <div class="page">
      <h1>{p.apiKeysTitle}</h1>
      {(error ?? keys.error) && (
        <p role="alert" class="error">
          {error ?? keys.error}
        </p>
      )}
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const answer = await api.post<ApiKeyCreated>('/api-keys', {
              name: name.trim(),
              scope,
              ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
            });
            setCreated(answer.key);
            setName('');
          });
        }}
      >
        <label>
          {p.keyName}
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {p.scope}
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as ApiKeyScope)}>
            <option value="admin">{p.scopes.admin}</option>
            <option value="read">{p.scopes.read}</option>
          </select>
        </label>
        <label>
          {p.expiresAt}
          <input type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">
          {p.createKey}
        </button>
      </form>
      {created && (
        <div role="status">
          <label>
            {p.newKey}
            <input readOnly value={created} onFocus={(e) => e.currentTarget.select()} />
          </label>
        </div>
      )}
      {!keys.data ? (
        <p role="status">{t.loading}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{p.keyName}</th>
              <th scope="col">{p.scope}</th>
              <th scope="col">{p.created}</th>
              <th scope="col">{p.expires}</th>
              <th scope="col">{p.lastUsed}</th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((key) => (
              <tr key={key.id}>
                <td>
                  {key.name} <code>{key.prefix}…</code>
                </td>
                <td>{p.scopes[key.scope]}</td>
                <td>{formatDateTime(key.createdAt, lang)}</td>
                <td>{key.expiresAt ? formatDateTime(key.expiresAt, lang) : '—'}</td>
                <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt, lang) : p.never}</td>
                <td>
                  {key.active ? (
                    <button type="button" onClick={() => void run(() => api.delete(`/api-keys/${key.id}`))}>
                      {p.revoke} <span class="visually-hidden">{key.name}</span>
                    </button>
                  ) : (
                    p.revoked
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
