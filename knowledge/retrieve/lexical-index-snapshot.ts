import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LexicalIndexState } from './lexical-index.ts';

const MAGIC = 'CLX1';

/**
 * A tenant's lexical index on disk, so that a restarted server loads it in a fraction of the
 * time a rebuild from the database takes (reading and parsing every chunk's tsvector), then
 * catches up on the changes made since. Layout: magic, header length, a JSON header (revision,
 * chunk ids and titles, lexemes), then the postings as little-endian arrays.
 */
export function snapshotPath(dir: string, tenantId: string): string {
  return join(dir, `${tenantId}.lexical`);
}

export async function writeSnapshot(dir: string, tenantId: string, state: LexicalIndexState): Promise<void> {
  const header = Buffer.from(
    JSON.stringify({
      revision: state.revision,
      ids: state.ids,
      titles: state.titles,
      langs: state.langs,
      lexemes: state.lexemes,
      postings: state.slots.length,
    }),
  );
  // The arrays start on a multiple of four bytes so they can be viewed in place when read.
  const headerEnd = align(8 + header.length);
  const prefix = Buffer.alloc(headerEnd);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 4);
  header.copy(prefix, 8);
  const parts = [
    prefix,
    bytesOf(state.postingLengths),
    bytesOf(state.slots),
    bytesOf(state.titleCounts),
    bytesOf(state.bodyCounts),
  ];
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = snapshotPath(dir, tenantId);
  // Written aside then renamed: a reader never sees half a snapshot.
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, Buffer.concat(parts), { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The snapshot's state, or undefined when there is none or it cannot be read. */
export async function readSnapshot(dir: string, tenantId: string): Promise<LexicalIndexState | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(snapshotPath(dir, tenantId));
  } catch {
    return undefined;
  }
  try {
    if (bytes.toString('latin1', 0, 4) !== MAGIC) return undefined;
    const headerLength = bytes.readUInt32LE(4);
    const header: unknown = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength));
    if (!isHeader(header)) return undefined;
    // A copy aligned at zero: a Buffer from readFile may sit at any offset of a shared pool.
    const body = new Uint8Array(bytes.subarray(align(8 + headerLength))).buffer;
    const lexemeCount = header.lexemes.length;
    const postings = header.postings;
    const expected = 4 * lexemeCount + 4 * postings + 2 * postings + 2 * postings;
    if (body.byteLength !== expected) return undefined;
    let at = 0;
    const take = <T>(make: (offset: number) => T, bytesUsed: number) => {
      const array = make(at);
      at += bytesUsed;
      return array;
    };
    const postingLengths = take((o) => new Int32Array(body, o, lexemeCount), 4 * lexemeCount);
    const slots = take((o) => new Int32Array(body, o, postings), 4 * postings);
    const titleCounts = take((o) => new Uint16Array(body, o, postings), 2 * postings);
    const bodyCounts = take((o) => new Uint16Array(body, o, postings), 2 * postings);
    let total = 0;
    for (const length of postingLengths) total += length;
    if (total !== postings) return undefined;
    for (const slot of slots) if (slot < 0 || slot >= header.ids.length) return undefined;
    return {
      revision: header.revision,
      ids: header.ids,
      titles: header.titles,
      langs: header.langs,
      lexemes: header.lexemes,
      postingLengths,
      slots,
      titleCounts,
      bodyCounts,
    };
  } catch {
    return undefined;
  }
}

interface SnapshotHeader {
  revision: number;
  ids: string[];
  titles: (string | null)[];
  langs: (string | null)[];
  lexemes: string[];
  postings: number;
}

function isHeader(value: unknown): value is SnapshotHeader {
  if (typeof value !== 'object' || value === null) return false;
  const header = value as Record<string, unknown>;
  return (
    typeof header['revision'] === 'number' &&
    typeof header['postings'] === 'number' &&
    Array.isArray(header['ids']) &&
    header['ids'].every((id) => typeof id === 'string') &&
    Array.isArray(header['titles']) &&
    header['titles'].length === header['ids'].length &&
    Array.isArray(header['langs']) &&
    header['langs'].length === header['ids'].length &&
    Array.isArray(header['lexemes']) &&
    header['lexemes'].every((lexeme) => typeof lexeme === 'string')
  );
}

function bytesOf(array: Int32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align(n: number): number {
  return Math.ceil(n / 4) * 4;
}
