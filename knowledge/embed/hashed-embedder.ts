import { EMBEDDING_DIMENSIONS } from '../../migrations/schema/embedding-dimensions.ts';
import { normalizeWords } from '../text/normalize-words.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import type { ChunkText, Embedder } from './embedder.ts';

export const HASHED_EMBEDDING_MODEL = `causette-hashed-v1-${EMBEDDING_DIMENSIONS}`;

const HALF = EMBEDDING_DIMENSIONS / 2;
const WORD_WEIGHT = 2;
const GRAM_SIZES = [3, 4, 5];

/**
 * The offline embedder: no model, no download, no network. Each text becomes a bag of words and
 * of character 3- to 5-grams (which carry plurals, conjugations and typos), hashed into a fixed
 * number of signed buckets. A chunk's vector has two halves, its title's and its body's, and a
 * query is hashed into both, so the cosine is the mean of the query's similarity to the title and
 * to the body: titles (questions, headings) say what a passage answers.
 */
export function createHashedEmbedder(): Embedder {
  return {
    model: HASHED_EMBEDDING_MODEL,
    dimensions: EMBEDDING_DIMENSIONS,
    // Hashed n-grams know spelling, not meaning: they help the lexical ranking, not lead it.
    fusionWeight: 0.5,
    local: true,
    async embedChunks(chunks) {
      return chunks.map(embedChunk);
    },
    async embedQuery(text) {
      const half = hashFeatures(text);
      return [...half, ...half].map((x) => x * Math.SQRT1_2);
    },
    relevance(cosine) {
      // Unrelated texts share a few n-grams: the best chunk for a question the knowledge cannot
      // answer stays below a cosine of about 0.2, while right answers to paraphrased questions
      // mostly score 0.3 to 0.6 (measured on the benchmark sets in bench/data).
      return clamp((cosine - 0.12) / 0.3);
    },
  };
}

function embedChunk(chunk: ChunkText): number[] {
  const body = hashFeatures(chunk.title ? `${chunk.title}\n${chunk.content}` : chunk.content);
  const title = chunk.title ? hashFeatures(chunk.title) : body;
  return [...title, ...body].map((x) => x * Math.SQRT1_2);
}

/** One L2-normalised half vector. */
function hashFeatures(text: string): Float64Array {
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  for (const word of normalizeWords(text)) {
    if (STOP_WORDS.has(word)) continue;
    add(`w:${word}`);
    const padded = `<${word}>`;
    for (const n of GRAM_SIZES) {
      for (let i = 0; i + n <= padded.length; i++) add(padded.slice(i, i + n));
    }
  }
  const vector = new Float64Array(HALF);
  for (const [feature, count] of counts) {
    const hash = fnv1a(feature);
    const weight = (1 + Math.log(count)) * (feature.startsWith('w:') ? WORD_WEIGHT : 1);
    const slot = hash % HALF;
    vector[slot] = (vector[slot] ?? 0) + (hash & 0x80000000 ? -weight : weight);
  }
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < HALF; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
