import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { conversations } from '../../migrations/schema/index.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { identityHash } from '../chat/identity.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { TestVisitor } from '../testing/test-visitor.ts';

let testDb: TestDatabase;
let server: TestApp;
let tenantId: string;
let auth: { authorization: string };

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  tenantId = (await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' })).id;
  auth = { authorization: `Bearer ${(await createApiKey(testDb.database.db, tenantId, 'test')).key}` };
  server = await startTestApp(testDb.database);
});
afterEach(async () => {
  await server.close();
});

async function generateSecret(): Promise<string> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/widget-config/identity-secret',
    headers: auth,
  });
  expect(response.statusCode).toBe(201);
  return response.json().secret;
}

async function requireVerification(on: boolean) {
  const response = await server.app.inject({
    method: 'PATCH',
    url: '/api/v1/widget-config',
    headers: auth,
    payload: { identityVerification: on },
  });
  return response;
}

function userKeyOf(conversationId: string) {
  return withTenant(testDb.database.db, tenantId, async (tx) => {
    const [row] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
    return row;
  });
}

describe('the identity secret', () => {
  it('is shown once, never served by the public config, and verification needs it first', async () => {
    expect((await requireVerification(true)).statusCode).toBe(409);
    const secret = await generateSecret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const config = await server.app.inject({ method: 'GET', url: '/api/v1/widget-config', headers: auth });
    expect(config.json()).toMatchObject({ identitySecretSet: true, identityVerification: false });
    expect(config.body).not.toContain(secret);
    expect((await requireVerification(true)).statusCode).toBe(200);
    const publicConfig = await server.app.inject({ method: 'GET', url: '/widget/config/shop' });
    expect(publicConfig.json().identityVerification).toBe(true);
    expect(publicConfig.body).not.toContain(secret);
    // The database keeps it sealed, not in clear.
    const stored = await server.app.inject({ method: 'GET', url: '/api/v1/widget-config', headers: auth });
    expect(stored.body).not.toContain('s1.');
  });
});

describe('when the tenant requires verification', () => {
  let secret: string;
  beforeEach(async () => {
    secret = await generateSecret();
    await requireVerification(true);
  });

  it('refuses an identify without a hash, and the visitor chats on as an anonymous guest', async () => {
    const visitor = await TestVisitor.connect(server.wsUrl, 'shop');
    const refused = visitor.next('error');
    const welcome = visitor.next('welcome');
    visitor.send({ type: 'hello', identity: { userId: 'alice', email: 'alice@example.com' } });
    expect((await refused).code).toBe('identity_unverified');
    expect((await welcome).userId).toBeUndefined();
    expect((await userKeyOf((await welcome).conversationId))?.userId).not.toContain('alice');
    expect((await visitor.ask('Bonjour')).reply.role).toBe('assistant');
    await visitor.close();
  });

  it('refuses a wrong hash, and anyone claiming a verified user without the hash gets nothing of theirs', async () => {
    // Alice, verified, writes something.
    const alice = await TestVisitor.connect(server.wsUrl, 'shop');
    const aliceWelcome = alice.next('welcome');
    alice.send({ type: 'hello', identity: { userId: 'alice', hash: identityHash(secret, 'alice') } });
    expect((await aliceWelcome).userId).toBe('alice');
    await alice.ask('Mon adresse est 1 rue Secrète');
    await alice.close();

    // Mallory claims to be alice with a forged hash, then with alice's hash of another id.
    for (const hash of ['0'.repeat(64), identityHash(secret, 'mallory')]) {
      const mallory = await TestVisitor.greet(server.wsUrl, 'shop');
      const refused = mallory.visitor.next('error');
      mallory.visitor.send({ type: 'identify', userId: 'alice', hash });
      expect((await refused).code).toBe('identity_unverified');
      await mallory.visitor.ask('Bonjour');
      const seen = mallory.visitor.frames.flatMap((f) => (f.type === 'message' ? [f.message.text] : []));
      expect(seen.join(' ')).not.toContain('Secrète');
      expect(mallory.visitor.frames.some((f) => f.type === 'welcome' && f.userId === 'alice')).toBe(false);
      await mallory.visitor.close();
    }
  });

  it('gives a verified user the same conversation on every device, keeping what they said before logging in', async () => {
    const laptop = await TestVisitor.greet(server.wsUrl, 'shop');
    await laptop.visitor.ask('Question avant connexion');
    const switched = laptop.visitor.next('welcome');
    const identified = laptop.visitor.next('identified');
    laptop.visitor.send({ type: 'identify', userId: 'bob', name: 'Bob', hash: identityHash(secret, 'bob') });
    expect(await identified).toMatchObject({ userId: 'bob', verified: true });
    const welcome = await switched;
    expect(welcome.userId).toBe('bob');
    // The anonymous conversation became Bob's.
    expect(welcome.conversationId).toBe(laptop.welcome.conversationId);
    const row = await userKeyOf(welcome.conversationId);
    expect(row?.userId).toBe('user:bob');
    expect(row?.metadata).toMatchObject({ visitor: { userId: 'bob', name: 'Bob', verified: true } });
    await laptop.visitor.close();

    // Bob's phone: a new browser, the same user.
    const phone = await TestVisitor.connect(server.wsUrl, 'shop');
    const phoneWelcome = phone.next('welcome');
    phone.send({ type: 'hello', identity: { userId: 'bob', hash: identityHash(secret, 'bob') } });
    expect((await phoneWelcome).conversationId).toBe(welcome.conversationId);
    const history = await phone.next('message', (f) => f.message.seq === 1);
    expect(history.message.text).toBe('Question avant connexion');
    await phone.close();
  });

  it('signs verified visitors out when the secret is rotated', async () => {
    const visitor = await TestVisitor.connect(server.wsUrl, 'shop');
    const welcome = visitor.next('welcome');
    visitor.send({ type: 'hello', identity: { userId: 'carol', hash: identityHash(secret, 'carol') } });
    const token = (await welcome).token;
    await visitor.close();
    await generateSecret();
    const again = await TestVisitor.connect(server.wsUrl, 'shop');
    const refused = again.next('error');
    again.send({ type: 'hello', token });
    expect((await refused).code).toBe('invalid_token');
    await again.closed();
    expect(again.closeCode).toBe(1008);
  });
});

describe('when verification is off', () => {
  it('records an unverified identify as a claim for operators, and opens no one else’s conversation', async () => {
    const secret = await generateSecret();
    const dave = await TestVisitor.connect(server.wsUrl, 'shop');
    const daveWelcome = dave.next('welcome');
    dave.send({ type: 'hello', identity: { userId: 'dave', hash: identityHash(secret, 'dave') } });
    await daveWelcome;
    await dave.ask('Mon code client est 4242');
    await dave.close();

    const claimer = await TestVisitor.greet(server.wsUrl, 'shop');
    const identified = claimer.visitor.next('identified');
    claimer.visitor.send({ type: 'identify', userId: 'dave', name: 'Not Dave' });
    expect(await identified).toMatchObject({ userId: 'dave', verified: false });
    await claimer.visitor.ask('Bonjour');
    const seen = claimer.visitor.frames.flatMap((f) => (f.type === 'message' ? [f.message.text] : []));
    expect(seen.join(' ')).not.toContain('4242');
    const row = await userKeyOf(claimer.welcome.conversationId);
    expect(row?.userId).toBe(claimer.welcome.visitorId);
    expect(row?.metadata).toMatchObject({ visitor: { userId: 'dave', name: 'Not Dave', verified: false } });
    await claimer.visitor.close();
  });
});
