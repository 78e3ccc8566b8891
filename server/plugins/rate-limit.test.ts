import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { HandshakeRefused, TestVisitor } from '../testing/test-visitor.ts';

/**
 * Per-address limits on the admin API and the websocket handshake: the client past its limit gets
 * 429 with a code and Retry-After, while another address is served as before.
 */
let testDb: TestDatabase;
let server: TestApp | undefined;
let key: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  const tenant = await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' });
  key = (await createApiKey(testDb.database.db, tenant.id, 'test')).key;
});
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

const adminGet = (remoteAddress: string, headers: Record<string, string> = {}) =>
  server!.app.inject({
    url: '/api/v1/tenant',
    remoteAddress,
    headers: { authorization: `Bearer ${key}`, ...headers },
  });

describe('the admin API', () => {
  it('refuses the request past the limit from one address with 429, serves other addresses, and forgives after the window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    server = await startTestApp(testDb.database, { adminRequestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await adminGet('203.0.113.7')).statusCode).toBe(200);
    const refused = await adminGet('203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'CAUSETTE_ERR_RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await adminGet('198.51.100.20')).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 60_001);
    expect((await adminGet('203.0.113.7')).statusCode).toBe(200);
  });

  it('counts requests without a valid key too, before looking the key up', async () => {
    server = await startTestApp(testDb.database, { adminRequestsPerMinute: 2 });
    const guess = () =>
      server!.app.inject({
        url: '/api/v1/tenant',
        remoteAddress: '203.0.113.9',
        headers: { authorization: `Bearer cst_${'A'.repeat(43)}` },
      });
    expect((await guess()).statusCode).toBe(401);
    expect((await guess()).statusCode).toBe(401);
    expect((await guess()).statusCode).toBe(429);
  });
});

describe('the client address behind a proxy', () => {
  it('ignores X-Forwarded-For when no proxy is trusted: a client cannot pick the address it is counted on', async () => {
    server = await startTestApp(testDb.database, { adminRequestsPerMinute: 2 });
    for (const forwarded of ['192.0.2.1', '192.0.2.2'])
      expect((await adminGet('203.0.113.7', { 'x-forwarded-for': forwarded })).statusCode).toBe(200);
    expect((await adminGet('203.0.113.7', { 'x-forwarded-for': '192.0.2.3' })).statusCode).toBe(429);
  });

  it('reads X-Forwarded-For from a trusted proxy only', async () => {
    server = await startTestApp(testDb.database, { adminRequestsPerMinute: 2, trustProxy: ['10.0.0.0/8'] });
    // Two clients behind the proxy: each has its own budget.
    for (let i = 0; i < 2; i++) {
      expect((await adminGet('10.1.2.3', { 'x-forwarded-for': '192.0.2.1' })).statusCode).toBe(200);
      expect((await adminGet('10.1.2.3', { 'x-forwarded-for': '192.0.2.2' })).statusCode).toBe(200);
    }
    expect((await adminGet('10.1.2.3', { 'x-forwarded-for': '192.0.2.1' })).statusCode).toBe(429);
    // The same header from an address that is not the proxy is not believed.
    expect((await adminGet('203.0.113.50', { 'x-forwarded-for': '192.0.2.77' })).statusCode).toBe(200);
    expect((await adminGet('203.0.113.50', { 'x-forwarded-for': '192.0.2.78' })).statusCode).toBe(200);
    expect((await adminGet('203.0.113.50', { 'x-forwarded-for': '192.0.2.79' })).statusCode).toBe(429);
  });
});

describe('websocket handshakes', () => {
  it('refuses the handshake past the limit from one address with 429 before the upgrade, and admits another address', async () => {
    server = await startTestApp(testDb.database, { chat: { handshakesPerMinute: 3 } });
    const admitted: TestVisitor[] = [];
    for (let i = 0; i < 3; i++)
      admitted.push(await TestVisitor.connect(server.wsUrl, 'shop', { localAddress: '127.0.0.1' }));
    const refused = await TestVisitor.connect(server.wsUrl, 'shop', { localAddress: '127.0.0.1' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(HandshakeRefused);
    expect((refused as HandshakeRefused).status).toBe(429);
    expect(JSON.parse((refused as HandshakeRefused).body).code).toBe('CAUSETTE_ERR_RATE_LIMITED');
    // The sockets already open are not touched, and a visitor from another address chats.
    const other = await TestVisitor.greet(server.wsUrl, 'shop', {}, { localAddress: '127.0.0.2' });
    expect((await other.visitor.ask('Bonjour')).reply.role).toBe('assistant');
    expect(server.app.websocketServer.clients.size).toBe(4);
    for (const visitor of [...admitted, other.visitor]) await visitor.close();
  });
});
