import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received, as Meta would have. */
export interface RecordedCall {
  method: string;
  /** Path without the version prefix, e.g. /1122334455667/messages. */
  path: string;
  version: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
  at: number;
}

export interface ScriptedError {
  status: number;
  code?: number;
  subcode?: number;
  message?: string;
  details?: string;
}

type Behaviour =
  | { kind: 'error'; error: ScriptedError }
  /** Accept the connection and never answer (Meta down behind a load balancer). */
  | { kind: 'hang' }
  /** Reset the connection (Meta unreachable). */
  | { kind: 'reset' }
  /** Answer after the given delay. */
  | { kind: 'slow'; ms: number }
  /** Answer normally (to let a read receipt through before a scripted failure). */
  | { kind: 'ok' };

/**
 * A stand-in for the Graph API on loopback, speaking Meta's wire format: WhatsApp Cloud API sends
 * answer `{ messaging_product, contacts, messages: [{ id: "wamid…" }] }`, Instagram sends
 * `{ recipient_id, message_id }`, errors `{ error: { message, type, code, error_subcode,
 * error_data, fbtrace_id } }`. It records every call, and can be told to fail, be slow or be down.
 */
export class GraphStandIn {
  readonly calls: RecordedCall[] = [];
  private readonly script: Behaviour[] = [];
  private readonly sendScript: Behaviour[] = [];
  private always: Behaviour | undefined;
  private counter = 0;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  /** Profiles returned by GET /<user id>. */
  readonly profiles = new Map<string, Record<string, unknown>>();
  private inFlight = 0;
  /** The most calls that were being answered at once. */
  mostInFlight = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<GraphStandIn> {
    let instance: GraphStandIn | undefined;
    const server = createServer((request, response) => {
      instance?.handle(request, response);
    });
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    instance = new GraphStandIn(server, `http://127.0.0.1:${port}`);
    return instance;
  }

  /** The next calls (one behaviour each) fail or misbehave in this order; later ones succeed. */
  failNext(...behaviours: (ScriptedError | 'hang' | 'reset' | 'ok' | { slowMs: number })[]): void {
    for (const b of behaviours) this.script.push(toBehaviour(b));
  }

  /** Like failNext, for message sends only (not profile reads nor read receipts). */
  failNextSend(...behaviours: (ScriptedError | 'hang' | 'reset' | 'ok' | { slowMs: number })[]): void {
    for (const b of behaviours) this.sendScript.push(toBehaviour(b));
  }

  /** Every call misbehaves this way until `recover()`. */
  failAlways(behaviour: ScriptedError | 'hang' | 'reset'): void {
    this.always = toBehaviour(behaviour);
  }

  recover(): void {
    this.always = undefined;
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
  }

  /** Calls that sent a message (text or template), in order. */
  sends(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'POST' && !isReadReceipt(c.body));
  }

  readReceipts(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'POST' && isReadReceipt(c.body));
  }

  /** Resolves once at least `count` calls have been recorded. */
  waitForCalls(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.recover();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse) {
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    response.once('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', this.url);
      const match = /^\/(v\d+\.\d+)(\/.*)$/.exec(url.pathname);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const call: RecordedCall = {
        method: request.method ?? 'GET',
        path: match?.[2] ?? url.pathname,
        version: match?.[1] ?? '',
        query: Object.fromEntries(url.searchParams),
        authorization: request.headers.authorization,
        body,
        at: Date.now(),
      };
      this.calls.push(call);
      this.waiters = this.waiters.filter((w) => {
        if (this.calls.length < w.count) return true;
        w.resolve();
        return false;
      });
      const isSend = call.method === 'POST' && !isReadReceipt(call.body);
      const behaviour = (isSend ? this.sendScript.shift() : undefined) ?? this.script.shift() ?? this.always;
      if (behaviour?.kind === 'reset') {
        request.socket.destroy();
        return;
      }
      if (behaviour?.kind === 'hang') {
        this.hanging.add(response);
        return;
      }
      if (behaviour?.kind === 'error') {
        this.reply(response, behaviour.error.status, graphError(behaviour.error));
        return;
      }
      const answer = () => this.reply(response, 200, this.success(call));
      if (behaviour?.kind === 'slow') setTimeout(answer, behaviour.ms);
      else answer();
    });
  }

  private success(call: RecordedCall): unknown {
    if (call.method === 'GET') {
      const id = call.path.slice(1);
      return this.profiles.get(id) ?? { id, username: `user_${id}`, name: `User ${id}` };
    }
    const n = ++this.counter;
    const body = typeof call.body === 'object' && call.body !== null ? call.body : {};
    if (Reflect.get(body, 'messaging_product') === 'whatsapp') {
      if (Reflect.get(body, 'status') === 'read') return { success: true };
      const input = String(Reflect.get(body, 'to') ?? Reflect.get(body, 'recipient') ?? '');
      return {
        messaging_product: 'whatsapp',
        contacts: [{ input, wa_id: input }],
        messages: [{ id: `wamid.STANDIN${String(n).padStart(8, '0')}` }],
      };
    }
    const recipient: unknown = Reflect.get(body, 'recipient');
    const recipientId =
      typeof recipient === 'object' && recipient !== null ? Reflect.get(recipient, 'id') : '';
    return {
      recipient_id: recipientId,
      message_id: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAU${String(n).padStart(8, '0')}`,
    };
  }

  private reply(response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(JSON.stringify(body));
  }
}

function toBehaviour(b: ScriptedError | 'hang' | 'reset' | 'ok' | { slowMs: number }): Behaviour {
  if (b === 'ok') return { kind: 'ok' };
  if (b === 'hang') return { kind: 'hang' };
  if (b === 'reset') return { kind: 'reset' };
  if ('slowMs' in b) return { kind: 'slow', ms: b.slowMs };
  return { kind: 'error', error: b };
}

function graphError(error: ScriptedError) {
  return {
    error: {
      message: error.message ?? `(#${error.code ?? error.status}) scripted failure`,
      type: 'OAuthException',
      code: error.code ?? error.status,
      ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
      ...(error.details ? { error_data: { messaging_product: 'whatsapp', details: error.details } } : {}),
      fbtrace_id: 'AbCdEfGhIjK',
    },
  };
}

function isReadReceipt(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Reflect.get(body, 'status') === 'read';
}

/** Meta's documented errors, ready to script. */
export const GRAPH_ERRORS = {
  whatsappThroughput: { status: 400, code: 130429, message: 'Rate limit hit' },
  whatsappPairRate: {
    status: 400,
    code: 131056,
    message: '(Business Account, Consumer Account) pair rate limit hit',
  },
  whatsappWindow: {
    status: 400,
    code: 131047,
    message: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  instagramWindow: {
    status: 400,
    code: 10,
    subcode: 2534022,
    message: 'This message is sent outside of allowed window.',
  },
  appRateLimit: { status: 400, code: 4, message: 'Application request limit reached' },
  tokenExpired: { status: 401, code: 190, message: 'Error validating access token: Session has expired' },
  serverError: { status: 500, code: 2, message: 'Service temporarily unavailable' },
} satisfies Record<string, ScriptedError>;
