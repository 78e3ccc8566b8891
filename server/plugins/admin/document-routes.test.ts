import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTenant } from '../../../bot/tenants/tenant-store.ts';
import { createTestDatabase, type TestDatabase } from '../../../db/testing/test-database.ts';
import { createApiKey } from '../../auth/api-keys.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestVisitor } from '../../testing/test-visitor.ts';

const fixture = (name: string) =>
  readFile(new URL(`../../../knowledge/ingest/extract/fixtures/${name}`, import.meta.url));

let testDb: TestDatabase;
let server: TestApp;
let key: string;
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
  const shop = await createTenant(db, { slug: 'shop', name: 'The Shop' });
  const other = await createTenant(db, { slug: 'other', name: 'Other' });
  key = (await createApiKey(db, shop.id, 'test')).key;
  otherKey = (await createApiKey(db, other.id, 'test')).key;
  server = await startTestApp(testDb.database, { knowledge: { maxUploadBytes: 64 * 1024 } });
});
afterEach(async () => {
  await server.close();
});

function upload(file: Uint8Array, filename: string, type: string, apiKey = key, description?: string) {
  const form = new FormData();
  if (description) form.append('description', description);
  form.append('file', new Blob([Buffer.from(file)], { type }), filename);
  return fetch(`${server.url}/api/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
}

function get(path: string, apiKey = key) {
  return fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
}

describe('/api/v1/documents', () => {
  it('accepts an upload with 202, processes it, and the bot answers from it with a citation', async () => {
    const response = await upload(
      await fixture('returns-policy.pdf'),
      'retours.pdf',
      'application/pdf',
      key,
      'Politique 2025',
    );
    expect(response.status).toBe(202);
    const body = await response.json();
    expect(body.document).toMatchObject({
      filename: 'retours.pdf',
      status: 'pending',
      mimeType: 'application/pdf',
      description: 'Politique 2025',
    });
    expect(body.document).not.toHaveProperty('filePath');
    expect(body.job).toMatchObject({ kind: 'ingest', status: 'queued', sourceId: body.document.id });
    await server.knowledge.deps.runner.wait(body.job.id);

    const document = await (await get(`/documents/${body.document.id}`)).json();
    expect(document).toMatchObject({ status: 'processed', error: null });
    expect(document.chunkCount).toBeGreaterThan(0);
    expect(document.job).toMatchObject({
      status: 'succeeded',
      chunksIndexed: document.chunkCount,
      chunksTotal: document.chunkCount,
    });
    const job = await (await get(`/jobs/${body.job.id}`)).json();
    expect(job.status).toBe('succeeded');

    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('How many days do I have to return an unworn item?');
    expect(reply.text).toContain('30 days');
    expect(reply.citations?.[0]).toEqual({ title: 'Returns and refunds', filename: 'retours.pdf' });
    await visitor.close();

    // Another tenant's key sees none of it.
    expect((await get(`/documents/${body.document.id}`, otherKey)).status).toBe(404);
    expect((await (await get('/documents', otherKey)).json()).items).toEqual([]);
  });

  it('shows a failed document with its error, and lists it', async () => {
    const response = await upload(await fixture('encrypted.pdf'), 'locked.pdf', 'application/pdf');
    const { document, job } = await response.json();
    await server.knowledge.deps.runner.wait(job.id);
    const list = await (await get('/documents')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: document.id, status: 'failed', chunkCount: 0 });
    expect(list.items[0].error).toMatch(/password-protected/);
    expect(list.items[0].job).toMatchObject({ status: 'failed' });
  });

  it('refuses a file over the limit with 413 and an unsupported type with 415', async () => {
    const big = await upload(new Uint8Array(64 * 1024 + 1).fill(65), 'big.txt', 'text/plain');
    expect(big.status).toBe(413);
    expect((await big.json()).code).toBe('CAUSETTE_ERR_UPLOAD_TOO_LARGE');
    const image = await upload(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), 'logo.png', 'image/png');
    expect(image.status).toBe(415);
    expect((await image.json()).code).toBe('CAUSETTE_ERR_UNSUPPORTED_FILE_TYPE');
    const notMultipart = await fetch(`${server.url}/api/v1/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notMultipart.status).toBe(400);
  });

  it('re-processes and deletes; the bot stops citing a deleted document', async () => {
    const text = new TextEncoder().encode(
      '# Horaires\n\nLa boutique est ouverte du mardi au samedi, de 10 h à 19 h.',
    );
    const { document, job } = await (await upload(text, 'horaires.md', 'text/markdown')).json();
    await server.knowledge.deps.runner.wait(job.id);
    const again = await fetch(`${server.url}/api/v1/documents/${document.id}/reprocess`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(again.status).toBe(202);
    await server.knowledge.deps.runner.wait((await again.json()).job.id);
    const removed = await fetch(`${server.url}/api/v1/documents/${document.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(removed.status).toBe(204);
    const { visitor } = await TestVisitor.greet(server.wsUrl, 'shop');
    const { reply } = await visitor.ask('Quels sont les horaires de la boutique ?');
    expect(reply.citations ?? []).toEqual([]);
    await visitor.close();
  });
});
