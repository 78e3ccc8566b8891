/** The text of a chunk as embedders see it: its title (heading path, question…) and its body. */
export interface ChunkText {
  title: string | null;
  content: string;
}

/** Turns text into vectors of a fixed length. One implementation runs offline, one calls OpenAI. */
export interface Embedder {
  /** Recorded in knowledge_chunks.embedding_model; vectors of different models are never compared. */
  readonly model: string;
  readonly dimensions: number;
  /**
   * How much the fused ranking trusts this embedder's nearest neighbours next to the lexical
   * ranking (which weighs 1).
   */
  readonly fusionWeight: number;
  /**
   * True when embedding runs in this process, with no network: a retrieval may then run inside
   * a transaction that a caller holds open (a transaction must never wait on a remote service).
   */
  readonly local?: boolean;
  embedChunks(chunks: ChunkText[], signal?: AbortSignal): Promise<number[][]>;
  embedQuery(text: string, signal?: AbortSignal): Promise<number[]>;
  /** Maps a cosine similarity to a relevance in [0, 1] on the same scale as lexical scores. */
  relevance(cosine: number): number;
}

/** The text an embedder that takes one string per chunk is given. */
export function chunkAsText(chunk: ChunkText): string {
  return chunk.title ? `${chunk.title}\n\n${chunk.content}` : chunk.content;
}
