import type { ApiError } from '../../server/protocol/console.ts';

/** An error answer of the API, with its stable code. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From retry-after, on 429. */
    readonly retryAfterSeconds?: number | undefined,
  ) {
    super(message);
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface Api {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  /** Every state-changing request carries the session's CSRF token. */
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  setCsrfToken(token: string | null): void;
  /** Called once per request refused for want of a session. */
  onUnauthorized(handler: () => void): void;
}

/**
 * JSON over /api/v1 with the session cookie. The CSRF token lives in memory only. A request
 * refused for a stale token is retried once after the session is read again (a tab that slept
 * through a new sign-in).
 */
export function createApi(base: string, fetcher: Fetch = (input, init) => fetch(input, init)): Api {
  let csrf: string | null = null;
  let unauthorized: () => void = () => {};

  async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    const response = await fetcher(`${base}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status === 204) return undefined as T;
    const payload: unknown = await response.json().catch(() => null);
    if (response.ok) return payload as T;
    const error = isApiError(payload)
      ? payload
      : { statusCode: response.status, code: 'CAUSETTE_ERR_HTTP', error: '', message: response.statusText };
    if (error.code === 'CAUSETTE_ERR_CSRF' && !retried) {
      const session = await request<{ csrfToken: string }>('GET', '/auth/session').catch(() => undefined);
      if (session) {
        csrf = session.csrfToken;
        return request(method, path, body, true);
      }
    }
    if (response.status === 401 && error.code === 'CAUSETTE_ERR_UNAUTHORIZED') unauthorized();
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiFailure(response.status, error.code, error.message, retryAfter > 0 ? retryAfter : undefined);
  }

  return {
    get: (path, query) => request('GET', `${path}${queryString(query)}`),
    post: (path, body) => request('POST', path, body ?? {}),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
    setCsrfToken: (token) => {
      csrf = token;
    },
    onUnauthorized: (handler) => {
      unauthorized = handler;
    },
  };
}

function queryString(query: Record<string, string | number | undefined> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as ApiError).code === 'string';
}
