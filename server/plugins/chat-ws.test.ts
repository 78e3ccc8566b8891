import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTenant, updateWidgetConfig } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createFaqEntry } from '../../knowledge/faq/faq-store.ts';
import { conversationMessages, conversations } from '../../migrations/schema/index.ts';
import { signVisitorToken } from '../auth/visitor-token.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { HandshakeRefused, TestVisitor } from '../testing/test-visitor.ts';

let testDb: TestDatabase;
let server: TestApp;
let shop: { id: string };
let other: { id: string };

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
  other = await createTenant(db, { slug: 'other', name: 'Other' });
  await withTenant(db, shop.id, async (tx) => {
    await createFaqEntry(tx, shop.id, {
      lang: 'fr',
      question: 'Quels sont les délais de livraison ?',
      answer: 'La livraison prend 3 à 5 jours ouvrés.',
    });
    await createFaqEntry(tx, shop.id, {
      lang: 'en',
      question: 'How long does delivery take?',
      answer: 'Delivery takes 3 to 5 business days.',
    });
  });
  server = await startTestApp(testDb.database);
});
afterEach(async () => {
  await server.close();
});

async function storedMessageCount(tenantId: string) {
  return withTenant(
    testDb.database.db,
    tenantId,
    async (tx) => (await tx.select().from(conversationMessages)).length,
  );
}

describe('handshake', () => {
  it('refuses an unknown tenant with 404 before the upgrade', async () => {
    const refused = await TestVisitor.connect(server.wsUrl, 'no-such-shop').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HandshakeRefused);
    expect((refused as HandshakeRefused).status).toBe(404);
    expect(JSON.parse((refused as HandshakeRefused).body).code).toBe('CAUSETTE_ERR_UNKNOWN_TENANT');
  });

  it('refuses a page origin the tenant does not allow, and admits an allowed one', async () => {
    await withTenant(testDb.database.db, shop.id, (tx) =>
      updateWidgetConfig(tx, shop.id, { allowedOrigins: ['https://shop.example'] }),
    );
    await server.close();
    server = await startTestApp(testDb.database);
    const refused = await TestVisitor.connect(server.wsUrl, 'shop', {
      headers: { origin: 'https://evil.example' },
    }).catch((e: unknown) => e);
    expect((refused as HandshakeRefused).status).toBe(403);
    const admitted = await TestVisitor.connect(server.wsUrl, 'shop', {
      headers: { origin: 'https://shop.example' },
    });
    await admitted.close();
  });
});

describe('a visitor session', () => {
  it('starts a conversation, answers from the knowledge with a citation, and stores both messages', async () => {
    const { visitor, welcome } = await TestVisitor.greet(server.wsUrl, 'shop');
    expect(welcome.protocol).toBe(1);
    expect(welcome.lastSeq).toBe(0);
    const { ack, reply } = await visitor.ask('Quel est le délai de livraison ?');
    expect(ack.seq).toBe(1);
    expect(ack.duplicate).toBe(false);
    expect(reply.text).toContain('3 à 5 jours');
    expect(reply.citations?.[0]?.title).toBe('Quels sont les délais de livraison ?');
    expect(reply.seq).toBe(2);
    // The protocol's order (server/protocol/README.md): its own message, the ack, then the reply.
    expect(
      visitor.frames
        .filter((f) => f.type === 'message' || f.type === 'ack')
        .map((f) => (f.type === 'message' ? `message ${f.message.seq}` : 'ack')),
    ).toEqual(['message 1', 'ack', 'message 2']);
    await visitor.close();
    const rows = await withTenant(testDb.database.db, shop.id, (tx) =>
      tx.select().from(conversations).where(eq(conversations.userId, welcome.visitorId)),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.channel).toBe('widget');
    expect(await storedMessageCount(shop.id)).toBe(2);
  });

  it('resumes the same conversation with its token and replays what the client missed', async () => {
    const first = await TestVisitor.greet(server.wsUrl, 'shop');
    await first.visitor.ask('Bonjour');
    await first.visitor.ask('How long does delivery take?');
    await first.visitor.close();

    const again = await TestVisitor.connect(server.wsUrl, 'shop');
    const welcome = again.next('welcome');
    const replayed = new Promise<number[]>((resolve) => {
      const seqs: number[] = [];
      again.socket.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'message') seqs.push(frame.message.seq);
        if (seqs.length === 2) resolve(seqs);
      });
    });
    again.send({ type: 'hello', token: first.welcome.token, lastSeq: 2 });
    expect((await welcome).conversationId).toBe(first.welcome.conversationId);
    expect((await welcome).visitorId).toBe(first.welcome.visitorId);
    expect(await replayed).toEqual([3, 4]);
    await again.close();
  });

  it('stores a resent message once and answers it once (same clientId)', async () => {
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const first = await visitor.ask('Delivery?', 'same-id');
    const secondAck = visitor.next('ack', (f) => f.clientId === 'same-id' && f.duplicate);
    visitor.send({ type: 'message', clientId: 'same-id', text: 'Delivery?' });
    expect((await secondAck).seq).toBe(first.ack.seq);
    await server.turns.drain();
    expect(await storedMessageCount(shop.id)).toBe(2);
    await visitor.close();
  });

  it('refuses a forged token and a token of another tenant, and keeps serving others', async () => {
    const forged = await TestVisitor.connect(server.wsUrl, 'shop');
    const error = forged.next('error');
    forged.send({ type: 'hello', token: `v1.${shop.id}.00000000-0000-4000-8000-000000000000.bad-signature` });
    expect((await error).code).toBe('invalid_token');
    await forged.closed();
    expect(forged.closeCode).toBe(1008);

    const foreignToken = signVisitorToken(server.keys.visitorTokens, {
      tenantId: other.id,
      visitorId: '00000000-0000-4000-8000-000000000001',
    });
    const foreign = await TestVisitor.connect(server.wsUrl, 'shop');
    const foreignError = foreign.next('error');
    foreign.send({ type: 'hello', token: foreignToken });
    expect((await foreignError).code).toBe('invalid_token');
    await foreign.closed();

    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    expect((await visitor.ask('Bonjour')).reply.role).toBe('assistant');
    await visitor.close();
  });

  it('answers "I do not know" and offers a human when nothing is relevant', async () => {
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('Vendez-vous des voitures électriques ?');
    expect(reply.text).toMatch(/conseiller/);
    expect(reply.citations).toBeUndefined();
    await visitor.close();
  });
});

