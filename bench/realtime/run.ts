import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { closedLoop, median, openClients, paced, percentile, sleep } from './load.ts';

/**
 * npm run bench:realtime — N concurrent visitors over real websockets against the server with the
 * offline bot, on embedded PGlite and on a real Postgres, beside a bare `ws` echo server measured
 * in the same run (the ceiling). The server runs in its own process; this one is the load.
 *
 *   BENCH_IDLE=10000         idle visitors held (hello'd, subscribed, doing nothing)
 *   BENCH_CLIENTS=200        visitors chatting in a closed loop, for throughput
 *   BENCH_SECONDS=8          length of each throughput round (three rounds, median kept)
 *   BENCH_RATE=500           messages per second of the round-trip measurement
 *   BENCH_DATABASE_URL       the real Postgres (default postgres://postgres@127.0.0.1:5432/postgres);
 *                            a fresh database is created in it and dropped afterwards
 *   BENCH_PG_SOCKET=/var/run/postgresql   the server reaches that Postgres through its Unix socket
 *                            in this directory (libpq's ?host=); empty: over TCP as the URL says
 *   BENCH_BACKENDS=pglite,postgres
 * The last line printed is one JSON object with the real-Postgres figures.
 */
const IDLE = Number(process.env['BENCH_IDLE'] ?? 10_000);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 200);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const RATE = Number(process.env['BENCH_RATE'] ?? 500);
const ROUNDS = 3;
const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BACKENDS = (process.env['BENCH_BACKENDS'] ?? 'pglite,postgres').split(',');
const PG_SOCKET = process.env['BENCH_PG_SOCKET'] ?? '/var/run/postgresql';

