import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Responder } from '../../../bot/responder.ts';
import { createTenant, updateBusinessProfile } from '../../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../../db/testing/test-database.ts';
import { createFaqEntry } from '../../../knowledge/faq/faq-store.ts';
import {
  conversationMessages,
  conversations,
  escalations,
  notifications,
} from '../../../migrations/schema/index.ts';
import { createApiKey } from '../../auth/api-keys.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestVisitor } from '../../testing/test-visitor.ts';

let testDb: TestDatabase;
let server: TestApp;
let shop: { id: string };
let shopKey: string;
let otherKey: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});

beforeEach(async () => {
  await testDb.reset();
  const db = testDb.database.db;
  shop = await createTenant(db, { slug: 'shop', name: 'The Shop' });
  const other = await createTenant(db, { slug: 'other', name: 'Other' });
  shopKey = (await createApiKey(db, shop.id, 'test')).key;
  otherKey = (await createApiKey(db, other.id, 'test')).key;
  await withTenant(db, shop.id, async (tx) => {
    await createFaqEntry(tx, shop.id, {
      lang: 'fr',
      question: 'Quels sont les délais de livraison ?',
      answer: 'La livraison prend 3 à 5 jours ouvrés.',
    });
    await updateBusinessProfile(tx, shop.id, {
      escalationEmail: 'support@shop.example',
      timezone: 'Europe/Paris',
    });
  });
});
afterEach(async () => {
  await server?.close();
});

