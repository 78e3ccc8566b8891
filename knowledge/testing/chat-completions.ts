import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request to POST /v1/chat/completions, as the client sent it. */
export interface ChatRequest {
  body: Record<string, unknown>;
  messages: { role: string; content: unknown; name?: string; tool_calls?: unknown; tool_call_id?: string }[];
  /** The names of the tools offered, if any. */
  tools: string[];
  stream: boolean;
  /** Set when the client asked for structured output (response_format json_schema or json_object). */
  responseFormat: Record<string, unknown> | undefined;
}

/** What the scripted model answers to one request. */
export type ChatScript =
  | {
      /** The assistant's text; streamed in `chunkSize`-character deltas when the client streams. */
      content?: string;
      toolCalls?: { name: string; arguments: unknown; id?: string }[];
      /** Waits this long before answering (before the response headers): a slow or hung model. */
      delayMs?: number;
      /** Pause between streamed chunks. */
      chunkDelayMs?: number;
      chunkSize?: number;
      usage?: { prompt_tokens: number; completion_tokens: number };
    }
  | { status: number; message?: string; delayMs?: number };

export type ChatHandler = (request: ChatRequest) => ChatScript | Promise<ChatScript>;

/**
 * Answers one chat completion in OpenAI's wire format: a `chat.completion` object, or with
 * `stream: true` server-sent `chat.completion.chunk` events (tool calls as indexed deltas whose
 * arguments arrive in pieces, a final chunk carrying the finish reason, a usage-only chunk with
 * empty choices when `stream_options.include_usage` is set) closed by `data: [DONE]`.
 */
export async function answerChatCompletion(
  request: IncomingMessage,
  response: ServerResponse,
  body: Record<string, unknown>,
  handler: ChatHandler,
  serial: number,
): Promise<void> {
  const chat = toChatRequest(body);
  const script = await handler(chat);
  if (script.delayMs) {
    const aborted = await waitOrClose(request, script.delayMs);
    if (aborted) return;
  }
  if ('status' in script) {
    response.writeHead(script.status, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        error: { message: script.message ?? 'The server had an error', type: 'server_error', code: null },
      }),
    );
    return;
  }
  const id = `chatcmpl-${serial}`;
  const created = Math.floor(Date.now() / 1000);
  const model = typeof body['model'] === 'string' ? body['model'] : 'scripted';
  const toolCalls = (script.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${serial}_${index}`,
    type: 'function' as const,
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  const content = script.content ?? (toolCalls.length > 0 ? null : '');
  const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const usage = usageOf(chat, content, toolCalls, script.usage);

  if (!chat.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        system_fingerprint: null,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content,
              refusal: null,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      }),
    );
    return;
  }

  const includeUsage = isRecord(body['stream_options']) && body['stream_options']['include_usage'] === true;
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = async (payload: unknown) => {
    if (response.destroyed) return;
    response.write(`data: ${JSON.stringify(payload)}\n\n`);
    if (script.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, script.chunkDelayMs));
  };
  await send(chunk({ role: 'assistant', content: content === null ? null : '', refusal: null }, null));
  const size = script.chunkSize ?? 4;
  for (const piece of pieces(content ?? '', size)) await send(chunk({ content: piece }, null));
  for (const [index, call] of toolCalls.entries()) {
    await send(
      chunk(
        {
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
          ],
        },
        null,
      ),
    );
    for (const piece of pieces(call.function.arguments, 8)) {
      await send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
  }
  await send(chunk({}, finishReason));
  if (includeUsage) {
    await send({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [],
      usage,
    });
  }
  if (!response.destroyed) response.end('data: [DONE]\n\n');
}

/** The text of the last message with this role (a string, or the text parts of a content array). */
export function lastMessageText(request: ChatRequest, role = 'user'): string {
  const message = [...request.messages].reverse().find((m) => m.role === role);
  return message ? textOf(message.content) : '';
}

/** Every message's text, joined: what the model was shown. */
export function promptText(request: ChatRequest): string {
  return request.messages.map((m) => textOf(m.content)).join('\n');
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (isRecord(part) && typeof part['text'] === 'string' ? part['text'] : ''))
      .join('');
  }
  return '';
}

function toChatRequest(body: Record<string, unknown>): ChatRequest {
  const messages = Array.isArray(body['messages']) ? body['messages'].filter(isRecord) : [];
  const tools = Array.isArray(body['tools']) ? body['tools'].filter(isRecord) : [];
  return {
    body,
    messages: messages.map((m) => ({
      role: String(m['role']),
      content: m['content'],
      ...(typeof m['name'] === 'string' ? { name: m['name'] } : {}),
      ...(m['tool_calls'] !== undefined ? { tool_calls: m['tool_calls'] } : {}),
      ...(typeof m['tool_call_id'] === 'string' ? { tool_call_id: m['tool_call_id'] } : {}),
    })),
    tools: tools.map((t) => (isRecord(t['function']) ? String(t['function']['name']) : String(t['name']))),
    stream: body['stream'] === true,
    responseFormat: isRecord(body['response_format']) ? body['response_format'] : undefined,
  };
}

/** Whitespace-separated words as tokens: deterministic figures that tests can predict. */
function usageOf(
  chat: ChatRequest,
  content: string | null,
  toolCalls: { function: { arguments: string } }[],
  given: { prompt_tokens: number; completion_tokens: number } | undefined,
) {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  const prompt = given?.prompt_tokens ?? words(promptText(chat));
  const completion =
    given?.completion_tokens ??
    words(content ?? '') + toolCalls.reduce((sum, call) => sum + words(call.function.arguments), 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function pieces(text: string, size: number): string[] {
  const characters = [...text];
  const out: string[] = [];
  for (let i = 0; i < characters.length; i += size) out.push(characters.slice(i, i + size).join(''));
  return out;
}

/** Resolves true if the client went away first (it timed out), false once `ms` have passed. */
function waitOrClose(request: IncomingMessage, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      request.socket.off('close', onClose);
      resolve(false);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    request.socket.once('close', onClose);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
