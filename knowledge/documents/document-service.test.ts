import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { documents, knowledgeChunks } from '../../migrations/schema/index.ts';
import { getJob } from '../jobs/job-store.ts';
import { createKnowledgeTestbed, type KnowledgeTestbed } from '../testing/knowledge-testbed.ts';
import { createDocumentService, type DocumentService } from './document-service.ts';
import { getDocument } from './document-store.ts';

const fixture = (name: string) => readFile(new URL(`../ingest/extract/fixtures/${name}`, import.meta.url));
const text = (value: string) => new TextEncoder().encode(value);

let bed: KnowledgeTestbed;
let service: DocumentService;
let shop: string;
let other: string;

beforeAll(async () => {
  bed = await createKnowledgeTestbed({ maxUploadBytes: 5 * 1024 * 1024 });
});
afterAll(async () => {
  await bed.destroy();
});
beforeEach(async () => {
  await bed.reset();
  service = createDocumentService(bed.deps);
  shop = await bed.createTenant('shop');
  other = await bed.createTenant('other');
});

async function uploadAndWait(tenantId: string, filename: string, bytes: Uint8Array, mimeType?: string) {
  const { document, job } = await service.upload(tenantId, { filename, mimeType, bytes });
  const outcome = job ? await bed.waitForJob(job.id) : undefined;
  const stored = await withTenant(bed.db, tenantId, (tx) => getDocument(tx, document.id));
  const chunks = await withTenant(bed.db, tenantId, (tx) =>
    tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, document.id)),
  );
  return { document: stored!, job, outcome, chunks };
}

