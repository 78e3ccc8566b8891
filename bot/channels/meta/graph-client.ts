import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { GraphApiError } from './graph-error.ts';

export type GraphApi = 'facebook' | 'instagram';

export interface GraphClientOptions {
  /** Base URLs without version, e.g. https://graph.facebook.com. */
  baseUrls: Record<GraphApi, string>;
  /** e.g. v23.0 */
  version: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface GraphRequest {
  api: GraphApi;
  /** Path after the version, e.g. `/1234/messages`. */
  path: string;
  token: string;
  body?: unknown;
  query?: Record<string, string>;
}

/**
 * The few Graph API calls the channels make. The token travels in the Authorization header, never
 * in the URL, so it cannot end up in an access log; errors carry Meta's code, never the request.
 */
export interface GraphClient {
  post(request: GraphRequest): Promise<unknown>;
  get(request: GraphRequest): Promise<unknown>;
}

const GraphErrorBody = Type.Object({
  error: Type.Object({
    message: Type.Optional(Type.String()),
    code: Type.Optional(Type.Number()),
    error_subcode: Type.Optional(Type.Number()),
    error_user_msg: Type.Optional(Type.String()),
    error_data: Type.Optional(Type.Unknown()),
  }),
});
const checkErrorBody = Compile(GraphErrorBody);

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call(method: 'GET' | 'POST', request: GraphRequest): Promise<unknown> {
    const base = options.baseUrls[request.api].replace(/\/+$/, '');
    const url = new URL(`${base}/${options.version}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${request.token}`,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? null : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable';
      throw new GraphApiError(`the Graph API is ${reason}`, 0, undefined, undefined, undefined);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (response.ok && parsed !== undefined) return parsed;
    if (checkErrorBody.Check(parsed)) {
      const { error } = parsed;
      throw new GraphApiError(
        error.message ?? `Graph API error ${error.code ?? response.status}`,
        response.status,
        error.code,
        error.error_subcode,
        detailsOf(error.error_data) ?? error.error_user_msg,
      );
    }
    throw new GraphApiError(
      `the Graph API answered ${response.status} without a readable error`,
      response.ok ? 502 : response.status,
      undefined,
      undefined,
      undefined,
    );
  }

  return {
    post: (request) => call('POST', request),
    get: (request) => call('GET', request),
  };
}

function detailsOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const details: unknown = Reflect.get(data, 'details');
  return typeof details === 'string' ? details : undefined;
}
