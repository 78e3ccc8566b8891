/**
 * npm run bench:webhooks — signed WhatsApp webhook deliveries against the real server on a real
 * Postgres, with a stand-in Graph API on loopback recording the replies.
 *
 * Each round measures, for the server and for a baseline (a bare endpoint doing one INSERT):
 *   - acknowledgement latency at a fixed 500 deliveries/s (open loop: requests leave on
 *     schedule whether or not earlier ones were answered);
 *   - deliveries/s with 64 requests in flight (closed loop).
 * The baseline's rounds run first, on an idle machine; the server's then run back to back, each
 * beside the processing of the deliveries acknowledged before it, as in production. Each side is
 * warmed up first (the server's warm-up deliveries processed to the end), as a server that has
 * been up for a while is: the first deliveries after a start compile the code they run.
 * Every delivery is sent twice, the whole sequence shuffled. After the rounds the server's work
 * is drained and the replies counted: duplicates (more replies than messages for a customer) and
 * losses (a message not stored, or not answered). The last line is one JSON object.
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch database is
 * created and dropped), BENCH_ROUNDS (3), BENCH_RATE (500), BENCH_RATE_SECONDS (2),
 * BENCH_THROUGHPUT_REQUESTS (1500), BENCH_WARMUP (500 requests at the rate, not counted),
 * BENCH_PG_SOCKET (/var/run/postgresql: the servers reach that Postgres through its Unix socket
 * in this directory, libpq's ?host=; empty: over TCP).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { signHubBody } from '../../bot/channels/meta/hub-signature.ts';
import { unixSocket } from '../../db/database.ts';

const ADMIN_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const RATE = Number(process.env['BENCH_RATE'] ?? 500);
const RATE_SECONDS = Number(process.env['BENCH_RATE_SECONDS'] ?? 2);
const THROUGHPUT_REQUESTS = Number(process.env['BENCH_THROUGHPUT_REQUESTS'] ?? 1500);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 500);
const PG_SOCKET = process.env['BENCH_PG_SOCKET'] ?? '/var/run/postgresql';
const IN_FLIGHT = 64;
const APP_SECRET = 'bench-app-secret';
const PHONE_IDS = ['1550000001', '1550000002', '1550000003', '1550000004'];
const CUSTOMERS = 2000;

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT * 2 });

interface Delivery {
  body: Buffer;
  signature: string;
  customer: string;
}

async function main() {
  const dbName = `causette_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const target = new URL(ADMIN_URL);
  target.pathname = `/${dbName}`;
  if (PG_SOCKET) target.searchParams.set('host', PG_SOCKET);
  const children: ChildProcess[] = [];
  try {
    const graph = await spawn('graph-server.ts', process.env);
    children.push(graph.child);
    const env = {
      ...process.env,
      DATABASE_URL: target.toString(),
      // A role of the run's own: roles belong to the whole cluster.
      CAUSETTE_APP_ROLE: `${dbName}_app`,
      CAUSETTE_SECRET: randomBytes(32).toString('hex'),
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: 'bench-verify-token',
      META_GRAPH_URL: graph.url,
      WHATSAPP_MESSAGES_PER_SECOND: '1000',
      PORT: '0',
      LOG_LEVEL: 'warn',
      BENCH_PHONE_IDS: PHONE_IDS.join(','),
    };
    const server = await spawn('webhook-server.ts', env);
    const baseline = await spawn('baseline-server.ts', env);
    children.push(server.child, baseline.child);

    const perRound = RATE * RATE_SECONDS + THROUGHPUT_REQUESTS;
    const requests = WARMUP + perRound * ROUNDS;
    if (requests % 2 !== 0) {
      throw new Error(
        'every delivery is sent twice: the warm-up and the rounds need an even number of requests',
      );
    }
    const unique = buildDeliveries(requests / 2);
    // Half the copies are byte-identical (Meta's retry); the other half carry the same message in
    // a differently serialized delivery, so that deduplication by message id is exercised too.
    const copies = unique.map((d, i) => (i % 2 === 0 ? d : reserialized(d)));
    const sequence = shuffle([...unique, ...copies]);
    const baselineSequence = shuffle([...unique, ...copies]);
    log(`${unique.length} distinct deliveries, each sent twice: ${sequence.length} requests to the server`);

    // The baseline's rounds come first, while the server is idle: run between the server's
    // rounds, they measured the server's processing of the deliveries it had acknowledged, which
    // runs for minutes after them on the same cores.
    const rateCount = RATE * RATE_SECONDS;
    // The warm-up requests come first in each sequence; the rounds' slices follow them.
    const roundSlice = (of: Delivery[], round: number) =>
      of.slice(WARMUP + round * perRound, WARMUP + (round + 1) * perRound);
    const baseWarm = await openLoop(baseline.url, baselineSequence.slice(0, WARMUP), RATE);
    log(
      `baseline warm-up (not counted): p50 ${baseWarm.p50.toFixed(2)} ms p99 ${baseWarm.p99.toFixed(2)} ms`,
    );
    const baseRounds: Pick<RoundResult, 'baseLatency' | 'baseThroughput'>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const baseSlice = roundSlice(baselineSequence, round);
      const baseLatency = await openLoop(baseline.url, baseSlice.slice(0, rateCount), RATE);
      const baseThroughput = await closedLoop(baseline.url, baseSlice.slice(rateCount), IN_FLIGHT);
      baseRounds.push({ baseLatency, baseThroughput });
    }
    const baselineExited = new Promise((resolve) => baseline.child.once('exit', resolve));
    baseline.child.send('stop');
    await baselineExited;
    const warm = await openLoop(server.url, sequence.slice(0, WARMUP), RATE);
    await command(server.child, 'drain', 'drained');
    log(
      `server warm-up (not counted): p50 ${warm.p50.toFixed(2)} ms p99 ${warm.p99.toFixed(2)} ms (errors ${warm.errors}), then processed`,
    );
    const rounds: RoundResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const slice = roundSlice(sequence, round);
      await ask(server.child, 'loop', 'loop');
      const latency = await openLoop(server.url, slice.slice(0, rateCount), RATE);
      const loop = loopDelayOf(await ask(server.child, 'loop', 'loop'));
      const throughput = await closedLoop(server.url, slice.slice(rateCount), IN_FLIGHT);
      const { baseLatency, baseThroughput } = baseRounds[round]!;
      const result = { latency, baseLatency, throughput, baseThroughput };
      rounds.push(result);
      log(
        `round ${round + 1}: server ${throughput.perSecond.toFixed(0)}/s, ack p50 ${latency.p50.toFixed(2)} ms p99 ${latency.p99.toFixed(2)} ms (errors ${latency.errors + throughput.errors}); ` +
          `baseline ${baseThroughput.perSecond.toFixed(0)}/s, p50 ${baseLatency.p50.toFixed(2)} ms p99 ${baseLatency.p99.toFixed(2)} ms; ` +
          `server's event loop delay during the ${RATE}/s part: p99 ${loop.p99} ms, max ${loop.max} ms`,
      );
    }

    log('draining: every stored delivery processed and answered…');
    const drainStart = performance.now();
    await command(server.child, 'drain', 'drained');
    log(`drained in ${((performance.now() - drainStart) / 1000).toFixed(1)} s`);
    const report = await ask(graph.child, 'report', 'replies');
    const replies = new Map(
      Object.entries(Object(Reflect.get(Object(report), 'replies'))).map(([k, v]) => [k, Number(v)]),
    );
    const { duplicates, lost } = await countOutcome(target.toString(), replies, unique);

    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const summary = {
      deliveries_per_s: Math.round(median(rounds.map((r) => r.throughput.perSecond))),
      ack_p50_ms: round2(median(rounds.map((r) => r.latency.p50))),
      ack_p99_ms: round2(median(rounds.map((r) => r.latency.p99))),
      duplicates,
      lost,
      errors: warm.errors + rounds.reduce((n, r) => n + r.latency.errors + r.throughput.errors, 0),
      baseline_deliveries_per_s: Math.round(median(rounds.map((r) => r.baseThroughput.perSecond))),
      baseline_ack_p50_ms: round2(median(rounds.map((r) => r.baseLatency.p50))),
      baseline_ack_p99_ms: round2(median(rounds.map((r) => r.baseLatency.p99))),
      throughput_vs_baseline: round2(
        median(rounds.map((r) => r.throughput.perSecond / r.baseThroughput.perSecond)),
      ),
      p99_vs_baseline: round2(median(rounds.map((r) => r.latency.p99 / r.baseLatency.p99))),
      rounds: ROUNDS,
      rate_per_s: RATE,
      requests: sequence.length,
      warmup_requests: WARMUP,
    };
    const running = children.filter((child) => child.exitCode === null);
    for (const child of running) child.send('stop');
    await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    console.log(JSON.stringify(summary));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    agent.destroy();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.unsafe(`drop role if exists ${dbName}_app`);
    await admin.end();
  }
}

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}
interface RoundResult {
  latency: Measured;
  baseLatency: Measured;
  throughput: Measured;
  baseThroughput: Measured;
}

/** Sends at a fixed rate, each request on its schedule, and measures each acknowledgement. */
async function openLoop(url: string, deliveries: Delivery[], rate: number): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < deliveries.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const delivery = deliveries[i]!;
    pending.push(
      post(url, delivery).then(
        (ms) => void latencies.push(ms),
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  return summarize(latencies, performance.now() - start, errors);
}

/** Keeps `inFlight` requests going until all are answered: the most the server takes. */
async function closedLoop(url: string, deliveries: Delivery[], inFlight: number): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        try {
          latencies.push(await post(url, delivery));
        } catch {
          errors++;
        }
      }
    }),
  );
  return summarize(latencies, performance.now() - start, errors);
}

