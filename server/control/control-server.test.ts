import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.ts';
import { createTenant, findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { type ProgressSnapshot, resultOf } from '../admin-commands/admin-commands.ts';
import { type CommandServices, openCommandServices } from '../services/create-services.ts';
import { testConfig } from '../testing/test-app.ts';
import { sendControlCommand } from './control-client.ts';
import { type ControlServer, startControlServer } from './control-server.ts';
import { controlSocketPath } from './control-socket-path.ts';

let testDb: TestDatabase;
let services: CommandServices;
let control: ControlServer;
let dir: string;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'causette-control-'));
  testDb = await createTestDatabase();
  services = await openCommandServices(testConfig(dir, {}), { database: testDb.database });
  await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' });
  control = (await startControlServer({ dataDir: dir, log: silentLogger, context: services }))!;
  path = controlSocketPath(dir)!;
}, 60_000);
afterAll(async () => {
  await control.close();
  await services.close();
  await testDb.destroy();
  await rm(dir, { recursive: true, force: true });
});

/** Writes one raw line to the socket and returns every line the server answers. */
function exchange(line: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () =>
      resolve(
        text
          .trim()
          .split('\n')
          .map((answer) => JSON.parse(answer)),
      ),
    );
  });
}

describe('the control socket', () => {
  it('runs a command, streaming its progress, and answers a result its schema accepts', async () => {
    const file = join(dir, 'delivery.md');
    await writeFile(file, '# Delivery\n\nDelivery takes 3 to 5 days in France.\n');
    const progress: ProgressSnapshot[] = [];
    const answer = await sendControlCommand(
      path,
      { name: 'documents.add', tenant: 'shop', path: file },
      { onProgress: (snapshot) => progress.push(snapshot) },
    );
    expect(answer.ok).toBe(true);
    expect(answer.ok && resultOf('documents.add', answer.result)).toEqual({
      filename: 'delivery.md',
      status: 'succeeded',
      error: null,
      chunks: 1,
    });
    expect(progress.at(-1)).toMatchObject({ chunksTotal: 1, chunksIndexed: 1 });
  });

  it("passes a command's refusal on as its answer", async () => {
    expect(await sendControlCommand(path, { name: 'account.list', tenant: 'nobody' })).toEqual({
      ok: false,
      error: 'No tenant has the slug "nobody"',
    });
  });

  it('refuses what is not a command it knows, and runs nothing', async () => {
    expect(await exchange('{"command":')).toEqual([{ ok: false, error: 'not JSON' }]);
    for (const request of [
      { command: { name: 'tenant.drop', slug: 'shop' }, progress: false },
      { command: { name: 'tenant.create', slug: 'x' }, progress: false },
      { name: 'tenant.create', slug: 'flat', displayName: 'The old shape' },
    ]) {
      expect(await exchange(JSON.stringify(request))).toEqual([
        { ok: false, error: 'unknown or malformed command' },
      ]);
    }
    expect(await findTenantIdBySlug(testDb.database.db, 'flat')).toBeUndefined();
  });

  it('does not take a result that its schema refuses for one', () => {
    expect(() => resultOf('tenant.create', { id: 42, slug: 'shop' })).toThrow(/not understood/);
  });
});
