/**
 * The length of every stored embedding, shared by the pgvector column and every embedder: the
 * offline embedder produces vectors of this size, and OpenAI's text-embedding-3 models are asked
 * for it (they can shorten their vectors). 512 keeps an HNSW index fast in embedded Postgres,
 * where each distance is computed in WebAssembly, while losing little to 1,536.
 */
export const EMBEDDING_DIMENSIONS = 512;
