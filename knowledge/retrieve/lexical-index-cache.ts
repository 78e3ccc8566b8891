import { type SQL, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/database.ts';
import { type Bm25Parameters, DEFAULT_BM25, type IndexedChunk, LexicalIndex } from './lexical-index.ts';
import { readSnapshot, writeSnapshot } from './lexical-index-snapshot.ts';
import { TypoVocabulary } from './typo-vocabulary.ts';

export interface LexicalIndexCacheOptions {
  /** Postings kept in memory across all tenants before the least recently used are dropped. */
  maxPostings?: number;
  bm25?: Bm25Parameters;
  /**
   * Where each tenant's index is saved (see lexical-index-snapshot.ts), so that a restart loads
   * it from disk and only catches up on recent changes. Absent: always built from the database.
   */
  snapshotDir?: string | undefined;
  /** Told when a snapshot cannot be written; retrieval goes on without it. */
  onSnapshotError?: (error: unknown, tenantId: string) => void;
}

/** Changes kept by the database per tenant (see the revision triggers); beyond, reload. */
const CHANGE_WINDOW = 900;
/** Revisions an index may move past its snapshot before the snapshot is written again. */
const SNAPSHOT_EVERY = 50;

/**
 * The lexical indexes of the tenants this process has served, kept in step with the database.
 * Each retrieval reads the tenant's revision in its own transaction; an index that is behind
 * applies the chunks added and removed since, or is rebuilt when too far behind. Writes from
 * other server processes are therefore seen by the next query. With each index goes the
 * tenant's vocabulary for typo correction, refreshed less eagerly (a word new to the knowledge
 * is rarely mistyped within seconds of its arrival).
 */
export class LexicalIndexCache {
  private readonly indexes = new Map<string, LexicalIndex>();
  private readonly syncing = new Map<string, Promise<void>>();
  private readonly vocabularies = new Map<string, { vocabulary: TypoVocabulary; loadedAt: number }>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly snapshotRevisions = new Map<string, number>();
  private readonly writing = new Map<string, Promise<void>>();
  private readonly maxPostings: number;
  private readonly bm25: Bm25Parameters;
  private readonly snapshotDir: string | undefined;
  private readonly onSnapshotError: (error: unknown, tenantId: string) => void;

  constructor(options: LexicalIndexCacheOptions = {}) {
    this.maxPostings = options.maxPostings ?? 20_000_000;
    this.bm25 = options.bm25 ?? DEFAULT_BM25;
    this.snapshotDir = options.snapshotDir;
    this.onSnapshotError = options.onSnapshotError ?? (() => {});
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

  /** Loads the tenant's index ahead of its first question; `tx` is the tenant's transaction. */
  async warm(tx: Tx, tenantId: string): Promise<LexicalIndex> {
    const [row] = await queryRows<{ revision: number | string }>(
      tx,
      sql`select revision from knowledge_revisions`,
    );
    return this.get(tx, tenantId, Number(row?.revision ?? 0));
  }

  /** Whether the indexes held fill the memory allowed: loading more would evict some. */
  get full(): boolean {
    let total = 0;
    for (const index of this.indexes.values()) total += index.weight;
    return total >= this.maxPostings;
  }

  /** The tenant's typo vocabulary, loaded with its index; undefined before that. */
  vocabulary(tenantId: string): TypoVocabulary | undefined {
    return this.vocabularies.get(tenantId)?.vocabulary;
  }

  /**
   * Reloads the tenant's vocabulary in the background when it is older than `revision` and was
   * loaded more than `minAgeMs` ago; `load` runs in a transaction of its own.
   */
  refreshVocabulary(
    tenantId: string,
    revision: number,
    load: (work: (tx: Tx) => Promise<TypoVocabulary>) => Promise<TypoVocabulary>,
    minAgeMs = 10_000,
  ): void {
    const current = this.vocabularies.get(tenantId);
    if (current && current.vocabulary.revision >= revision) return;
    if (current && performance.now() - current.loadedAt < minAgeMs) return;
    if (this.refreshing.has(tenantId) || !this.indexes.has(tenantId)) return;
    const work = load((tx) => loadVocabulary(tx, revision))
      .then((vocabulary) => {
        if (this.indexes.has(tenantId)) this.setVocabulary(tenantId, vocabulary);
      })
      .catch(() => {})
      .finally(() => this.refreshing.delete(tenantId));
    this.refreshing.set(tenantId, work);
  }

  /** Forgets a tenant's index (its knowledge was rebuilt or it was deleted). */
  forget(tenantId: string): void {
    this.indexes.delete(tenantId);
    this.vocabularies.delete(tenantId);
  }

  /** Resolves once the snapshots being written are on disk (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing.values()]);
  }

  private async sync(tx: Tx, tenantId: string, current: LexicalIndex | undefined, revision: number) {
    let index = current;
    let restored = false;
    if (!index && this.snapshotDir) {
      const state = await readSnapshot(this.snapshotDir, tenantId);
      if (state && state.revision <= revision && revision - state.revision <= CHANGE_WINDOW) {
        index = LexicalIndex.fromState(state, this.bm25);
        restored = true;
        this.snapshotRevisions.set(tenantId, state.revision);
      }
    }
    if (!index || revision - index.revision > CHANGE_WINDOW) {
      index = await this.build(tx, revision);
    } else {
      await catchUp(tx, index, revision);
      // A snapshot from another database, or one that missed changes, shows in the count.
      if (restored && !(await holdsEveryChunk(tx, index))) index = await this.build(tx, revision);
    }
    if (!current || index !== current) {
      this.indexes.set(tenantId, index);
      this.setVocabulary(tenantId, await loadVocabulary(tx, revision));
      this.evict(tenantId);
    }
    this.saveSnapshot(tenantId, index);
  }

  private async build(tx: Tx, revision: number): Promise<LexicalIndex> {
    const fresh = new LexicalIndex(this.bm25);
    for (const chunk of await loadChunks(tx, sql`true`)) fresh.add(chunk);
    fresh.revision = revision;
    return fresh;
  }

  private setVocabulary(tenantId: string, vocabulary: TypoVocabulary): void {
    this.vocabularies.set(tenantId, { vocabulary, loadedAt: performance.now() });
  }

  /** Writes the index to disk in the background when its snapshot is missing or stale. */
  private saveSnapshot(tenantId: string, index: LexicalIndex): void {
    const dir = this.snapshotDir;
    if (!dir || this.writing.has(tenantId)) return;
    const saved = this.snapshotRevisions.get(tenantId);
    if (saved !== undefined && index.revision - saved < SNAPSHOT_EVERY) return;
    this.snapshotRevisions.set(tenantId, index.revision);
    // The state is taken now, synchronously: later changes to the index do not tear it.
    const state = index.exportState();
    const work = writeSnapshot(dir, tenantId, state)
      .catch((error: unknown) => {
        this.snapshotRevisions.delete(tenantId);
        this.onSnapshotError(error, tenantId);
      })
      .finally(() => this.writing.delete(tenantId));
    this.writing.set(tenantId, work);
  }

  private evict(keep: string): void {
    let total = 0;
    for (const index of this.indexes.values()) total += index.weight;
    for (const [tenantId, index] of this.indexes) {
      if (total <= this.maxPostings) return;
      if (tenantId === keep) continue;
      this.indexes.delete(tenantId);
      this.vocabularies.delete(tenantId);
      total -= index.weight;
    }
  }
}

/** Applies the chunks added and removed between the index's revision and `revision`. */
async function catchUp(tx: Tx, index: LexicalIndex, revision: number): Promise<void> {
  if (index.revision < revision) {
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
  }
  index.revision = Math.max(index.revision, revision);
}

async function holdsEveryChunk(tx: Tx, index: LexicalIndex): Promise<boolean> {
  const [row] = await queryRows<{ n: number | string }>(tx, sql`select count(*) as n from knowledge_chunks`);
  return Number(row?.n ?? -1) === index.size;
}

/** The tenant's words (knowledge_terms), for typo correction. */
async function loadVocabulary(tx: Tx, revision: number): Promise<TypoVocabulary> {
  const rows = await queryRows<{ term: string; chunk_count: number | string }>(
    tx,
    sql`select term, chunk_count from knowledge_terms where chunk_count > 0`,
  );
  return new TypoVocabulary(
    rows.map((row) => [row.term, Number(row.chunk_count)] as const),
    revision,
  );
}

/**
 * Chunks with the lexemes of their search_vector, counted in the title (weight A) and body. The
 * tsvector travels in its text form ('lexeme':1A,4 …), parsed here: unnesting it in SQL costs
 * several times more, above all in embedded Postgres.
 */
async function loadChunks(tx: Tx, where: SQL): Promise<IndexedChunk[]> {
  const rows = await queryRows<{
    id: string;
    title: string | null;
    questions: string | null;
    lang: string | null;
    terms: string | null;
  }>(
    tx,
    sql`select c.id, c.title, c.questions, c.lang, c.search_vector::text as terms
        from knowledge_chunks c where ${where}`,
  );
  return rows.map((row) => ({
    id: row.id,
    // The other wordings of the question are titles too, one a line (see the title reranking).
    title: row.questions ? `${row.title ?? ''}\n${row.questions}` : row.title,
    lang: row.lang,
    terms: parseTsvector(row.terms ?? ''),
  }));
}

/**
 * The lexemes of a tsvector's text output with their title (A) and other counts. Lexemes are
 * quoted, with quotes doubled and backslashes escaped; positions follow a colon.
 */
export function parseTsvector(text: string): IndexedChunk['terms'] {
  const terms: IndexedChunk['terms'] = [];
  const length = text.length;
  let i = text.indexOf("'");
  while (i >= 0 && i < length) {
    // Most lexemes hold no quote or backslash: sliced whole rather than built a character at a time.
    let lexeme = '';
    let from = i + 1;
    let j = from;
    for (;;) {
      const c = text.charCodeAt(j);
      if (j >= length) {
        lexeme += text.slice(from, j);
        break;
      }
      if (c === BACKSLASH) {
        lexeme += text.slice(from, j) + text.charAt(j + 1);
        j += 2;
        from = j;
      } else if (c === QUOTE) {
        if (text.charCodeAt(j + 1) === QUOTE) {
          lexeme += `${text.slice(from, j)}'`;
          j += 2;
          from = j;
        } else {
          lexeme += text.slice(from, j);
          j += 1;
          break;
        }
      } else {
        j += 1;
      }
    }
    let title = 0;
    let body = 0;
    if (text.charCodeAt(j) === COLON) {
      // Positions are numbers, each with an optional weight letter; A marks the title.
      let positions = 1;
      j += 1;
      for (; j < length; j++) {
        const c = text.charCodeAt(j);
        if (c === SPACE) break;
        if (c === COMMA) positions += 1;
        else if (c === LETTER_A) title += 1;
      }
      body = positions - title;
    } else {
      body = 1;
    }
    terms.push([lexeme, title, body]);
    i = text.indexOf("'", j);
  }
  return terms;
}

const QUOTE = 39;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const SPACE = 32;
const LETTER_A = 65;

/** A Postgres array literal of UUIDs (validated by the ::uuid[] cast). */
function toUuidArray(ids: string[]): string {
  return `{${ids.join(',')}}`;
}
