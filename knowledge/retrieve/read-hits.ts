import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/database.ts';
import type { Language } from '../text/detect-language.ts';
import type { ChunkRowCache } from './chunk-row-cache.ts';
import { citationOf } from './citation.ts';
import type { RankedEntry } from './rank-candidates.ts';
import type { RetrievalHit } from './retrieval-hit.ts';

/** Entries read beyond those missing, to stand in for entries whose row is gone. */
const SPARE_ROWS = 2;

/** A chunk as read back for a hit. */
export interface ChunkRow extends Record<string, unknown> {
  id: string;
  source_type: string;
  source_id: string | null;
  title: string | null;
  content: string;
  lang: string | null;
  metadata: Record<string, unknown> | string;
}

/**
 * The hits of each ranked list, at most `limit` each, best first. Rows are read back under row
 * level security: a stale index entry or a vector store point without its chunk never becomes a
 * hit. A few spare ones stand in for those; the lists still short read their next entries, all
 * lists in one statement per round.
 */
export async function readHits(
  tx: Tx,
  tenantId: string,
  revision: number,
  lists: readonly { ranked: readonly RankedEntry[]; limit: number }[],
  rowCache: ChunkRowCache<ChunkRow>,
): Promise<RetrievalHit[][]> {
  const pages = lists.map(({ ranked, limit }) => ({ ranked, limit, next: 0, hits: [] as RetrievalHit[] }));
  for (;;) {
    const wanted = pages.flatMap((page) => {
      const missing = page.limit - page.hits.length;
      if (missing <= 0 || page.next >= page.ranked.length) return [];
      const entries = page.ranked.slice(page.next, page.next + missing + SPARE_ROWS);
      page.next += entries.length;
      return [{ page, entries }];
    });
    if (wanted.length === 0) break;
    const ids = wanted.flatMap(({ entries }) => entries.map((entry) => entry.id));
    const rowById = await rowsOf(tx, tenantId, revision, ids, rowCache);
    for (const { page, entries } of wanted) {
      for (const entry of entries) {
        const row = rowById.get(entry.id);
        if (row && page.hits.length < page.limit) page.hits.push(toHit(row, entry.score));
      }
    }
  }
  return pages.map((page) => page.hits);
}

/** The rows of these chunks that exist and are visible: from the cache, the others in one statement. */
async function rowsOf(
  tx: Tx,
  tenantId: string,
  revision: number,
  ids: readonly string[],
  rowCache: ChunkRowCache<ChunkRow>,
): Promise<Map<string, ChunkRow>> {
  const rowById = new Map<string, ChunkRow>();
  const missing = new Set<string>();
  for (const id of ids) {
    if (rowById.has(id) || missing.has(id)) continue;
    const known = rowCache.get(tenantId, revision, id);
    if (known) rowById.set(id, known);
    else missing.add(id);
  }
  if (missing.size === 0) return rowById;
  const rows = await queryRows<ChunkRow>(
    tx,
    // Joined to the ids rather than filtered by "id = any(…)": each id is then one probe of the
    // primary key, where the filter lets the planner combine it with the tenant index and read
    // the whole tenant's entries of it (a cost that grows with the knowledge).
    sql`select k.id, k.source_type, k.source_id, k.title, k.content, k.lang, k.metadata
          from unnest(${`{${[...missing].join(',')}}`}::uuid[]) as wanted(id)
          join knowledge_chunks k on k.id = wanted.id`,
  );
  for (const row of rows) {
    rowById.set(row.id, row);
    rowCache.set(tenantId, revision, row.id, row);
  }
  return rowById;
}

function toHit(row: ChunkRow, score: number): RetrievalHit {
  const metadata = typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata;
  return {
    chunkId: row.id,
    sourceType: row.source_type,
    sourceId: row.source_id,
    title: row.title,
    content: row.content,
    lang: row.lang === 'fr' || row.lang === 'en' ? (row.lang as Language) : null,
    score,
    citation: citationOf({ title: row.title, sourceType: row.source_type }, metadata),
  };
}
