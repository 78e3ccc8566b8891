import { LRUCache } from 'lru-cache';

/**
 * Chunks already read back for a hit, so that the passages a tenant's questions keep landing on
 * are not read again for every question. An entry holds only at the tenant's knowledge revision it
 * was read at: every statement that adds, removes or rewrites a chunk's text, title or language
 * raises the revision (see the revision triggers), so an entry of an earlier revision is a miss
 * and the chunk is read again under row level security. Entries are keyed by tenant and filled
 * from that tenant's own transaction. Only memory bounds the cache, least recently used out.
 */
export class ChunkRowCache<Row> {
  private readonly rows: LRUCache<string, { revision: number; row: Row }>;

  constructor(maxRows = 20_000) {
    this.rows = new LRUCache({ max: maxRows });
  }

  get(tenantId: string, revision: number, chunkId: string): Row | undefined {
    const key = `${tenantId}:${chunkId}`;
    const entry = this.rows.get(key);
    if (entry === undefined) return undefined;
    if (entry.revision === revision) return entry.row;
    this.rows.delete(key);
    return undefined;
  }

  set(tenantId: string, revision: number, chunkId: string, row: Row): void {
    this.rows.set(`${tenantId}:${chunkId}`, { revision, row });
  }

  get size(): number {
    return this.rows.size;
  }
}