function post(url: string, delivery: Delivery): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/webhooks/whatsapp`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': delivery.body.length,
          'x-hub-signature-256': delivery.signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}

function summarize(latencies: number[], elapsedMs: number, errors: number): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { perSecond: (latencies.length / elapsedMs) * 1000, p50: at(0.5), p99: at(0.99), errors };
}

/** Distinct WhatsApp deliveries, each one text message from one of the customers, signed. */
function buildDeliveries(count: number): Delivery[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const customer = `3360${String(i % CUSTOMERS).padStart(7, '0')}`;
    const phone = PHONE_IDS[i % PHONE_IDS.length]!;
    const body = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'WABA',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550000000', phone_number_id: phone },
                  contacts: [{ profile: { name: `Client ${i % CUSTOMERS}` }, wa_id: customer }],
                  messages: [
                    {
                      from: customer,
                      id: `wamid.BENCH${String(i).padStart(9, '0')}`,
                      timestamp: String(now),
                      type: 'text',
                      text: {
                        body:
                          i % 3 === 0
                            ? 'How long does delivery take?'
                            : `Question number ${i}, où est ma commande ?`,
                      },
                    },
                  ],
                },
              },
            ],
          },
        ],
      }),
    );
    return { body, signature: signHubBody(body, APP_SECRET), customer: `${phone}:${customer}` };
  });
}

/** The same events in another delivery: Meta batches a retry differently at times. */
function reserialized(delivery: Delivery): Delivery {
  const parsed = JSON.parse(delivery.body.toString('utf8'));
  parsed.entry[0].time = Date.now();
  const body = Buffer.from(JSON.stringify(parsed, null, 1));
  return { body, signature: signHubBody(body, APP_SECRET), customer: delivery.customer };
}

/** Replies per customer against messages per customer: more is a duplicate, fewer a loss. */
async function countOutcome(url: string, got: Map<string, number>, unique: Delivery[]) {
  const expected = new Map<string, number>();
  for (const d of unique) expected.set(d.customer, (expected.get(d.customer) ?? 0) + 1);
  let duplicates = 0;
  let lost = 0;
  for (const [customer, count] of expected) {
    const sent = got.get(customer) ?? 0;
    if (sent > count) duplicates += sent - count;
    if (sent < count) lost += count - sent;
  }
  const { url: target, socketDir } = unixSocket(url);
  const sql = postgres(target, { max: 1, onnotice: () => {}, ...(socketDir ? { host: socketDir } : {}) });
  try {
    const [row] = await sql<{ stored: number; duplicated: number }[]>`
      select count(*)::int as stored,
             (count(*) - count(distinct client_id))::int as duplicated
      from conversation_messages where role = 'user'`;
    const stored = row?.stored ?? 0;
    lost = Math.max(lost, unique.length - stored);
    duplicates += row?.duplicated ?? 0;
  } finally {
    await sql.end();
  }
  return { duplicates, lost };
}

async function spawn(file: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.on('message', (message: unknown) => {
      const ready =
        typeof message === 'object' && message !== null ? Reflect.get(message, 'ready') : undefined;
      if (typeof ready === 'string') resolve(ready);
    });
  });
  return { child, url };
}

async function command(child: ChildProcess, name: string, answer: string): Promise<void> {
  await ask(child, name, answer);
}

function ask(child: ChildProcess, name: string, answer: string): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && Reflect.get(message, answer)) {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.send(name);
  });
}

function loopDelayOf(answer: unknown): { p99: number; max: number } {
  const loop = Object(Reflect.get(Object(answer), 'loop'));
  return { p99: Number(Reflect.get(loop, 'p99')), max: Number(Reflect.get(loop, 'max')) };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function round2(n: number) {
  return Math.round(n * 100) / 100;
}

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

await main();
