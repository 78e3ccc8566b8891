import { type SQL, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../migrations/database.ts';
import { type Bm25Parameters, DEFAULT_BM25, type IndexedChunk, LexicalIndex } from './lexical-index.ts';

export interface LexicalIndexCacheOptions {
  /** Postings kept in memory across all tenants before the least recently used are dropped. */
  maxPostings?: number;
  bm25?: Bm25Parameters;
}

/** Changes kept by the database per tenant (see the revision triggers); beyond, reload. */
const CHANGE_WINDOW = 900;

/**
 * The lexical indexes of the tenants this process has served, kept in step with the database.
 * Each retrieval reads the tenant's revision in its own transaction; an index that is behind
 * applies the chunks added and removed since, or is rebuilt when too far behind. Writes from
 * other server processes are therefore seen by the next query.
 */
export class LexicalIndexCache {
  private readonly indexes = new Map<string, LexicalIndex>();
  private readonly syncing = new Map<string, Promise<void>>();
  private readonly maxPostings: number;
  private readonly bm25: Bm25Parameters;

  constructor(options: LexicalIndexCacheOptions = {}) {
    this.maxPostings = options.maxPostings ?? 20_000_000;
    this.bm25 = options.bm25 ?? DEFAULT_BM25;
  }

  /** The tenant's index, brought up to `revision` inside the tenant's transaction `tx`. */
  async get(tx: Tx, tenantId: string, revision: number): Promise<LexicalIndex> {
    for (;;) {
      const index = this.indexes.get(tenantId);
      if (index && index.revision >= revision) {
        // Most recently used last: Map keeps insertion order.
        this.indexes.delete(tenantId);
        this.indexes.set(tenantId, index);
        return index;
      }
      const running = this.syncing.get(tenantId);
      if (running) {
        await running.catch(() => {});
        continue;
      }
      const work = this.sync(tx, tenantId, index, revision);
      this.syncing.set(tenantId, work);
      try {
        await work;
      } finally {
        this.syncing.delete(tenantId);
      }
    }
  }

  /** Forgets a tenant's index (its knowledge was rebuilt or it was deleted). */
  forget(tenantId: string): void {
    this.indexes.delete(tenantId);
  }

  private async sync(tx: Tx, tenantId: string, index: LexicalIndex | undefined, revision: number) {
    if (!index || revision - index.revision > CHANGE_WINDOW) {
      const fresh = new LexicalIndex(this.bm25);
      for (const chunk of await loadChunks(tx, sql`true`)) fresh.add(chunk);
      fresh.revision = revision;
      this.indexes.set(tenantId, fresh);
      this.evict(tenantId);
      return;
    }
    const changes = await queryRows<{ chunk_id: string; change: string }>(
      tx,
      sql`select chunk_id, change from knowledge_changes
          where revision > ${index.revision} and revision <= ${revision}
          order by revision, change`,
    );
    // The last change of each chunk decides whether it is in the index.
    const present = new Map<string, boolean>();
    for (const change of changes) present.set(change.chunk_id, change.change === 'i');
    for (const chunkId of present.keys()) index.remove(chunkId);
    const added = [...present].filter(([, isPresent]) => isPresent).map(([id]) => id);
    for (let i = 0; i < added.length; i += 1000) {
      const ids = added.slice(i, i + 1000);
      for (const chunk of await loadChunks(tx, sql`c.id = any(${toUuidArray(ids)}::uuid[])`))
        index.add(chunk);
    }
    index.revision = revision;
  }

  private evict(keep: string): void {
    let total = 0;
    for (const index of this.indexes.values()) total += index.weight;
    for (const [tenantId, index] of this.indexes) {
      if (total <= this.maxPostings) return;
      if (tenantId === keep) continue;
      this.indexes.delete(tenantId);
      total -= index.weight;
    }
  }
}

/**
 * Chunks with the lexemes of their search_vector, counted in the title (weight A) and body. The
 * tsvector travels in its text form ('lexeme':1A,4 …), parsed here: unnesting it in SQL costs
 * several times more, above all in embedded Postgres.
 */
async function loadChunks(tx: Tx, where: SQL): Promise<IndexedChunk[]> {
  const rows = await queryRows<{ id: string; title: string | null; terms: string | null }>(
    tx,
    sql`select c.id, c.title, c.search_vector::text as terms from knowledge_chunks c where ${where}`,
  );
  return rows.map((row) => ({ id: row.id, title: row.title, terms: parseTsvector(row.terms ?? '') }));
}

/**
 * The lexemes of a tsvector's text output with their title (A) and other counts. Lexemes are
 * quoted, with quotes doubled and backslashes escaped; positions follow a colon.
 */
export function parseTsvector(text: string): IndexedChunk['terms'] {
  const terms: IndexedChunk['terms'] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") {
      i += 1;
      continue;
    }
    let lexeme = '';
    i += 1;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') {
        lexeme += text[i + 1] ?? '';
        i += 2;
      } else if (c === "'") {
        if (text[i + 1] === "'") {
          lexeme += "'";
          i += 2;
        } else {
          i += 1;
          break;
        }
      } else {
        lexeme += c;
        i += 1;
      }
    }
    let title = 0;
    let body = 0;
    if (text[i] === ':') {
      const end = text.indexOf(' ', i);
      const positions = text.slice(i + 1, end === -1 ? text.length : end);
      for (const position of positions.split(',')) {
        if (position.endsWith('A')) title += 1;
        else body += 1;
      }
      i = end === -1 ? text.length : end;
    } else {
      body = 1;
    }
    terms.push([lexeme, title, body]);
  }
  return terms;
}

/** A Postgres array literal of UUIDs (validated by the ::uuid[] cast). */
function toUuidArray(ids: string[]): string {
  return `{${ids.join(',')}}`;
}
