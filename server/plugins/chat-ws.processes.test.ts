import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendMessage } from '../../bot/conversation/conversation-store.ts';
import type { Responder } from '../../bot/responder.ts';
import { createTenant } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { TestVisitor } from '../testing/test-visitor.ts';

/**
 * Several server processes on one database, as BRIEF.md's scale-out asks: two apps with their own
 * event listeners (LISTEN/NOTIFY) stand in for two processes.
 */
let testDb: TestDatabase;
let tenantId: string;
let first: TestApp;
let second: TestApp;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});
beforeEach(async () => {
  await testDb.reset();
  tenantId = (await createTenant(testDb.database.db, { slug: 'shop', name: 'Shop' })).id;
  const secret = randomBytes(32).toString('hex');
  first = await startTestApp(testDb.database, { secret });
  second = await startTestApp(testDb.database, { secret });
});
afterEach(async () => {
  await first.close();
  await second.close();
});

/** What an operator's reply from another process amounts to: a stored `agent` message. */
function storeAgentReply(conversationId: string, text: string) {
  return withTenant(testDb.database.db, tenantId, (tx) =>
    appendMessage(tx, { tenantId, conversationId, role: 'agent', content: text }),
  );
}

describe('across processes sharing one database', () => {
  it('a human reply stored anywhere reaches the visitor, live, on the process they are connected to', async () => {
    const { visitor, welcome } = await TestVisitor.greet(second.wsUrl, 'shop');
    const live = visitor.next('message', (f) => f.message.role === 'agent');
    await storeAgentReply(welcome.conversationId, 'Bonjour, ici Claire du service client.');
    const frame = await live;
    expect(frame.message.text).toBe('Bonjour, ici Claire du service client.');
    expect(frame.message.seq).toBe(1);
    await visitor.close();
  });

  it('two tabs of one visitor on two processes both see the conversation, each message once and in order', async () => {
    const a = await TestVisitor.greet(first.wsUrl, 'shop');
    const b = await TestVisitor.greet(second.wsUrl, 'shop', { token: a.welcome.token });
    expect(b.welcome.conversationId).toBe(a.welcome.conversationId);
    await a.visitor.ask('Bonjour');
    await b.visitor.next('message', (f) => f.message.seq === 2);
    await b.visitor.ask('Merci');
    await a.visitor.next('message', (f) => f.message.seq === 4);
    for (const tab of [a.visitor, b.visitor]) {
      const seqs = tab.frames.flatMap((f) => (f.type === 'message' ? [f.message.seq] : []));
      expect(seqs).toEqual([1, 2, 3, 4]);
    }
    await a.visitor.close();
    await b.visitor.close();
  });

  it('typing and reply pieces cross processes too, with their offsets', async () => {
    const { visitor, welcome } = await TestVisitor.greet(second.wsUrl, 'shop');
    first.events.publish({ type: 'typing', conversationId: welcome.conversationId, active: true });
    first.events.publish({
      type: 'delta',
      conversationId: welcome.conversationId,
      streamId: 's1',
      text: 'Bon',
    });
    first.events.publish({
      type: 'delta',
      conversationId: welcome.conversationId,
      streamId: 's1',
      text: 'jour',
    });
    expect((await visitor.next('typing')).active).toBe(true);
    // Pieces that arrive while the session is still starting come merged; either way they line up.
    let text = '';
    while (text.length < 'Bonjour'.length) {
      const delta = await visitor.next('delta');
      expect(delta.streamId).toBe('s1');
      expect(delta.offset).toBe(text.length);
      text += delta.text;
    }
    expect(text).toBe('Bonjour');
    await visitor.close();
  });

  it('a reply too large for one notification is read from the database', async () => {
    const { visitor, welcome } = await TestVisitor.greet(second.wsUrl, 'shop');
    const long = 'é'.repeat(6000);
    const live = visitor.next('message', (f) => f.message.role === 'agent');
    await storeAgentReply(welcome.conversationId, long);
    expect((await live).message.text).toBe(long);
    await visitor.close();
  });

  it('a visitor who reconnects to the other process after a restart misses nothing', async () => {
    const { visitor, welcome } = await TestVisitor.greet(first.wsUrl, 'shop');
    await visitor.ask('Bonjour');
    await visitor.close();
    await first.close();
    await storeAgentReply(welcome.conversationId, 'Une réponse pendant votre absence');
    const again = await TestVisitor.greet(second.wsUrl, 'shop', { token: welcome.token, lastSeq: 2 });
    expect((await again.visitor.next('message')).message).toMatchObject({
      seq: 3,
      role: 'agent',
      text: 'Une réponse pendant votre absence',
    });
    await again.visitor.close();
    first = await startTestApp(testDb.database);
  });
});

describe('events arriving out of order', () => {
  it('a message past a gap brings the gap first, from the database', async () => {
    const { visitor, welcome } = await TestVisitor.greet(first.wsUrl, 'shop');
    // Two replies stored, the second announced first (as another process's notification may be).
    const one = await withTenant(testDb.database.db, tenantId, (tx) =>
      appendMessage(tx, { tenantId, conversationId: welcome.conversationId, role: 'agent', content: 'one' }),
    );
    const two = await withTenant(testDb.database.db, tenantId, (tx) =>
      appendMessage(tx, { tenantId, conversationId: welcome.conversationId, role: 'agent', content: 'two' }),
    );
    first.events.publish({ type: 'message', conversationId: welcome.conversationId, message: two.message });
    first.events.publish({ type: 'message', conversationId: welcome.conversationId, message: one.message });
    await visitor.next('message', (f) => f.message.seq === 2);
    // And each once: a third message, once it is in, follows the first two with no repeat.
    await storeAgentReply(welcome.conversationId, 'three');
    await visitor.next('message', (f) => f.message.seq === 3);
    const texts = visitor.frames.flatMap((f) => (f.type === 'message' ? [f.message.text] : []));
    expect(texts).toEqual(['one', 'two', 'three']);
    await visitor.close();
  });
});

describe('a reply being written', () => {
  it('reaches a visitor who joins midway whole, then piece by piece, then complete', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const responder: Responder = {
      async respond(_context, stream) {
        stream?.delta('La livraison ');
        stream?.delta('prend ');
        await gate;
        stream?.delta('3 jours.');
        return { text: 'La livraison prend 3 jours.', citations: [], metadata: {} };
      },
    };
    await first.close();
    first = await startTestApp(testDb.database, { responder });
    const tab = await TestVisitor.greet(first.wsUrl, 'shop');
    tab.visitor.send({ type: 'message', clientId: 'q1', text: 'Délai ?' });
    await tab.visitor.next('delta', (f) => f.text === 'prend ');
    // A second tab (or the same page after a reconnect) joins while the reply is being written.
    const late = await TestVisitor.greet(first.wsUrl, 'shop', { token: tab.welcome.token, lastSeq: 1 });
    expect(await late.visitor.next('delta')).toMatchObject({ text: 'La livraison prend ', offset: 0 });
    release();
    expect(await late.visitor.next('delta')).toMatchObject({ text: '3 jours.', offset: 19 });
    const final = await late.visitor.next('message', (f) => f.message.role === 'assistant');
    expect(final.message.text).toBe('La livraison prend 3 jours.');
    expect(final.message.streamId).toBeDefined();
    await tab.visitor.close();
    await late.visitor.close();
  });
});
