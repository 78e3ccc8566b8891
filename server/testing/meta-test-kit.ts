import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { signHubBody } from '../../bot/channels/meta/hub-signature.ts';
import { connectAccount, type MetaPlatform } from '../../bot/channels/meta/social-account-store.ts';
import type { Logger } from '../../bot/logger.ts';
import type { Responder } from '../../bot/responder.ts';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { GraphStandIn } from '../../bot/testing/graph-stand-in.ts';
import type { Database, Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { TestDatabase } from '../../db/testing/test-database.ts';
import type { MetaConfig } from '../config.ts';
import { startTestApp, TEST_META_CONFIG, type TestApp } from './test-app.ts';

export const WHATSAPP_PHONE_ID = '1122334455667';
export const INSTAGRAM_ACCOUNT_ID = '17841405822304914';
export const TEST_TOKEN = 'EAAGtestTOKENwhichMUSTneverLEAK0123456789';

const fixturesDir = fileURLToPath(new URL('../../bot/channels/meta/whatsapp/fixtures/', import.meta.url));

export function whatsappFixture(name: string): Promise<string> {
  return readFile(`${fixturesDir}${name}`, 'utf8');
}

/** A settable clock: tests move time forward instead of waiting for it. */
export class TestClock {
  constructor(public current = new Date()) {}
  now = () => new Date(this.current.getTime());
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface MetaTestKit {
  server: TestApp;
  graph: GraphStandIn;
  clock: TestClock;
  shop: { id: string };
  /** Posts a body as Meta would: signed over the exact bytes unless told otherwise. */
  post(
    platform: MetaPlatform,
    body: string | Buffer | object,
    options?: { signature?: string | null; secret?: string; contentType?: string },
  ): Promise<Response>;
  connect(tenantId: string, platform: MetaPlatform, accountId: string, token?: string): Promise<void>;
  /** Forgets every conversation and delivery, keeping tenants and accounts (one app, many cases). */
  clearConversations(): Promise<void>;
  close(): Promise<void>;
}

/** The app with webhooks on, a stand-in Graph API, a settable clock and one tenant. */
export async function startMetaTestKit(
  testDb: TestDatabase,
  options: {
    meta?: Partial<MetaConfig>;
    responder?: Responder;
    log?: Logger;
    secret?: string;
    graph?: GraphStandIn;
    clock?: TestClock;
    connect?: boolean;
    /** A second app on the same database: reuse the first one's tenant instead of creating it. */
    reuseTenant?: { id: string };
    /** Overrides whether webhooks count as arriving (processing and the outbox's database work then go one at a time). */
    underPressure?: () => boolean;
    /** The database handle the outbox sender uses (to observe its transactions). */
    senderDb?: Db;
  } = {},
): Promise<MetaTestKit> {
  const graph = options.graph ?? (await GraphStandIn.start());
  const clock = options.clock ?? new TestClock();
  const pressure = options.underPressure ? { underPressure: options.underPressure } : {};
  const database = testDb.database;
  const server = await startTestApp(database, {
    meta: { graphUrl: graph.url, instagramGraphUrl: graph.url, ...options.meta },
    responder: options.responder,
    log: options.log,
    secret: options.secret,
    // Background timers stay out of the way: tests drive the work with meta.drain().
    metaOverrides: {
      now: clock.now,
      processor: { pollMs: 3_600_000, ...pressure },
      sender: {
        pollMs: 3_600_000,
        random: () => 0.5,
        ...pressure,
        ...(options.senderDb ? { db: options.senderDb } : {}),
      },
    },
  });
  const secrets = { ...TEST_META_CONFIG, ...options.meta };
  const db = database.db;
  let closing: Promise<void> | undefined;
  const shop = options.reuseTenant ?? (await createTenant(db, { slug: 'shop', name: 'The Shop' }));
  const connect = async (tenantId: string, platform: MetaPlatform, accountId: string, token = TEST_TOKEN) => {
    await withTenant(db, tenantId, (tx) =>
      connectAccount(tx, tenantId, server.meta.cipher, {
        platform,
        accountId,
        token,
        graphApi: 'facebook',
      }),
    );
  };
  if (options.connect !== false) {
    await connect(shop.id, 'whatsapp', WHATSAPP_PHONE_ID);
    await connect(shop.id, 'instagram', INSTAGRAM_ACCOUNT_ID);
  }
  return {
    server,
    graph,
    clock,
    shop,
    connect,
    async post(platform, body, postOptions = {}) {
      const raw =
        typeof body === 'string' || Buffer.isBuffer(body)
          ? Buffer.from(body)
          : Buffer.from(JSON.stringify(body));
      const secret =
        postOptions.secret ??
        (platform === 'instagram' ? (secrets.instagramAppSecret ?? secrets.appSecret) : secrets.appSecret) ??
        '';
      const signature =
        postOptions.signature === undefined ? signHubBody(raw, secret) : postOptions.signature;
      return fetch(`${server.url}/webhooks/${platform}`, {
        method: 'POST',
        headers: {
          'content-type': postOptions.contentType ?? 'application/json',
          ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
        },
        body: raw,
      });
    },
    async clearConversations() {
      await testDb.asOwner(async (owner) => {
        await owner.execute(sql`delete from webhook_events`);
        await owner.execute(sql`delete from conversations`);
      });
      graph.calls.length = 0;
    },
    close() {
      closing ??= (async () => {
        await server.close();
        if (!options.graph) await graph.close();
      })();
      return closing;
    },
  };
}

/**
 * An operator's reply, the way the human takeover feature sends one: stored as an `agent`
 * message and queued in the same transaction.
 */
export async function replyAsOperator(
  kit: MetaTestKit,
  database: Database,
  conversationId: string,
  text: string,
) {
  const { appendMessage, getConversation } = await import('../../bot/conversation/conversation-store.ts');
  const stored = await withTenant(database.db, kit.shop.id, async (tx) => {
    const conversation = await getConversation(tx, conversationId);
    if (!conversation) throw new Error('no such conversation');
    const { message } = await appendMessage(tx, {
      tenantId: kit.shop.id,
      conversationId,
      role: 'agent',
      content: text,
    });
    await kit.server.meta.outbox.enqueue(tx, conversation, message);
    return message;
  });
  kit.server.meta.outbox.afterCommit?.();
  return stored;
}

export function whatsappTextPayload(clock: TestClock, id: string, body: string, from = '33612345678') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA_ID',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: WHATSAPP_PHONE_ID },
              contacts: [{ profile: { name: 'Marie' }, wa_id: from }],
              messages: [
                {
                  from,
                  id,
                  timestamp: String(Math.floor(clock.now().getTime() / 1000)),
                  type: 'text',
                  text: { body },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

export function instagramPayload(
  clock: TestClock,
  message: Record<string, unknown>,
  options: { from?: string; echo?: boolean; kind?: string } = {},
) {
  const customer = options.from ?? '6543210987654321';
  const echo = options.echo === true;
  return {
    object: 'instagram',
    entry: [
      {
        id: INSTAGRAM_ACCOUNT_ID,
        time: clock.now().getTime(),
        messaging: [
          {
            sender: { id: echo ? INSTAGRAM_ACCOUNT_ID : customer },
            recipient: { id: echo ? customer : INSTAGRAM_ACCOUNT_ID },
            timestamp: clock.now().getTime(),
            [options.kind ?? 'message']: echo ? { ...message, is_echo: true } : message,
          },
        ],
      },
    ],
  };
}
