/**
 * The server under test, in its own process: the real `startServer` on a real Postgres, with
 * Meta webhooks on and the Graph API pointed at the benchmark's stand-in. It seeds one tenant with
 * a few WhatsApp numbers and an FAQ, then answers the parent's commands over IPC.
 */

import { connectAccount } from '../../bot/channels/meta/social-account-store.ts';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { withTenant } from '../../migrations/tenant-scope.ts';
import { loadConfig } from '../config.ts';
import { startServer } from '../main.ts';

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

process.on('message', (command: unknown) => {
  if (command === 'drain') {
    void server.meta.drain().then(() => process.send?.({ drained: true }));
  } else if (command === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ ready: server.url });
