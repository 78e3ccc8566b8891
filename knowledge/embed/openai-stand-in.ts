import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHashedEmbedder } from './hashed-embedder.ts';

export interface OpenAiStandIn {
  /** http://127.0.0.1:PORT/v1, what OPENAI_BASE_URL points at. */
  baseUrl: string;
  requests: { authorization: string | undefined; body: Record<string, unknown> }[];
  /** Answers the next requests with these statuses first (a flaky service). */
  failures: number[];
  /** Returns vectors of this length instead of the requested one (a model without "dimensions"). */
  forceDimensions: number | null;
  close(): Promise<void>;
}

/**
 * A scripted OpenAI-compatible embeddings server on loopback: POST /v1/embeddings with the
 * request and response shapes of OpenAI's API (float or base64 encoding). Vectors are the offline
 * embedder's, so nearest neighbours are meaningful in tests.
 */
export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const hashed = createHashedEmbedder();
  const state: Omit<OpenAiStandIn, 'baseUrl' | 'close'> = {
    requests: [],
    failures: [],
    forceDimensions: null,
  };
  const server = createServer(async (request, response) => {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as Record<string, unknown>;
    state.requests.push({ authorization: request.headers.authorization, body });
    const failure = state.failures.shift();
    if (failure) {
      response.writeHead(failure, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }));
      return;
    }
    if (request.url !== '/v1/embeddings' || request.method !== 'POST') {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Not found' } }));
      return;
    }
    const inputs = Array.isArray(body['input']) ? (body['input'] as string[]) : [String(body['input'])];
    const data = await Promise.all(
      inputs.map(async (input, index) => {
        let vector = await hashed.embedQuery(input);
        if (state.forceDimensions)
          vector = Array.from({ length: state.forceDimensions }, (_, i) => vector[i % vector.length]!);
        const embedding =
          body['encoding_format'] === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector;
        return { object: 'embedding', index, embedding };
      }),
    );
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        object: 'list',
        data,
        model: body['model'],
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