describe('bad frames get an error frame, store nothing and leave the server up', () => {
  let visitor: TestVisitor;
  beforeEach(async () => {
    ({ visitor } = await TestVisitor.greet(server.wsUrl, 'shop'));
  });
  afterEach(async () => {
    // The same socket still works after every bad frame.
    expect((await visitor.ask('Bonjour')).reply.role).toBe('assistant');
    await visitor.close();
    expect(await storedMessageCount(shop.id)).toBe(2);
  });

  const cases: [string, unknown, string][] = [
    ['text that is not JSON', '{"type": "message",', 'bad_json'],
    ['a JSON array', '[1,2]', 'bad_json'],
    ['a frame without a type', { clientId: 'a', text: 'x' }, 'invalid_frame'],
    ['an unknown type', { type: 'subscribe', channel: 'all' }, 'unknown_type'],
    ['a message without clientId', { type: 'message', text: 'hello' }, 'invalid_frame'],
    ['a message whose text is a number', { type: 'message', clientId: 'a', text: 42 }, 'invalid_frame'],
    [
      'a message with an extra field',
      { type: 'message', clientId: 'a', text: 'x', role: 'agent' },
      'invalid_frame',
    ],
    ['a message of spaces only', { type: 'message', clientId: 'a', text: '   ' }, 'empty_message'],
    ['a second hello', { type: 'hello' }, 'already_greeted'],
    [
      'a frame over the size limit',
      { type: 'message', clientId: 'a', text: 'x'.repeat(5000) },
      'frame_too_large',
    ],
  ];
  for (const [name, frame, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const error = visitor.next('error');
      visitor.send(frame);
      expect((await error).code).toBe(code);
    });
  }

  it('a binary frame → binary_not_supported', async () => {
    const error = visitor.next('error');
    visitor.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await error).code).toBe('binary_not_supported');
  });
});

describe('frames that end the connection', () => {
  it('a frame before hello gets hello_required', async () => {
    const visitor = await TestVisitor.connect(server.wsUrl, 'shop');
    const error = visitor.next('error');
    visitor.send({ type: 'message', clientId: 'early', text: 'hi' });
    const frame = await error;
    expect(frame.code).toBe('hello_required');
    expect(frame.clientId).toBe('early');
    await visitor.close();
    expect(await storedMessageCount(shop.id)).toBe(0);
  });

  it('invalid UTF-8 closes with 1007 and a 1 MB frame with 1009; the server keeps serving', async () => {
    const broken = await TestVisitor.connect(server.wsUrl, 'shop');
    broken.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    await broken.closed();
    expect(broken.closeCode).toBe(1007);

    const huge = await TestVisitor.connect(server.wsUrl, 'shop');
    huge.socket.send('x'.repeat(1024 * 1024));
    await huge.closed();
    expect(huge.closeCode).toBe(1009);

    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    expect((await visitor.ask('Bonjour')).reply.role).toBe('assistant');
    await visitor.close();
    expect(await storedMessageCount(shop.id)).toBe(2);
  });

  it('shutdown says bye and closes every socket with 1001', async () => {
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const bye = visitor.next('bye');
    await server.close();
    expect((await bye).reason).toBe('shutdown');
    await visitor.closed();
    expect(visitor.closeCode).toBe(1001);
    server = await startTestApp(testDb.database);
  });
});

describe('isolation between visitors', () => {
  it('a visitor never receives messages of another visitor of the same tenant', async () => {
    const alice = await TestVisitor.greet(server.wsUrl, 'shop');
    const bob = await TestVisitor.greet(server.wsUrl, 'shop');
    await alice.visitor.ask('Delivery?');
    await bob.visitor.ask('Bonjour');
    expect(alice.welcome.conversationId).not.toBe(bob.welcome.conversationId);
    const bobTexts = bob.visitor.frames.flatMap((f) => (f.type === 'message' ? [f.message.text] : []));
    expect(bobTexts).not.toContain('Delivery?');
    await alice.visitor.close();
    await bob.visitor.close();
  });
});
