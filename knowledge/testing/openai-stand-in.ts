import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHashedEmbedder } from '../embed/hashed-embedder.ts';
import { answerChatCompletion, type ChatHandler, type ChatRequest } from './chat-completions.ts';

export interface OpenAiStandIn {
  /** http://127.0.0.1:PORT/v1, what OPENAI_BASE_URL points at. */
  baseUrl: string;
  requests: { path: string; authorization: string | undefined; body: Record<string, unknown> }[];
  /** The chat completions received, in order (structured ones included). */
  chats: ChatRequest[];
  /** Scripts each POST /v1/chat/completions; without one, the model answers "OK". */
  chat: ChatHandler;
  /** Answers the next requests with these statuses first (a flaky service). */
  failures: number[];
  /** Returns vectors of this length instead of the requested one (a model without "dimensions"). */
  forceDimensions: number | null;
  close(): Promise<void>;
}

/**
 * A scripted OpenAI-compatible server on loopback, speaking OpenAI's wire format:
 * - POST /v1/embeddings (float or base64 encoding), with the offline embedder's vectors so that
 *   nearest neighbours are meaningful in tests;
 * - POST /v1/chat/completions, answered by the `chat` script: JSON or SSE streaming, tool calls,
 *   errors and slow answers (see chat-completions.ts).
 */
export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const hashed = createHashedEmbedder();
  const state: Omit<OpenAiStandIn, 'baseUrl' | 'close'> = {
    requests: [],
    chats: [],
    chat: () => ({ content: 'OK' }),
    failures: [],
    forceDimensions: null,
  };
  let serial = 0;
  const server = createServer(async (request, response) => {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as Record<string, unknown>;
    const path = request.url ?? '/';
    state.requests.push({ path, authorization: request.headers.authorization, body });
    const failure = state.failures.shift();
    if (failure) {
      response.writeHead(failure, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }));
      return;
    }
    if (path === '/v1/chat/completions' && request.method === 'POST') {
      serial += 1;
      await answerChatCompletion(
        request,
        response,
        body,
        (chat) => {
          state.chats.push(chat);
          return state.chat(chat);
        },
        serial,
      );
      return;
    }
    if (path !== '/v1/embeddings' || request.method !== 'POST') {
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
