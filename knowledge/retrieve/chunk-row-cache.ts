/**
 * Chunks already read back for a hit, so that the passages a tenant's questions keep landing on
 * are not read again for every question. An entry holds only at the tenant's knowledge revision it
 * was read at: every statement that adds, removes or rewrites a chunk's text, title or language
 * raises the revision (see the revision triggers), so an entry of an earlier revision is a miss
 * and the chunk is read again under row level security. Entries are keyed by tenant and filled
 * from that tenant's own transaction. Only memory bounds the cache, least recently used out.
 */
export class ChunkRowCache<Row> {
  private readonly rows = new Map<string, { revision: number; row: Row }>();

  constructor(private readonly maxRows = 20_000) {}

  get(tenantId: string, revision: number, chunkId: string): Row | undefined {
    const key = `${tenantId}:${chunkId}`;
    const entry = this.rows.get(key);
    if (!entry) return undefined;
    this.rows.delete(key);
    if (entry.revision !== revision) return undefined;
    // Most recently used last: a Map keeps insertion order.
    this.rows.set(key, entry);
    return entry.row;
  }

  set(tenantId: string, revision: number, chunkId: string, row: Row): void {
    const key = `${tenantId}:${chunkId}`;
    this.rows.delete(key);
    this.rows.set(key, { revision, row });
    while (this.rows.size > this.maxRows) {
      const oldest = this.rows.keys().next();
      if (oldest.done) break;
      this.rows.delete(oldest.value);
    }
  }

  get size(): number {
    return this.rows.size;
  }
}