interface Figures {
  name: string;
  connections: number;
  rssMb: number;
  msgsPerS: number;
  rttP50: number;
  rttP95: number;
  rttP99: number;
  pacedPerS: number;
  stored?: number;
  answered?: number;
  /** Postgres transactions committed per visitor message answered (pg_stat_database). */
  commitsPerMessage?: number;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

async function start(
  script: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here(script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => {
      if (l.startsWith('READY ')) resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, url: line.split(' ')[1]! };
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function measure(
  name: string,
  wsUrl: string,
  pid: number,
  greet: boolean,
  httpUrl?: string,
): Promise<Figures> {
  log(`${name}: opening ${IDLE} idle ${greet ? 'visitors' : 'sockets'}…`);
  const idle = await openClients(wsUrl, IDLE, greet);
  await sleep(3_000);
  const held = idle.clients.filter((c) => c.socket.readyState === c.socket.OPEN).length;
  const rss = await rssMb(pid);
  log(`${name}: ${held} held (${idle.failed} failed), server RSS ${rss.toFixed(0)} MB`);
  for (const client of idle.clients) client.close();
  await sleep(2_000);

  const before = httpUrl ? await stats(httpUrl) : undefined;
  const { clients } = await openClients(wsUrl, CLIENTS, greet);
  const rounds: number[] = [];
  let answered = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const result = await closedLoop(clients, SECONDS);
    answered += result.rtts.length;
    rounds.push(result.perSecond);
    log(
      `${name}: closed loop, ${CLIENTS} clients: ${result.perSecond.toFixed(0)} msg/s (${result.errors} errors)`,
    );
  }
  for (const client of clients) client.close();
  await sleep(1_000);
  const pacedClients = (await openClients(wsUrl, Math.max(RATE, 1), greet)).clients;
  const trips = await paced(pacedClients, RATE, SECONDS * 2);
  answered += trips.rtts.length;
  for (const client of pacedClients) client.close();
  log(
    `${name}: at ${RATE} msg/s: achieved ${trips.perSecond.toFixed(0)}, p50 ${percentile(trips.rtts, 50).toFixed(1)} ms, p99 ${percentile(trips.rtts, 99).toFixed(1)} ms (${trips.errors} errors)`,
  );
  const figures: Figures = {
    name,
    connections: held,
    rssMb: Math.round(rss),
    msgsPerS: Math.round(median(rounds)),
    rttP50: Number(percentile(trips.rtts, 50).toFixed(1)),
    rttP95: Number(percentile(trips.rtts, 95).toFixed(1)),
    rttP99: Number(percentile(trips.rtts, 99).toFixed(1)),
    pacedPerS: Math.round(trips.perSecond),
  };
  if (httpUrl) {
    await sleep(500);
    const after = await stats(httpUrl);
    figures.stored = after.stored;
    figures.answered = answered;
    if (after.commits !== null && before?.commits != null) {
      figures.commitsPerMessage = Number(((after.commits - before.commits) / answered).toFixed(1));
    }
  }
  return figures;
}

async function stats(httpUrl: string): Promise<{ stored: number; commits: number | null }> {
  return (await (await fetch(`${httpUrl}/bench/stored`)).json()) as {
    stored: number;
    commits: number | null;
  };
}

function log(message: string) {
  process.stdout.write(`${message}\n`);
}

const results: Figures[] = [];
{
  const { child, url } = await start('echo-server.ts');
  results.push(await measure('ws echo', url, child.pid!, false));
  await stop(child);
}
for (const backend of BACKENDS) {
  let database: string | undefined;
  const env: Record<string, string> = {
    CAUSETTE_VISITOR_MESSAGES_PER_MINUTE: '1000000',
    CAUSETTE_VISITOR_MESSAGE_BURST: '1000',
    CAUSETTE_VISITOR_FRAMES_PER_SECOND: '1000',
    // Every simulated visitor connects from 127.0.0.1: the per-address limits are raised explicitly.
    CAUSETTE_WS_HANDSHAKES_PER_MINUTE: '100000000',
  };
  if (backend === 'postgres') {
    database = `causette_bench_${randomBytes(4).toString('hex')}`;
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${database}`);
    await admin.end();
    const target = new URL(PG_URL);
    target.pathname = `/${database}`;
    if (PG_SOCKET) target.searchParams.set('host', PG_SOCKET);
    env['DATABASE_URL'] = target.toString();
    // A role of the run's own: roles belong to the whole cluster.
    env['CAUSETTE_APP_ROLE'] = `${database}_app`;
    env['CAUSETTE_SECRET'] = randomBytes(32).toString('hex');
  }
  const { child, url } = await start('bench-server.ts', env);
  const wsUrl = `${url.replace(/^http/, 'ws')}/ws?tenant=ma-boutique`;
  try {
    results.push(
      await measure(
        backend === 'postgres' ? 'Causette, Postgres' : 'Causette, PGlite',
        wsUrl,
        child.pid!,
        true,
        url,
      ),
    );
  } finally {
    await stop(child);
    if (database) {
      const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.unsafe(`drop role if exists ${database}_app`);
      await admin.end();
    }
  }
}

const echo = results[0]!;
log('');
log(
  `| server | idle visitors held | RSS (MB) | msg/s, ${CLIENTS} clients, closed loop | vs ws echo | round trip p50 / p99 at ${RATE} msg/s | persisted |`,
);
log('|---|---|---|---|---|---|---|');
for (const r of results) {
  const ratio = r === echo ? '1' : `${((r.msgsPerS / echo.msgsPerS) * 100).toFixed(1)} %`;
  const persisted =
    r.stored === undefined
      ? '—'
      : `${r.stored} rows for ${r.answered} answers${r.commitsPerMessage ? ` (${r.commitsPerMessage} transactions each)` : ''}`;
  log(
    `| ${r.name} | ${r.connections} | ${r.rssMb} | ${r.msgsPerS} | ${ratio} | ${r.rttP50} / ${r.rttP99} ms (achieved ${r.pacedPerS}/s) | ${persisted} |`,
  );
}
const main = results.find((r) => r.name === 'Causette, Postgres') ?? results[results.length - 1]!;
log(
  JSON.stringify({
    connections: main.connections,
    rss_mb: main.rssMb,
    msgs_per_s: main.msgsPerS,
    rtt_p50_ms: main.rttP50,
    rtt_p95_ms: main.rttP95,
    rtt_p99_ms: main.rttP99,
    ws_echo_msgs_per_s: echo.msgsPerS,
  }),
);
