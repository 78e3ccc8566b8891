import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestVisitor } from '../testing/test-visitor.ts';

const bin = fileURLToPath(new URL('./causette.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function causette(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `causette start` and resolves once it listens, with its URL. */
function startServerProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'start'], {
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Causette is listening on (http:\/\/\S+?)"/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

const keyPattern = /cst_[A-Za-z0-9_-]{43}/;
// Every command spawns Node, tsx and embedded Postgres: generous time on a busy machine.
const SLOW = 180_000;

describe('with embedded Postgres', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'causette-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  }, SLOW);

  it(
    'creates a tenant and an API key, printing the key once',
    async () => {
      const env = { CAUSETTE_DATA_DIR: dataDir };
      const tenant = await causette(['tenant', 'create', '--slug', 'atelier', '--name', 'Atelier Rose'], env);
      expect(tenant).toMatchObject({ code: 0, stderr: '' });
      expect(tenant.stdout).toContain('Created tenant atelier (Atelier Rose)');
      const key = await causette(['apikey', 'create', '--tenant', 'atelier', '--name', 'ops'], env);
      expect(key.code).toBe(0);
      expect(key.stdout).toMatch(keyPattern);
      expect(key.stdout).toContain('shown only this once');
    },
    SLOW,
  );

  it(
    'explains refusals with an exit code and no stack trace',
    async () => {
      const env = { CAUSETTE_DATA_DIR: dataDir };
      const taken = await causette(['tenant', 'create', '--slug', 'atelier', '--name', 'Again'], env);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain('already exists');
      const badSlug = await causette(['tenant', 'create', '--slug', 'Not A Slug', '--name', 'X'], env);
      expect(badSlug.code).toBe(1);
      expect(badSlug.stderr).toContain('not a valid slug');
      const unknown = await causette(['apikey', 'create', '--tenant', 'nobody'], env);
      expect(unknown).toMatchObject({ code: 1 });
      expect(unknown.stderr).toContain('No tenant has the slug "nobody"');
      const missing = await causette(['tenant', 'create', '--slug', 'x'], env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('needs --slug and --name');
      const badConfig = await causette(['migrate'], { ...env, PORT: 'eighty', LOG_LEVEL: 'loud' });
      expect(badConfig.code).toBe(2);
      expect(badConfig.stderr).toContain('PORT must be a whole number');
      expect(badConfig.stderr).toContain('LOG_LEVEL must be one of');
      const unknownCommand = await causette(['frobnicate'], env);
      expect(unknownCommand.code).toBe(2);
      expect(unknownCommand.stderr).toContain('Usage: causette');
      for (const run of [taken, badSlug, unknown, missing, badConfig, unknownCommand]) {
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    },
    SLOW,
  );

  it(
    'goes through the running server, refuses what would touch its files, and stops gracefully on SIGTERM',
    async () => {
      const env = { CAUSETTE_DATA_DIR: dataDir };
      const { child, url } = await startServerProcess(env);
      try {
        const tenant = await causette(['tenant', 'create', '--slug', 'live', '--name', 'Live Shop'], env);
        expect(tenant).toMatchObject({ code: 0 });
        const key = (await causette(['apikey', 'create', '--tenant', 'live'], env)).stdout.match(
          keyPattern,
        )?.[0];
        expect(key).toBeDefined();
        const me = await fetch(`${url}/api/v1/tenant`, { headers: { authorization: `Bearer ${key}` } });
        expect(await me.json()).toMatchObject({ slug: 'live', name: 'Live Shop' });

        const migrate = await causette(['migrate'], env);
        expect(migrate.code).toBe(1);
        expect(migrate.stderr).toMatch(/in use by another Causette process \(pid \d+\)/);

        const { visitor } = await TestVisitor.greet(url.replace(/^http/, 'ws'), 'live');
        const bye = visitor.next('bye');
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect((await bye).reason).toBe('shutdown');
        await visitor.closed();
        expect(visitor.closeCode).toBe(1001);
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      // The lock and the control socket are gone; the data is there for the next start.
      expect(existsSync(join(dataDir, 'causette.pid'))).toBe(false);
      expect(existsSync(join(dataDir, 'control.sock'))).toBe(false);
      const again = await causette(['apikey', 'create', '--tenant', 'live'], env);
      expect(again.code).toBe(0);
    },
    SLOW,
  );
});

const url = process.env['TEST_DATABASE_URL'];
describe.runIf(url)('with a real Postgres', () => {
  const name = `causette_test_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string;
  beforeAll(async () => {
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const target = new URL(url!);
    target.pathname = `/${name}`;
    databaseUrl = target.toString();
  });
  afterAll(async () => {
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`drop role if exists ${name}_app`);
    await admin.end();
  }, SLOW);

  it(
    'migrates, then creates a tenant and a key directly in the database',
    async () => {
      // A role of this database's own: roles belong to the whole cluster.
      const env = {
        DATABASE_URL: databaseUrl,
        CAUSETTE_SECRET: 'x'.repeat(32),
        CAUSETTE_APP_ROLE: `${name}_app`,
      };
      expect((await causette(['migrate'], env)).stdout).toContain(
        `Migrations are up to date; the server connects as the role ${name}_app.`,
      );
      expect((await causette(['tenant', 'create', '--slug', 'pg-shop', '--name', 'PG Shop'], env)).code).toBe(
        0,
      );
      expect((await causette(['apikey', 'create', '--tenant', 'pg-shop'], env)).stdout).toMatch(keyPattern);
      const noSecret = await causette(['migrate'], { DATABASE_URL: databaseUrl });
      expect(noSecret.code).toBe(2);
      expect(noSecret.stderr).toContain('CAUSETTE_SECRET is required with DATABASE_URL');
    },
    SLOW,
  );
});
