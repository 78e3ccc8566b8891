import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** Questions a shop's visitors ask, in both languages, with some small talk. */
const QUESTIONS = [
  'Combien de temps prend la livraison ?',
  'Quels moyens de paiement acceptez-vous ?',
  'How can I track my order?',
  'Bonjour',
  'Puis-je retourner un article ?',
  'Do you sell gift cards?',
  'Quelles tailles proposez-vous ?',
  'Merci !',
];

export interface Client {
  socket: WebSocket;
  /** Resolves on the round trip's reply: a bot reply to a visitor message, or an echo. */
  roundTrip(): Promise<number>;
  close(): void;
}

/** Opens `count` sockets, `parallel` at a time; `greet` sends a hello and waits for the welcome. */
export async function openClients(
  url: string,
  count: number,
  greet: boolean,
  parallel = 200,
): Promise<{ clients: Client[]; failed: number }> {
  const clients: Client[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      try {
        clients.push(await openClient(url, greet));
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { clients, failed };
}

function openClient(url: string, greet: boolean): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    let pending: { started: number; resolve: (ms: number) => void; reject: (e: Error) => void } | undefined;
    let replyTo: string | undefined;
    let n = Math.floor(Math.random() * QUESTIONS.length);
    const client: Client = {
      socket,
      roundTrip: () =>
        new Promise((resolveTrip, rejectTrip) => {
          const timer = setTimeout(() => pending?.reject(new Error('no reply within 30 s')), 30_000);
          pending = {
            started: performance.now(),
            resolve: (ms) => {
              clearTimeout(timer);
              resolveTrip(ms);
            },
            reject: (error) => {
              clearTimeout(timer);
              pending = undefined;
              rejectTrip(error);
            },
          };
          replyTo = undefined;
          if (!greet) socket.send('{"type":"ping","n":1}');
          else {
            const text = QUESTIONS[n++ % QUESTIONS.length];
            socket.send(
              JSON.stringify({
                type: 'message',
                clientId: `b${performance.now().toString(36).replace('.', '')}${n}`,
                text,
              }),
            );
          }
        }),
      close: () => socket.terminate(),
    };
    socket.on('open', () => {
      if (!greet) resolve(client);
      else socket.send('{"type":"hello"}');
    });
    socket.on('message', (data) => {
      if (!greet) {
        const done = pending;
        pending = undefined;
        done?.resolve(performance.now() - done.started);
        return;
      }
      const frame = JSON.parse(data.toString());
      if (frame.type === 'welcome') resolve(client);
      else if (frame.type === 'ack') replyTo = frame.id;
      else if (frame.type === 'message' && frame.message.role === 'assistant' && pending) {
        // A reply names the message it answers by its stream id (the user message's id).
        if (replyTo !== undefined && frame.message.streamId !== replyTo) return;
        const done = pending;
        pending = undefined;
        done.resolve(performance.now() - done.started);
      } else if (frame.type === 'error' && pending) {
        const done = pending;
        pending = undefined;
        done.reject(new Error(`${frame.code}: ${frame.message}`));
      }
    });
    socket.on('error', (error) => {
      reject(error);
      pending?.reject(error);
    });
    socket.on('close', () => pending?.reject(new Error('closed')));
  });
}

/** Every client in a closed loop for `seconds`: message, wait for the reply, again. */
export async function closedLoop(
  clients: Client[],
  seconds: number,
): Promise<{ perSecond: number; rtts: number[]; errors: number }> {
  const rtts: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < until) {
        try {
          rtts.push(await client.roundTrip());
        } catch {
          errors++;
          return;
        }
      }
    }),
  );
  return { perSecond: rtts.length / ((performance.now() - started) / 1000), rtts, errors };
}

/**
 * A fixed total rate for `seconds`: each client sends one message every `clients / rate` seconds,
 * on its own phase, waiting for each answer as a visitor would. A server that falls behind shows
 * as long round trips and a lower achieved rate, both reported.
 */
export async function paced(
  clients: Client[],
  ratePerSecond: number,
  seconds: number,
): Promise<{ rtts: number[]; errors: number; perSecond: number }> {
  const rtts: number[] = [];
  let errors = 0;
  const interval = (clients.length / ratePerSecond) * 1000;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client, i) => {
      await sleep((i / clients.length) * interval);
      while (performance.now() < until) {
        const tick = performance.now();
        try {
          rtts.push(await client.roundTrip());
        } catch {
          errors++;
          return;
        }
        await sleep(Math.max(0, interval - (performance.now() - tick)));
      }
    }),
  );
  return { rtts, errors, perSecond: rtts.length / ((performance.now() - started) / 1000) };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
