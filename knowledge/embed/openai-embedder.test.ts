import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { knowledgeChunks } from '../../migrations/schema/index.ts';
import { createDocumentService } from '../documents/document-service.ts';
import { createKnowledgeTestbed, type KnowledgeTestbed } from '../testing/knowledge-testbed.ts';
import { type OpenAiStandIn, startOpenAiStandIn } from '../testing/openai-stand-in.ts';
import { createOpenAiEmbedder, EmbeddingDimensionError } from './openai-embedder.ts';

let openai: OpenAiStandIn;
beforeAll(async () => {
  openai = await startOpenAiStandIn();
});
afterAll(async () => {
  await openai.close();
});

describe('OpenAI embeddings through @langchain/openai', () => {
  it('asks text-embedding-3-small for 512 dimensions with the key, and reads the answer', async () => {
    const embedder = createOpenAiEmbedder({ apiKey: 'sk-test', baseUrl: openai.baseUrl, maxRetries: 0 });
    const vectors = await embedder.embedChunks([
      { title: 'Livraison', content: 'Sous 3 jours' },
      { title: null, content: 'Retours gratuits' },
    ]);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(512);
    const last = openai.requests.at(-1)!;
    expect(last.authorization).toBe('Bearer sk-test');
    expect(last.body).toMatchObject({
      model: 'text-embedding-3-small',
      dimensions: 512,
      input: ['Livraison\n\nSous 3 jours', 'Retours gratuits'],
    });
    expect(embedder.model).toBe('text-embedding-3-small');
  });

  it('retries a failing call, and refuses vectors of the wrong length with a clear error', async () => {
    const embedder = createOpenAiEmbedder({ apiKey: 'sk-test', baseUrl: openai.baseUrl, maxRetries: 2 });
    openai.failures.push(500);
    expect(await embedder.embedQuery('bonjour')).toHaveLength(512);
    openai.forceDimensions = 768;
    try {
      await expect(embedder.embedQuery('bonjour')).rejects.toBeInstanceOf(EmbeddingDimensionError);
    } finally {
      openai.forceDimensions = null;
    }
  });
});

describe('the pipeline on OpenAI-compatible embeddings', () => {
  let bed: KnowledgeTestbed;
  beforeAll(async () => {
    bed = await createKnowledgeTestbed({
      embedder: createOpenAiEmbedder({
        apiKey: 'local',
        baseUrl: openai.baseUrl,
        model: 'nomic-embed-text',
        maxRetries: 0,
      }),
    });
  });
  afterAll(async () => {
    await bed.destroy();
  });

  it('records the model on each chunk and retrieves through its vectors', async () => {
    const tenantId = await bed.createTenant('shop');
    const { document, job } = await createDocumentService(bed.deps).upload(tenantId, {
      filename: 'tailles.md',
      mimeType: 'text/markdown',
      bytes: new TextEncoder().encode(
        '# Guide des tailles\n\nLes chaussures taillent petit : prenez une pointure au-dessus.',
      ),
    });
    expect((await bed.waitForJob(job!.id)).status).toBe('succeeded');
    const chunks = await withTenant(bed.db, tenantId, (tx) =>
      tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, document.id)),
    );
    expect(chunks.every((c) => c.embeddingModel === 'nomic-embed-text' && c.embedding?.length === 512)).toBe(
      true,
    );
    const { hits, trace } = await bed.retriever.retrieveWithTrace(tenantId, 'pointure chaussures', {
      lang: 'fr',
    });
    expect(trace.dense).toContain(chunks[0]!.id);
    expect(hits[0]?.citation.filename).toBe('tailles.md');
  });
});
