import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenContext } from '../../../bot/channels/meta/social-account-store.ts';
import { createTenant } from '../../../bot/tenants/tenant-store.ts';
import { GRAPH_ERRORS, GraphStandIn } from '../../../bot/testing/graph-stand-in.ts';
import { createTestDatabase, type TestDatabase } from '../../../db/testing/test-database.ts';
import { socialAccounts } from '../../../migrations/schema/index.ts';
import { createApiKey } from '../../auth/api-keys.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';

let testDb: TestDatabase;
let graph: GraphStandIn;
let server: TestApp;
let logged: string;
let key: string;
let otherKey: string;

const TOKEN = 'EAAGsecretTOKENforTHEadminAPI0123456789';

beforeAll(async () => {
  testDb = await createTestDatabase();
  graph = await GraphStandIn.start();
});
afterAll(async () => {
  await graph.close();
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  graph.calls.length = 0;
  logged = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  server = await startTestApp(testDb.database, {
    meta: { graphUrl: graph.url, instagramGraphUrl: graph.url },
    appLog: pino({ level: 'trace' }, sink),
  });
  const shop = await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' });
  const other = await createTenant(testDb.database.db, { slug: 'other', name: 'Other' });
  key = (await createApiKey(testDb.database.db, shop.id, 'test')).key;
  otherKey = (await createApiKey(testDb.database.db, other.id, 'test')).key;
});
afterEach(async () => {
  await server.close();
});

function api(method: string, path: string, body?: unknown, apiKey = key) {
  return fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
}

describe('/api/v1/social-accounts', () => {
  it('connects a WhatsApp number after checking it with Meta, storing the token encrypted only', async () => {
    graph.profiles.set('1122334455667', { display_phone_number: '+33 1 23 45 67 89', verified_name: 'Shop' });
    const response = await api('POST', '/social-accounts', {
      platform: 'whatsapp',
      accountId: '1122334455667',
      token: TOKEN,
    });
    expect(response.status).toBe(201);
    const account = await response.json();
    expect(account).toMatchObject({
      platform: 'whatsapp',
      accountId: '1122334455667',
      accountUsername: '+33 1 23 45 67 89',
    });
    expect(JSON.stringify(account)).not.toContain(TOKEN);
    expect(graph.calls[0]).toMatchObject({
      method: 'GET',
      path: '/1122334455667',
      authorization: `Bearer ${TOKEN}`,
    });

    const [row] = await testDb.asOwner((owner) => owner.select().from(socialAccounts));
    expect(row?.accessToken).not.toContain(TOKEN);
    expect(row?.accessToken?.startsWith('v1.')).toBe(true);
    expect(server.meta.cipher.decrypt(row!.accessToken!, tokenContext('whatsapp', '1122334455667'))).toBe(
      TOKEN,
    );

    const list = await (await api('GET', '/social-accounts')).json();
    expect(list.items).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain('v1.');
    expect(logged).toContain('social account connected');
    expect(logged).not.toContain(TOKEN);
  });

  it('replaces the token when connected again, and refuses another tenant the same account', async () => {
    const body = {
      platform: 'instagram',
      accountId: '17841405822304914',
      token: 'IGQVJsecret-instagram-login-token',
      verify: false,
    };
    const first = await api('POST', '/social-accounts', body);
    expect(first.status).toBe(201);
    expect((await first.json()).graphApi).toBe('instagram');
    expect(
      (await api('POST', '/social-accounts', { ...body, token: 'IGQVJanother-token-0123' })).status,
    ).toBe(200);
    const taken = await api('POST', '/social-accounts', body, otherKey);
    expect(taken.status).toBe(409);
    expect((await taken.json()).code).toBe('CAUSETTE_ERR_ACCOUNT_TAKEN');
    expect((await (await api('GET', '/social-accounts', undefined, otherKey)).json()).items).toEqual([]);
  });

  it('refuses a token Meta rejects, with the reason and nothing stored', async () => {
    graph.failNext(GRAPH_ERRORS.tokenExpired);
    const response = await api('POST', '/social-accounts', {
      platform: 'whatsapp',
      accountId: '42',
      token: TOKEN,
    });
    expect(response.status).toBe(422);
    expect((await response.json()).message).toContain('Session has expired');
    expect(await testDb.asOwner((owner) => owner.select().from(socialAccounts))).toEqual([]);
    expect(logged).not.toContain(TOKEN);
  });

  it('disconnects an account of its own tenant only', async () => {
    const created = await (
      await api('POST', '/social-accounts', {
        platform: 'whatsapp',
        accountId: '42',
        token: TOKEN,
        verify: false,
      })
    ).json();
    expect((await api('DELETE', `/social-accounts/${created.id}`, undefined, otherKey)).status).toBe(404);
    expect((await api('DELETE', `/social-accounts/${created.id}`)).status).toBe(204);
    expect(await testDb.asOwner((owner) => owner.select().from(socialAccounts))).toEqual([]);
  });

  it('validates what it is given', async () => {
    const bad = await api('POST', '/social-accounts', {
      platform: 'messenger',
      accountId: 'abc',
      token: 'x',
    });
    expect(bad.status).toBe(400);
  });
});

describe('/api/v1/channel-settings', () => {
  it('defaults, then keeps the WhatsApp template of the tenant', async () => {
    expect(await (await api('GET', '/channel-settings')).json()).toEqual({
      whatsappTemplateName: null,
      whatsappTemplateLanguage: null,
      whatsappTemplateTextParameter: false,
      instagramHumanAgent: true,
    });
    const patched = await api('PATCH', '/channel-settings', {
      whatsappTemplateName: 'follow_up',
      whatsappTemplateLanguage: 'fr',
      whatsappTemplateTextParameter: true,
    });
    expect(patched.status).toBe(200);
    expect(await (await api('GET', '/channel-settings')).json()).toMatchObject({
      whatsappTemplateName: 'follow_up',
    });
    expect(await (await api('GET', '/channel-settings', undefined, otherKey)).json()).toMatchObject({
      whatsappTemplateName: null,
    });
    expect((await api('PATCH', '/channel-settings', { whatsappTemplateName: 'Bad Name!' })).status).toBe(400);
  });
});
