import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { documents, knowledgeChunks } from '../../migrations/schema/index.ts';
import { createDocumentService, type DocumentService } from '../documents/document-service.ts';
import { rebuildVectors } from '../maintenance/rebuild-vectors.ts';
import { createKnowledgeTestbed, type KnowledgeTestbed } from '../testing/knowledge-testbed.ts';
import { type QdrantStandIn, startQdrantStandIn } from '../testing/qdrant-stand-in.ts';
import { createQdrantStore, type QdrantVectorStoreHandle } from './qdrant-store.ts';

let qdrant: QdrantStandIn;
let store: QdrantVectorStoreHandle;
let bed: KnowledgeTestbed;
let service: DocumentService;
let shop: string;
let other: string;

beforeAll(async () => {
  qdrant = await startQdrantStandIn({ apiKey: 'qdrant-key' });
  store = createQdrantStore({ url: qdrant.url, apiKey: 'qdrant-key', collection: 'test_chunks' });
  bed = await createKnowledgeTestbed({ vectors: store });
});
afterAll(async () => {
  await bed.destroy();
  await qdrant.close();
});
beforeEach(async () => {
  await bed.reset();
  qdrant.collections.clear();
  qdrant.failWith = null;
  service = createDocumentService(bed.deps);
  shop = await bed.createTenant('shop');
  other = await bed.createTenant('other');
});

async function upload(tenantId: string, filename: string, markdown: string) {
  const { document, job } = await service.upload(tenantId, {
    filename,
    mimeType: 'text/markdown',
    bytes: new TextEncoder().encode(markdown),
  });
  const outcome = await bed.waitForJob(job!.id);
  const chunks = await withTenant(bed.db, tenantId, (tx) =>
    tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, document.id)),
  );
  return { document, outcome, chunks };
}

const points = () => qdrant.collections.get('test_chunks')?.points ?? new Map();

describe('Qdrant through @langchain/qdrant', () => {
  it('creates one collection with a tenant payload index, and stores chunk vectors as points', async () => {
    const { chunks, outcome } = await upload(
      shop,
      'livraison.md',
      '# Livraison\n\nNous livrons en 3 à 5 jours ouvrés.',
    );
    expect(outcome.status).toBe('succeeded');
    const collection = qdrant.collections.get('test_chunks')!;
    expect(collection).toMatchObject({ size: 512, distance: 'Cosine' });
    expect(collection.payloadIndexes.get('metadata.tenant_id')).toEqual({ type: 'keyword', is_tenant: true });
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      expect(chunk.indexedInQdrant).toBe(true);
      expect(chunk.embedding).toBeNull();
      expect(points().get(chunk.id)?.payload['metadata']).toMatchObject({
        tenant_id: shop,
        chunk_id: chunk.id,
      });
    }
  });

  it('filters every search by tenant: tenant A never gets a chunk of tenant B', async () => {
    const theirs = await upload(
      other,
      'secret.md',
      '# Code promo interne\n\nLe code CHUTTT donne 80 % au personnel.',
    );
    await upload(shop, 'promo.md', '# Promotions\n\nLes soldes commencent en janvier.');
    const foreign = new Set(theirs.chunks.map((c) => c.id));
    qdrant.requests.length = 0;
    const { hits, trace } = await bed.retriever.retrieveWithTrace(
      shop,
      'code promo interne CHUTTT personnel',
      { threshold: 0 },
    );
    for (const id of [...trace.dense, ...hits.map((h) => h.chunkId)]) expect(foreign.has(id)).toBe(false);
    expect(trace.dense.length).toBeGreaterThan(0);
    const searches = qdrant.requests.filter((r) => r.path.endsWith('/points/query'));
    expect(searches).toHaveLength(1);
    expect(searches[0]!.body).toMatchObject({
      filter: { must: expect.arrayContaining([{ key: 'metadata.tenant_id', match: { value: shop } }]) },
    });
    const { trace: theirTrace } = await bed.retriever.retrieveWithTrace(other, 'code promo interne', {
      threshold: 0,
    });
    expect(theirTrace.dense).toEqual(expect.arrayContaining([...foreign]));
  });

  it('deletes the points of a deleted document', async () => {
    const { document, chunks } = await upload(shop, 'a.md', '# A\n\nTexte de la page A pour le test.');
    expect(points().size).toBe(chunks.length);
    await service.remove(shop, document.id);
    expect(points().size).toBe(0);
  });

  it('fails a document while Qdrant is down, indexing nothing, and still answers lexically', async () => {
    await upload(shop, 'horaires.md', '# Horaires\n\nOuvert du mardi au samedi de 10 h à 19 h.');
    qdrant.failWith = 503;
    const { document, outcome } = await upload(
      shop,
      'retours.md',
      '# Retours\n\nRetours gratuits pendant 30 jours.',
    );
    expect(outcome.status).toBe('failed');
    const stored = await withTenant(bed.db, shop, (tx) =>
      tx.select().from(documents).where(eq(documents.id, document.id)),
    );
    expect(stored[0]).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(stored[0]!.error).toMatch(
      /^Qdrant \(http:\/\/127\.0\.0\.1:\d+\) could not store vectors: .*(503|Unavailable)/i,
    );
    const hits = await bed.retriever.retrieve(shop, 'horaires d’ouverture le samedi', { lang: 'fr' });
    expect(hits[0]?.content).toContain('mardi au samedi');
  });

  it('rebuilds the collection from knowledge_chunks (reindex)', async () => {
    const { chunks } = await upload(shop, 'a.md', '# A\n\nTexte de la page A pour le test.');
    await upload(other, 'b.md', '# B\n\nTexte de la page B pour le test.');
    points().clear();
    await rebuildVectors(bed.deps, shop, { scope: 'all' })(
      { update() {}, add() {} },
      new AbortController().signal,
    );
    expect([...points().keys()].sort()).toEqual(chunks.map((c) => c.id).sort());
    const flags = await withTenant(bed.db, shop, (tx) => tx.select().from(knowledgeChunks));
    expect(flags.every((c) => c.indexedInQdrant)).toBe(true);
  });
});
