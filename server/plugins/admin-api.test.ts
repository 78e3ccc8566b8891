import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { TestVisitor } from '../testing/test-visitor.ts';

let testDb: TestDatabase;
let server: TestApp;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  const db = testDb.database.db;
  const a = await createTenant(db, { slug: 'tenant-a', name: 'Tenant A' });
  const b = await createTenant(db, { slug: 'tenant-b', name: 'Tenant B' });
  keyA = (await createApiKey(db, a.id, 'a')).key;
  keyB = (await createApiKey(db, b.id, 'b')).key;
  server = await startTestApp(testDb.database);
});
afterEach(async () => {
  await server.close();
});

async function api(method: string, path: string, key: string | undefined, body?: unknown) {
  const response = await server.app.inject({
    method: method as 'GET',
    url: `/api/v1${path}`,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

describe('authentication', () => {
  it.each([
    ['no header', undefined],
    ['a malformed key', 'not-a-key'],
    ['an unknown key', `cst_${'A'.repeat(43)}`],
  ])('refuses %s with 401 and a code', async (_name, key) => {
    const response = await api('GET', '/tenant', key);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'CAUSETTE_ERR_UNAUTHORIZED', statusCode: 401 });
  });

  it('refuses a key sent without the Bearer scheme', async () => {
    const response = await server.app.inject({ url: '/api/v1/tenant', headers: { authorization: keyA } });
    expect(response.statusCode).toBe(401);
  });
});

describe('tenant, widget and business profile', () => {
  it('reads and updates the tenant', async () => {
    expect((await api('GET', '/tenant', keyA)).body).toMatchObject({ slug: 'tenant-a', name: 'Tenant A' });
    const updated = await api('PATCH', '/tenant', keyA, { name: 'Renamed', websiteUrl: 'https://a.example' });
    expect(updated).toMatchObject({
      status: 200,
      body: { name: 'Renamed', websiteUrl: 'https://a.example' },
    });
    expect((await api('GET', '/tenant', keyB)).body).toMatchObject({ name: 'Tenant B' });
  });

  it('never returns fields outside the response schema', async () => {
    const tenant = (await api('GET', '/tenant', keyA)).body as Record<string, unknown>;
    expect(Object.keys(tenant).sort()).toEqual([
      'contactEmail',
      'createdAt',
      'id',
      'name',
      'slug',
      'updatedAt',
      'websiteUrl',
    ]);
  });

  it('updates the widget configuration, which the public widget endpoint then serves', async () => {
    const patched = await api('PATCH', '/widget-config', keyA, {
      primaryColor: '#112233',
      position: 'left',
      greeting: 'Salut !',
      language: 'fr',
      allowedOrigins: ['https://a.example'],
    });
    expect(patched).toMatchObject({ status: 200, body: { primaryColor: '#112233', position: 'left' } });
    const config = await server.app.inject({ url: '/widget/config/tenant-a' });
    // The greeting's language goes with it, so the widget greets a visitor of the other language in theirs.
    expect(config.json()).toMatchObject({
      name: 'Tenant A',
      primaryColor: '#112233',
      greeting: 'Salut !',
      greetingLang: 'fr',
    });
    expect(config.json()).not.toHaveProperty('allowedOrigins');
    expect(config.headers['cache-control']).toMatch(/max-age=60/);
  });

  it.each([
    [{ primaryColor: 'red' }],
    [{ position: 'top' }],
    [{ language: 'de' }],
    [{ allowedOrigins: ['javascript:alert(1)'] }],
    [{ unknownField: true }],
  ])('refuses an invalid widget configuration %j with 400', async (body) => {
    const response = await api('PATCH', '/widget-config', keyA, body);
    expect(response.status).toBe(400);
    expect(response.body).toHaveProperty('message');
  });

  it('updates the business profile', async () => {
    const patched = await api('PATCH', '/business-profile', keyA, {
      openingHours: { tue: [['10:00', '19:00']] },
      escalationEmail: 'boss@a.example',
      calcomUrl: 'https://cal.com/a/15min',
    });
    expect(patched).toMatchObject({ status: 200, body: { openingHours: { tue: [['10:00', '19:00']] } } });
    expect((await api('PATCH', '/business-profile', keyA, { escalationEmail: 'nope' })).status).toBe(400);
    expect((await api('PATCH', '/business-profile', keyA, { openingHours: { funday: [] } })).status).toBe(
      400,
    );
  });
});

describe('FAQ entries', () => {
  it('creates, lists and deletes entries; each one is knowledge at once', async () => {
    const created = await api('POST', '/faq', keyA, {
      question: 'Livrez-vous en Suisse ?',
      answer: 'Oui, la livraison en Suisse prend 5 à 8 jours.',
      lang: 'fr',
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await api('GET', '/faq', keyA)).body).toMatchObject({ items: [{ id, lang: 'fr' }] });
    expect((await api('GET', '/faq', keyB)).body).toEqual({ items: [] });

    const { visitor } = await TestVisitor.greet(server.wsUrl, 'tenant-a');
    expect((await visitor.ask('Vous livrez en Suisse ?')).reply.text).toContain('5 à 8 jours');
    expect((await api('DELETE', `/faq/${id}`, keyA)).status).toBe(204);
    expect((await visitor.ask('Vous livrez en Suisse ?')).reply.text).not.toContain('5 à 8 jours');
    await visitor.close();
  });

  it("cannot delete another tenant's entry", async () => {
    const created = await api('POST', '/faq', keyA, {
      question: 'Question ?',
      answer: 'Réponse.',
      lang: 'fr',
    });
    const id = (created.body as { id: string }).id;
    expect((await api('DELETE', `/faq/${id}`, keyB)).status).toBe(404);
    expect((await api('GET', '/faq', keyA)).body).toMatchObject({ items: [{ id }] });
  });

  it.each([
    [{ question: 'Q?', answer: 'A', lang: 'fr' }],
    [{ question: 'Question ?', answer: 'A', lang: 'es' }],
    [{ question: 'Question ?', lang: 'fr' }],
  ])('refuses an invalid entry %j with 400 and stores nothing', async (body) => {
    expect((await api('POST', '/faq', keyA, body)).status).toBe(400);
    expect((await api('GET', '/faq', keyA)).body).toEqual({ items: [] });
  });

  it('refuses a malformed id and a malformed body', async () => {
    expect((await api('DELETE', '/faq/not-a-uuid', keyA)).status).toBe(400);
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/faq',
      headers: { authorization: `Bearer ${keyA}`, 'content-type': 'application/json' },
      payload: '{"question": ',
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('conversations', () => {
  it("lists the tenant's conversations with their messages, and only its own", async () => {
    const alice = await TestVisitor.greet(server.wsUrl, 'tenant-a');
    await alice.visitor.ask('Bonjour');
    await alice.visitor.close();
    const bob = await TestVisitor.greet(server.wsUrl, 'tenant-b');
    await bob.visitor.ask('Hello');
    await bob.visitor.close();

    const list = await api('GET', '/conversations', keyA);
    expect(list.body).toMatchObject({
      items: [{ id: alice.welcome.conversationId, channel: 'widget' }],
      nextCursor: null,
    });
    const detail = await api('GET', `/conversations/${alice.welcome.conversationId}`, keyA);
    expect(
      (detail.body as { messages: { seq: number; role: string }[] }).messages.map((m) => [m.seq, m.role]),
    ).toEqual([
      [1, 'user'],
      [2, 'assistant'],
    ]);
    expect((await api('GET', `/conversations/${bob.welcome.conversationId}`, keyA)).status).toBe(404);
  });

  it('pages through conversations with a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      const { visitor } = await TestVisitor.greet(server.wsUrl, 'tenant-a');
      await visitor.ask('Bonjour');
      await visitor.close();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api('GET', `/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`, keyA);
      const body = page.body as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await api('GET', '/conversations?cursor=garbage', keyA)).status).toBe(400);
  });
});