function api(method: string, path: string, body?: unknown, key = shopKey) {
  return server.app.inject({
    method: method as 'GET',
    url: `/api/v1${path}`,
    headers: { authorization: `Bearer ${key}` },
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
}

async function storedRoles(conversationId: string) {
  const rows = await withTenant(testDb.database.db, shop.id, (tx) =>
    tx
      .select()
      .from(conversationMessages)
      .where(eq(conversationMessages.conversationId, conversationId))
      .orderBy(asc(conversationMessages.seq)),
  );
  return rows.map((row) => row.role);
}

describe('escalation and human takeover', () => {
  it('hands over on request, keeps the bot silent, lets a human take, reply and resolve', async () => {
    server = await startTestApp(testDb.database);
    const { visitor, welcome } = await TestVisitor.greet(server.wsUrl, 'shop');

    const handoff = await visitor.ask('Je veux parler à un humain');
    expect(handoff.reply.text).toMatch(/équipe/);
    const [escalation] = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(escalations));
    expect(escalation).toMatchObject({
      reason: 'requested_human',
      status: 'pending',
      conversationId: welcome.conversationId,
    });
    expect(escalation?.summary).toContain('humain');
    const [conversation] = await withTenant(testDb.database.db, shop.id, (tx) =>
      tx.select().from(conversations).where(eq(conversations.id, welcome.conversationId)),
    );
    expect(conversation?.status).toBe('escalated');
    const queued = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(notifications));
    expect(queued.map((n) => [n.channel, n.target, n.event])).toEqual([
      ['email', 'support@shop.example', 'escalation.created'],
    ]);

    // The customer writes again: stored, but the bot stays silent.
    const ack = visitor.next('ack', (f) => f.clientId === 'while-waiting');
    visitor.send({ type: 'message', clientId: 'while-waiting', text: 'Vous êtes là ?' });
    await ack;
    await server.turns.drain();

    const listed = await api('GET', '/escalations?status=pending');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((e: { id: string }) => e.id)).toEqual([escalation!.id]);

    const joined = visitor.next('message', (f) => f.message.role === 'system');
    const taken = await api('POST', `/escalations/${escalation!.id}/take`, {
      agent: 'marie@shop.example',
      agentName: 'Marie',
    });
    expect(taken.statusCode).toBe(200);
    expect(taken.json()).toMatchObject({ status: 'in_progress', assignedTo: 'marie@shop.example' });
    expect((await joined).message.text).toBe('Marie a rejoint la conversation.');

    const conflict = await api('POST', `/escalations/${escalation!.id}/take`, { agent: 'paul@shop.example' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('CAUSETTE_ERR_ESCALATION_CONFLICT');

    const humanMessage = visitor.next('message', (f) => f.message.role === 'agent');
    const replied = await api('POST', `/escalations/${escalation!.id}/reply`, {
      text: 'Bonjour, je suis Marie. Que puis-je faire ?',
    });
    expect(replied.statusCode).toBe(201);
    expect((await humanMessage).message.text).toBe('Bonjour, je suis Marie. Que puis-je faire ?');

    const closing = visitor.next(
      'message',
      (f) => f.message.role === 'system' && f.message.text.includes('terminée'),
    );
    const resolved = await api('POST', `/escalations/${escalation!.id}/resolve`);
    expect(resolved.json()).toMatchObject({ status: 'resolved' });
    await closing;

    // Back with the bot, which answers again.
    const after = await visitor.ask('Quels sont les délais de livraison ?');
    expect(after.reply.text).toContain('3 à 5 jours');
    await server.turns.drain();
    expect(await storedRoles(welcome.conversationId)).toEqual([
      'user',
      'assistant',
      'user',
      'system',
      'agent',
      'system',
      'user',
      'assistant',
    ]);
    await visitor.close();
  });

  it('drops the bot reply when a human takes over while the bot is still answering', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Responder = {
      async respond() {
        await gate;
        return { text: 'late bot answer', citations: [], metadata: {} };
      },
    };
    server = await startTestApp(testDb.database, { responder: slow });
    const { visitor, welcome } = await TestVisitor.greet(server.wsUrl, 'shop');
    const typing = visitor.next('typing', (f) => f.active);
    visitor.send({ type: 'message', clientId: 'q1', text: 'Une question compliquée' });
    await typing;

    const takeover = await api('POST', `/conversations/${welcome.conversationId}/takeover`, {
      agent: 'paul@shop.example',
    });
    expect(takeover.statusCode).toBe(200);
    expect(takeover.json()).toMatchObject({ reason: 'operator_takeover', status: 'in_progress' });
    const reply = await api('POST', `/escalations/${takeover.json().id}/reply`, {
      text: 'Je prends le relais.',
    });
    expect(reply.statusCode).toBe(201);

    release();
    await server.turns.drain();
    expect(await storedRoles(welcome.conversationId)).toEqual(['user', 'system', 'agent']);
    expect(visitor.frames.some((f) => f.type === 'message' && f.message.text === 'late bot answer')).toBe(
      false,
    );
    await visitor.close();
  });

  it('escalates a complaint and strong anger without answering, and refunds after answering', async () => {
    server = await startTestApp(testDb.database);
    const angry = await TestVisitor.greet(server.wsUrl, 'shop');
    const complaint = await angry.visitor.ask(
      "C'est inadmissible, mon colis est arrivé cassé et personne ne répond !!!",
    );
    expect(complaint.reply.text).toMatch(/désolé/i);
    await angry.visitor.close();

    const refund = await TestVisitor.greet(server.wsUrl, 'shop');
    await refund.visitor.ask('I would like a refund for my order please');
    await refund.visitor.close();
    await server.turns.drain();
    const rows = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(escalations));
    expect(rows.map((r) => r.reason).sort()).toEqual(['complaint', 'refund_request']);
  });

  it('hands over after N unsure answers in a row, N and the threshold being tenant settings', async () => {
    server = await startTestApp(testDb.database);
    const settings = await api('PATCH', '/bot-settings', { lowConfidenceTurns: 2, confidenceThreshold: 0.5 });
    expect(settings.json()).toMatchObject({ lowConfidenceTurns: 2, confidenceThreshold: 0.5 });
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const first = await visitor.ask('Vendez-vous des voitures électriques ?');
    expect(first.reply.text).toMatch(/conseiller/);
    const second = await visitor.ask('Et des vélos cargo ?');
    expect(second.reply.text).toMatch(/pas sûr/);
    await server.turns.drain();
    const [row] = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(escalations));
    expect(row?.reason).toBe('low_confidence');
    await visitor.close();
  });

  it("never shows one tenant's escalations to another", async () => {
    server = await startTestApp(testDb.database);
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    await visitor.ask('I want to talk to a human');
    await visitor.close();
    await server.turns.drain();
    const [row] = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(escalations));
    expect((await api('GET', '/escalations', undefined, otherKey)).json().items).toEqual([]);
    expect(
      (await api('POST', `/escalations/${row!.id}/take`, { agent: 'x@other.example' }, otherKey)).statusCode,
    ).toBe(404);
    expect(
      (await api('POST', `/escalations/${row!.id}/reply`, { text: 'hi', agent: 'x' }, otherKey)).statusCode,
    ).toBe(404);
  });
});