describe('uploading documents', () => {
  it('processes a PDF: file kept under the data directory, row processed, chunks with seed metadata', async () => {
    const { document, outcome, chunks, job } = await uploadAndWait(
      shop,
      '../../etc/Politique retours.pdf',
      await fixture('returns-policy.pdf'),
    );
    expect(outcome?.status).toBe('succeeded');
    expect(document).toMatchObject({
      status: 'processed',
      filename: 'Politique retours.pdf',
      mimeType: 'application/pdf',
      fileSize: (await fixture('returns-policy.pdf')).length,
      error: null,
    });
    expect(document.chunkCount).toBe(chunks.length);
    expect(chunks.length).toBeGreaterThan(0);
    // Stored under an id-based name inside the data directory, whatever the uploaded name.
    expect(document.filePath).toBe(join('documents', shop, `${document.id}.pdf`));
    expect(await readdir(join(bed.deps.dataDir, 'documents', shop))).toEqual([`${document.id}.pdf`]);
    const chunk = chunks[0]!;
    expect(chunk.metadata).toMatchObject({
      chunk_index: 0,
      filename: 'Politique retours.pdf',
      title: 'Returns and refunds',
    });
    expect(chunk.metadata['char_count']).toBe(chunk.content.length);
    expect(chunk.embeddingModel).toMatch(/^causette-hashed/);
    expect(chunk.embedding).toHaveLength(512);
    const finished = await withTenant(bed.db, shop, (tx) => getJob(tx, job!.id));
    expect(finished).toMatchObject({
      status: 'succeeded',
      chunksTotal: chunks.length,
      chunksIndexed: chunks.length,
    });

    const hits = await bed.retriever.retrieve(shop, 'How many days do I have to return an item?', {
      lang: 'en',
    });
    expect(hits[0]?.sourceId).toBe(document.id);
    expect(hits[0]?.citation).toEqual({ title: 'Returns and refunds', filename: 'Politique retours.pdf' });
  });

  it('processes a DOCX and a Markdown file, chunked by their headings', async () => {
    const docx = await uploadAndWait(shop, 'guide.docx', await fixture('size-guide.docx'));
    expect(docx.document.status).toBe('processed');
    expect(docx.chunks.map((c) => c.title)).toContain('Guide des tailles › Chaussures');
    const md = await uploadAndWait(
      shop,
      'faq.md',
      text(
        '# Paiement\n\nNous acceptons la carte bancaire et PayPal.\n\n## Paiement en trois fois\n\nDisponible dès 100 € d’achat.',
      ),
    );
    expect(md.chunks.map((c) => c.title).sort()).toEqual(['Paiement', 'Paiement › Paiement en trois fois']);
    const hits = await bed.retriever.retrieve(shop, 'Quelle pointure choisir pour les chaussures ?', {
      lang: 'fr',
    });
    expect(hits[0]?.content).toContain('pointure');
    expect(hits[0]?.citation.filename).toBe('guide.docx');
  });

  it.each([
    ['encrypted.pdf', 'encrypted.pdf', /password-protected/],
    ['a damaged PDF', 'truncated.pdf', /could not be read/],
    ['a DOCX that decompresses to gigabytes', 'zip-bomb.docx', /zip bomb/],
  ])('marks %s failed with a readable error and no chunks', async (_name, file, message) => {
    const { document, outcome, chunks } = await uploadAndWait(shop, file, await fixture(file));
    expect(outcome?.status).toBe('failed');
    expect(document.status).toBe('failed');
    expect(document.error).toMatch(message);
    expect(document.chunkCount).toBe(0);
    expect(chunks).toEqual([]);
  });

  it('marks binary data that claims to be text failed', async () => {
    const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 151) % 256);
    const { document, chunks } = await uploadAndWait(shop, 'notes.txt', binary, 'text/plain');
    expect(document).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(document.error).toMatch(/not text/);
    expect(chunks).toEqual([]);
  });

  it('records a "PDF" that is not one as failed, without queuing work', async () => {
    const { document, job } = await uploadAndWait(shop, 'invoice.pdf', text('just some text'));
    expect(job).toBeNull();
    expect(document).toMatchObject({ status: 'failed', error: expect.stringMatching(/not one/) });
  });

  it('refuses files over the size limit and unsupported types before storing anything', async () => {
    await expect(
      service.upload(shop, {
        filename: 'big.txt',
        mimeType: 'text/plain',
        bytes: new Uint8Array(5 * 1024 * 1024 + 1),
      }),
    ).rejects.toMatchObject({
      code: 'CAUSETTE_ERR_UPLOAD_TOO_LARGE',
    });
    await expect(
      service.upload(shop, { filename: 'photo.png', mimeType: 'image/png', bytes: new Uint8Array(10) }),
    ).rejects.toMatchObject({
      code: 'CAUSETTE_ERR_UNSUPPORTED_FILE_TYPE',
    });
    expect(await withTenant(bed.db, shop, (tx) => tx.select().from(documents))).toEqual([]);
  });

  it('re-processes a document, replacing its chunks, and deletes it with its chunks and file', async () => {
    const first = await uploadAndWait(
      shop,
      'faq.md',
      text('# Horaires\n\nLa boutique est ouverte du mardi au samedi.'),
    );
    const again = await service.reprocess(shop, first.document.id);
    await bed.waitForJob(again.job!.id);
    const chunks = await withTenant(bed.db, shop, (tx) =>
      tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, first.document.id)),
    );
    expect(chunks).toHaveLength(first.chunks.length);
    expect(chunks.map((c) => c.id)).not.toEqual(first.chunks.map((c) => c.id));

    expect(await service.remove(shop, first.document.id)).toBe(true);
    expect(await withTenant(bed.db, shop, (tx) => tx.select().from(knowledgeChunks))).toEqual([]);
    expect(await readdir(join(bed.deps.dataDir, 'documents', shop))).toEqual([]);
    expect(await bed.retriever.retrieve(shop, 'horaires de la boutique')).toEqual([]);
    expect(await service.remove(shop, first.document.id)).toBe(false);
  });
});

describe('tenant isolation (pgvector)', () => {
  it('never returns a chunk of another tenant, lexically or by vector', async () => {
    await uploadAndWait(
      other,
      'secret.md',
      text('# Code promo secret\n\nLe code promo interne CHUTTT donne 80 % de remise au personnel.'),
    );
    await uploadAndWait(shop, 'promo.md', text('# Promotions\n\nLes soldes commencent en janvier.'));
    for (const query of ['code promo secret CHUTTT', 'remise du personnel', 'promotions']) {
      const { hits, trace } = await bed.retriever.retrieveWithTrace(shop, query, { threshold: 0 });
      const otherChunks = await withTenant(bed.db, other, (tx) =>
        tx.select({ id: knowledgeChunks.id }).from(knowledgeChunks),
      );
      const foreign = new Set(otherChunks.map((c) => c.id));
      expect(otherChunks.length).toBeGreaterThan(0);
      for (const id of [...trace.lexical, ...trace.dense, ...hits.map((h) => h.chunkId)])
        expect(foreign.has(id)).toBe(false);
    }
    const { hits: theirs } = await bed.retriever.retrieveWithTrace(other, 'code promo secret', {
      threshold: 0,
    });
    expect(theirs[0]?.content).toContain('CHUTTT');
  });
});
