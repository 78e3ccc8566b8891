import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTenant, updateBusinessProfile } from '../../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../../db/testing/test-database.ts';
import { createFaqEntry } from '../../../knowledge/faq/faq-store.ts';
import { leadScores, leads } from '../../../migrations/schema/index.ts';
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
      question: 'Faites-vous des tarifs pour les entreprises ?',
      answer: 'Oui, nous proposons des tarifs dégressifs dès 20 pièces pour les entreprises.',
    });
    await updateBusinessProfile(tx, shop.id, {
      timezone: 'Europe/Paris',
      calcomUrl: 'https://cal.com/shop/15min',
    });
  });
  server = await startTestApp(testDb.database);
});
afterEach(async () => {
  await server.close();
});

function api(path: string, key = shopKey) {
  return server.app.inject({
    method: 'GET',
    url: `/api/v1${path}`,
    headers: { authorization: `Bearer ${key}` },
  });
}

describe('leads', () => {
  it('builds one lead per conversation from the messages, scores it and records each score change', async () => {
    const { visitor, welcome } = await TestVisitor.greet(server.wsUrl, 'shop');
    const first = await visitor.ask('Faites-vous des tarifs pour les entreprises ?');
    expect(first.reply.text).toContain('tarifs dégressifs');
    expect(first.reply.text).toMatch(/laisser votre nom/);
    await visitor.ask('Nous voulons commander 200 pièces');
    const thanks = await visitor.ask(
      "Je m'appelle Claire Martin, de la société Atelier Nord, claire@ateliernord.fr, 06 12 34 56 78. C'est urgent !",
    );
    expect(thanks.reply.text).toContain('claire@ateliernord.fr');
    await server.turns.drain();

    const rows = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(leads));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      conversationId: welcome.conversationId,
      name: 'Claire Martin',
      email: 'claire@ateliernord.fr',
      phone: '+33612345678',
      company: 'Atelier Nord',
      score: 'hot',
    });
    expect(rows[0]?.need).toContain('200 pièces');
    const history = await withTenant(testDb.database.db, shop.id, (tx) => tx.select().from(leadScores));
    expect(history.map((h) => h.score).sort()).toEqual(['hot', 'warm']);
    const hot = history.find((h) => h.score === 'hot');
    expect(hot?.signals).toMatchObject({
      purchase_intent: true,
      quantity_or_budget: '200 pièces',
      urgency: 'urgent',
    });
    expect(hot?.reasoning).toContain('wants to buy');

    const listed = await api('/leads?score=hot');
    expect(listed.json().items).toHaveLength(1);
    expect(listed.json().items[0]).toMatchObject({ channel: 'widget', email: 'claire@ateliernord.fr' });
    expect((await api('/leads?score=cold')).json().items).toEqual([]);
    expect((await api('/leads?q=ateliernord')).json().items).toHaveLength(1);
    expect((await api('/leads', otherKey)).json().items).toEqual([]);

    const detail = await api(`/leads/${rows[0]!.id}`);
    expect(detail.json().scores).toHaveLength(2);

    const csv = await api('/leads/export.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,created_at,updated_at,name,email,phone,company,need,score,score_value,status,channel,conversation_id,notes',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Claire Martin,claire@ateliernord.fr,+33612345678,Atelier Nord');
    expect((await api('/leads/export.csv', otherKey)).body.trim().split('\r\n')).toHaveLength(1);
    await visitor.close();
  });

  it('defuses spreadsheet formulas in the CSV export', async () => {
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    await visitor.ask('My name is =HYPERLINK("http://evil.example") and my email is evil@example.com');
    await visitor.close();
    await server.turns.drain();
    const csv = await api('/leads/export.csv');
    expect(csv.body).not.toMatch(/,=HYPERLINK/);
  });

  it('offers the Cal.com link for a booking and records the meeting', async () => {
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('Je voudrais prendre rendez-vous');
    expect(reply.text).toContain('https://cal.com/shop/15min');
    await visitor.close();
  });
});
