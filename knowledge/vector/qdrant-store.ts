import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { QdrantVectorStore } from '@langchain/qdrant';
import { QdrantClient } from '@qdrant/js-client-rest';
import { EMBEDDING_DIMENSIONS } from '../../migrations/schema/embedding-dimensions.ts';
import { DEFAULT_QDRANT_COLLECTION } from '../knowledge-defaults.ts';
import { type VectorStore, VectorStoreError } from './vector-store.ts';

export interface QdrantStoreOptions {
  url: string;
  apiKey: string | undefined;
  collection?: string;
  /** Per request. */
  timeoutMs?: number;
}

export interface QdrantVectorStoreHandle extends VectorStore {
  /** Creates the collection and its payload indexes when missing; idempotent. */
  ensureCollection(): Promise<void>;
}

const TENANT_KEY = 'metadata.tenant_id';
const MODEL_KEY = 'metadata.embedding_model';

/**
 * Vectors in one Qdrant collection shared by all tenants, through LangChain's QdrantVectorStore.
 * Every point carries its tenant in its payload, indexed as Qdrant's tenant key, and every search
 * and delete is filtered by it. Point ids are chunk ids, so knowledge_chunks stays the source of
 * truth: the retriever reads hits back from Postgres under row level security.
 */
export function createQdrantStore(options: QdrantStoreOptions): QdrantVectorStoreHandle {
  const collection = options.collection ?? DEFAULT_QDRANT_COLLECTION;
  const client = new QdrantClient({
    url: options.url,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    timeout: options.timeoutMs ?? 10_000,
    checkCompatibility: false,
  });
  const store = new QdrantVectorStore(new PrecomputedEmbeddings(), {
    client,
    collectionName: collection,
    collectionConfig: { vectors: { size: EMBEDDING_DIMENSIONS, distance: 'Cosine' } },
  });
  let ensured: Promise<void> | undefined;

  async function ensureCollection(): Promise<void> {
    const { collections } = await client.getCollections();
    if (!collections.some((c) => c.name === collection)) {
      await client.createCollection(collection, {
        vectors: { size: EMBEDDING_DIMENSIONS, distance: 'Cosine' },
      });
    }
    await client.createPayloadIndex(collection, {
      field_name: TENANT_KEY,
      field_schema: { type: 'keyword', is_tenant: true },
      wait: true,
    });
    await client.createPayloadIndex(collection, {
      field_name: MODEL_KEY,
      field_schema: 'keyword',
      wait: true,
    });
  }
  const ready = () => {
    ensured ??= ensureCollection().catch((error: unknown) => {
      ensured = undefined;
      throw error;
    });
    return ensured;
  };
  const tenantIs = (tenantId: string) => ({ key: TENANT_KEY, match: { value: tenantId } });
  /** Runs a call to Qdrant, turning its failures into one readable error. */
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof VectorStoreError) throw error;
      const status = (error as { status?: number }).status;
      const detail = error instanceof Error ? error.message : String(error);
      throw new VectorStoreError(
        `Qdrant (${options.url}) could not ${what}: ${status ? `HTTP ${status} ` : ''}${detail}`.slice(
          0,
          400,
        ),
      );
    }
  };

  return {
    kind: 'qdrant',
    inRow: false,
    ensureCollection: () => call('prepare its collection', ready),
    async upsert(tenantId, model, points) {
      if (points.length === 0) return;
      await call('store vectors', ready);
      for (let i = 0; i < points.length; i += 256) {
        const batch = points.slice(i, i + 256);
        await call('store vectors', () =>
          store.addVectors(
            batch.map((p) => p.vector),
            batch.map(
              (p) =>
                new Document({
                  id: p.chunkId,
                  pageContent: p.content,
                  metadata: {
                    tenant_id: tenantId,
                    chunk_id: p.chunkId,
                    source_type: p.sourceType,
                    source_id: p.sourceId,
                    embedding_model: model,
                  },
                }),
            ),
          ),
        );
      }
    },
    async remove(tenantId, chunkIds) {
      if (chunkIds.length === 0) return;
      await call('remove vectors', ready);
      for (let i = 0; i < chunkIds.length; i += 1000) {
        await call('remove vectors', () =>
          store.delete({ filter: { must: [tenantIs(tenantId), { has_id: chunkIds.slice(i, i + 1000) }] } }),
        );
      }
    },
    async removeTenant(tenantId) {
      await call('remove vectors', ready);
      await call('remove vectors', () => store.delete({ filter: { must: [tenantIs(tenantId)] } }));
    },
    async search(_tx, tenantId, query) {
      await call('search', ready);
      const results = await call('search', () =>
        store.similaritySearchVectorWithScore(query.vector, query.limit, {
          must: [tenantIs(tenantId), { key: MODEL_KEY, match: { value: query.model } }],
        }),
      );
      return results.flatMap(([document, score]) => {
        const chunkId = typeof document.id === 'string' ? document.id : document.metadata['chunk_id'];
        // A point of another tenant can never pass the filter; this guards against a store
        // that ignored it.
        if (typeof chunkId !== 'string' || document.metadata['tenant_id'] !== tenantId) return [];
        return [{ chunkId, similarity: score }];
      });
    },
  };
}

/**
 * QdrantVectorStore wants an embeddings object, but Causette embeds before storing (so that a
 * failure happens before anything is written): vectors always arrive computed.
 */
class PrecomputedEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  override async embedDocuments(): Promise<number[][]> {
    throw new Error('Causette passes vectors to Qdrant already computed');
  }
  override async embedQuery(): Promise<number[]> {
    throw new Error('Causette passes query vectors to Qdrant already computed');
  }
}
