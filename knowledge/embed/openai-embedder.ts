import { OpenAIEmbeddings } from '@langchain/openai';
import { EMBEDDING_DIMENSIONS } from '../../migrations/schema/embedding-dimensions.ts';
import { DEFAULT_OPENAI_EMBEDDING_MODEL } from '../knowledge-defaults.ts';
import { type ChunkText, chunkAsText, type Embedder } from './embedder.ts';

export interface OpenAiEmbedderOptions {
  /** Undefined with a local OpenAI-compatible server that needs no key. */
  apiKey: string | undefined;
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio…); undefined means OpenAI itself. */
  baseUrl: string | undefined;
  model?: string;
  /** Per request. */
  timeoutMs?: number;
  maxRetries?: number;
}

/** Raised when the server answers with vectors that the store cannot hold. */
export class EmbeddingDimensionError extends Error {
  readonly code = 'CAUSETTE_ERR_EMBEDDING_DIMENSIONS';
}

/**
 * Embeddings from OpenAI, or any server that speaks its API, through LangChain's client. The
 * model is asked for EMBEDDING_DIMENSIONS dimensions, which text-embedding-3 models honour; a
 * model that answers with another length is refused with a clear error rather than stored.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const model = options.model ?? DEFAULT_OPENAI_EMBEDDING_MODEL;
  const client = new OpenAIEmbeddings({
    model,
    dimensions: EMBEDDING_DIMENSIONS,
    // Local servers accept any key, but the client insists on one.
    apiKey: options.apiKey ?? 'not-needed',
    configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 3,
    batchSize: 128,
    stripNewLines: false,
  });
  const check = (vectors: number[][]) => {
    for (const vector of vectors) {
      if (vector.length !== EMBEDDING_DIMENSIONS) {
        throw new EmbeddingDimensionError(
          `The embedding model "${model}" returned ${vector.length} dimensions; Causette stores ` +
            `${EMBEDDING_DIMENSIONS}. Use a model that supports the "dimensions" parameter ` +
            '(such as text-embedding-3-small) or one that produces that many dimensions.',
        );
      }
    }
    return vectors;
  };
  return {
    model,
    dimensions: EMBEDDING_DIMENSIONS,
    fusionWeight: 1,
    async embedChunks(chunks: ChunkText[], signal?: AbortSignal) {
      if (chunks.length === 0) return [];
      signal?.throwIfAborted();
      return check(await client.embedDocuments(chunks.map(chunkAsText)));
    },
    async embedQuery(text: string, signal?: AbortSignal) {
      signal?.throwIfAborted();
      const [vector] = check([await client.embedQuery(text)]);
      return vector ?? [];
    },
    relevance(cosine) {
      // text-embedding-3 cosines are compressed: unrelated ≈ 0.1–0.2, a good answer ≈ 0.45+.
      return Math.min(1, Math.max(0, (cosine - 0.2) / 0.4));
    },
  };
}
