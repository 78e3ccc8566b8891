import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../../bot/tenants/tenant-store.ts';
import { createTestDatabase, type TestDatabase } from '../../../db/testing/test-database.ts';
import { createApiKey } from '../../auth/api-keys.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestVisitor } from '../../testing/test-visitor.ts';

let testDb: TestDatabase;
let server: TestApp;
let shopKey: string;
let otherKey: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.database.db;
  const shop = await createTenant(db, { slug: 'shop', name: 'The Shop' });
  const other = await createTenant(db, { slug: 'other', name: 'Other' });
  shopKey = (await createApiKey(db, shop.id, 'test')).key;
  otherKey = (await createApiKey(db, other.id, 'test')).key;
  server = await startTestApp(testDb.database);
});
afterAll(async () => {
  await server?.close();
  await testDb?.destroy();
});

async function api(method: string, path: string, key: string, body?: unknown) {
  const response = await server.app.inject({
    method: method as 'GET',
    url: `/api/v1${path}`,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

describe("an FAQ entry's other wordings of its question", () => {
  it("lets the bot find the entry when a customer asks it in an operator's linked wording", async () => {
    const created = await api('POST', '/faq', shopKey, {
      question: 'Proposez-vous un service de retouches ?',
      answer: 'Oui, les ourlets sont faits en boutique sous 48 h.',
      lang: 'fr',
    });
    const id = (created.body as { id: string }).id;
    expect(created.body).toMatchObject({ alternativeQuestions: [] });
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const wording = 'mon jean est trop long, vous pouvez le raccourcir ?';
    expect((await visitor.ask(wording)).reply.text).not.toContain('48 h');

    const linked = await api('POST', `/faq/${id}/alternatives`, shopKey, { question: wording });
    expect(linked).toMatchObject({ status: 200, body: { id, alternativeQuestions: [wording] } });
    expect((await visitor.ask(wording)).reply.text).toContain('48 h');

    // Added once, whatever its case; the question itself is never one of its alternatives.
    await api('POST', `/faq/${id}/alternatives`, shopKey, { question: wording.toUpperCase() });
    const replaced = await api('PUT', `/faq/${id}/alternatives`, shopKey, {
      questions: ['Proposez-vous un service de retouches ?', 'faites-vous les ourlets ?'],
    });
    expect(replaced.body).toMatchObject({ alternativeQuestions: ['faites-vous les ourlets ?'] });
    expect((await visitor.ask(wording)).reply.text).not.toContain('48 h');
    await visitor.close();
  });

  it("refuses another tenant's entry, a malformed id and an invalid wording, changing nothing", async () => {
    const created = await api('POST', '/faq', shopKey, {
      question: 'Livrez-vous le dimanche ?',
      answer: 'Non.',
      lang: 'fr',
      alternativeQuestions: ['livraison le dimanche ?'],
    });
    const id = (created.body as { id: string }).id;
    expect(created.body).toMatchObject({ alternativeQuestions: ['livraison le dimanche ?'] });
    expect((await api('POST', `/faq/${id}/alternatives`, otherKey, { question: 'une autre ?' })).status).toBe(
      404,
    );
    expect((await api('POST', '/faq/nope/alternatives', shopKey, { question: 'une autre ?' })).status).toBe(
      400,
    );
    expect((await api('POST', `/faq/${id}/alternatives`, shopKey, { question: 'x' })).status).toBe(400);
    const tooMany = Array.from({ length: 51 }, (_, i) => `question ${i} ?`);
    expect((await api('PUT', `/faq/${id}/alternatives`, shopKey, { questions: tooMany })).status).toBe(400);
    const listed = (await api('GET', '/faq', shopKey)).body as { items: { id: string }[] };
    expect(listed.items.find((item) => item.id === id)).toMatchObject({
      alternativeQuestions: ['livraison le dimanche ?'],
    });
  });
});

describe('limits on intents', () => {
  it('refuses intents past the examples a tenant may train on, with a coded error, and keeps none of them', async () => {
    const examples = (n: number) =>
      Array.from({ length: 500 }, (_, i) => ({ text: `exemple ${n} ${i}`, lang: 'fr' }));
    const names = Array.from({ length: 10 }, (_, n) => `own_intent_${n}`);
    const statuses: number[] = [];
    for (const [n, name] of names.entries()) {
      statuses.push((await api('PUT', `/intents/${name}`, shopKey, { examples: examples(n) })).status);
    }
    // 280 built-in examples and 500 per intent: the tenth crosses 5,000.
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(200));
    const refused = await api('PUT', `/intents/${names[9]}`, shopKey, { examples: examples(9) });
    expect(refused).toMatchObject({ status: 422, body: { code: 'CAUSETTE_ERR_INTENT_LIMIT' } });
    const listed = (await api('GET', '/intents', shopKey)).body as { items: { name: string }[] };
    expect(listed.items.map((i) => i.name)).not.toContain(names[9]);
    expect(listed.items.map((i) => i.name)).toContain(names[8]);
  });
});
