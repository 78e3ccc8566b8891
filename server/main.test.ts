import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { messagesAfter } from '../bot/conversation/conversation-store.ts';
import type { Responder } from '../bot/responder.ts';
import { createTenant } from '../bot/tenants/tenant-store.ts';
import { openDatabase } from '../db/database.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { loadConfig } from './config.ts';
import { startServer } from './main.ts';
import { reopenDataDir } from './testing/reopen-data-dir.ts';
import { TestVisitor } from './testing/test-visitor.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

it('finishes the answer in progress when it shuts down, and keeps it for the next start', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-shutdown-'));
  dirs.push(dataDir);
  let started!: () => void;
  const answering = new Promise<void>((resolve) => {
    started = resolve;
  });
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const slow: Responder = {
    async respond() {
      started();
      await finished;
      return { text: 'worth the wait', citations: [], metadata: {} };
    },
  };
  let tenantId = '';
  const server = await startServer(
    loadConfig({ PORT: '0', CAUSETTE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    {
      responder: slow,
      prepare: async (database) => {
        tenantId = (await createTenant(database.db, { slug: 'slow', name: 'Slow' })).id;
      },
    },
  );
  const { visitor, welcome } = await TestVisitor.greet(server.url.replace(/^http/, 'ws'), 'slow');
  const ack = visitor.next('ack');
  visitor.send({ type: 'message', clientId: 'm1', text: 'take your time' });
  await ack;
  await answering;

  const bye = visitor.next('bye');
  const closing = server.close();
  await bye;
  finish();
  await closing;

  const reopened = await reopenDataDir(dataDir);
  const messages = await withTenant(reopened.db, tenantId, (tx) =>
    messagesAfter(tx, welcome.conversationId, 0, 10),
  );
  await reopened.close();
  expect(messages.map((m) => [m.role, m.content])).toEqual([
    ['user', 'take your time'],
    ['assistant', 'worth the wait'],
  ]);
}, 120_000);

it('closes what it opened when it cannot start, leaving the data directory free', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-taken-port-'));
  dirs.push(dataDir);
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const address = squatter.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: String(port),
      CAUSETTE_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    await expect(startServer(config)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
  }
  // The database was closed and its lock released: another process (here, this one) may open it.
  const reopened = await openDatabase({ driver: 'pglite', dataDir });
  await reopened.close();
}, 120_000);
