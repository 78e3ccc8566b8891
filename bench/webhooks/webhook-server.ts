/**
 * The server under test, in its own process: the real `startServer` on a real Postgres, with
 * Meta webhooks on and the Graph API pointed at the benchmark's stand-in. It seeds one tenant with
 * a few WhatsApp numbers and an FAQ, then answers the parent's commands over IPC.
 */

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connectAccount } from '../../bot/channels/meta/social-account-store.ts';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer } from '../../server/main.ts';

const phoneIds = (process.env['BENCH_PHONE_IDS'] ?? '').split(',').filter(Boolean);

const server = await startServer(loadConfig(process.env), {
  prepare: async (database) => {
    const tenant = await createTenant(database.db, { slug: 'bench', name: 'Bench Boutique' });
    await withTenant(database.db, tenant.id, async (tx) => {
      await createFaqEntry(tx, tenant.id, {
        lang: 'en',
        question: 'How long does delivery take?',
        answer: 'Delivery takes 3 to 5 business days in France.',
      });
    });
    process.env['BENCH_TENANT_ID'] = tenant.id;
  },
});
const tenantId = process.env['BENCH_TENANT_ID'] ?? '';
await withTenant(server.database.db, tenantId, async (tx) => {
  for (const accountId of phoneIds) {
    await connectAccount(tx, tenantId, server.meta.cipher, {
      platform: 'whatsapp',
      accountId,
      token: `EAAGbench${accountId}token`,
      graphApi: 'facebook',
    });
  }
});

// How long the server's thread kept callbacks waiting, since the parent last asked: tells a round
// whose acknowledgements waited on this process from one whose waited elsewhere (Postgres, the
// shared cores).
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

process.on('message', (command: unknown) => {
  if (command === 'loop') {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    process.send?.({ loop: { p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) } });
    loopDelay.reset();
  } else if (command === 'drain') {
    void server.meta.drain().then(() => process.send?.({ drained: true }));
  } else if (command === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ ready: server.url });
