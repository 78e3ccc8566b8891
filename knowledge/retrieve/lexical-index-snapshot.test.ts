import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LexicalIndex } from './lexical-index.ts';
import { readSnapshot, snapshotPath, writeSnapshot } from './lexical-index-snapshot.ts';

const TENANT = '77777777-7777-4777-8777-777777777777';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'causette-snapshot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sampleIndex(): LexicalIndex {
  const index = new LexicalIndex();
  index.add({
    id: 'a',
    title: 'Délais de livraison',
    lang: 'fr',
    terms: [
      ['livraison', 1, 2],
      ['delai', 1, 0],
      ['jour', 0, 3],
    ],
  });
  index.add({
    id: 'b',
    title: 'Payment',
    lang: 'en',
    terms: [
      ['payment', 1, 1],
      ['card', 0, 2],
    ],
  });
  index.add({
    id: 'c',
    title: null,
    lang: null,
    terms: [
      ['livraison', 0, 1],
      ['express', 0, 1],
    ],
  });
  index.add({ id: 'gone', title: 'Old', lang: 'fr', terms: [['livraison', 0, 5]] });
  index.remove('gone');
  index.revision = 42;
  return index;
}

describe('lexical index snapshots', () => {
  it('restore an index that ranks and scores exactly as the original', async () => {
    const original = sampleIndex();
    const words = [{ lexemes: ['livraison'] }, { lexemes: ['jour', 'day'] }, { lexemes: ['express'] }];
    const expected = original.search(words, 10);
    await writeSnapshot(dir, TENANT, original.exportState());
    const state = await readSnapshot(dir, TENANT);
    expect(state?.revision).toBe(42);
    const restored = LexicalIndex.fromState(state!);
    expect(restored.search(words, 10)).toEqual(expected);
    expect(expected.map((c) => c.chunkId)).toEqual(['a', 'c']);
    expect(restored.size).toBe(3);
    expect(restored.has('gone')).toBe(false);
    expect(restored.languageOf('b')).toBe('en');
    expect(restored.languageOf('c')).toBeNull();
    expect(restored.frequency('livraison')).toBe(2);
    // Still a working index: chunks come and go as before.
    restored.remove('a');
    restored.add({ id: 'd', title: 'Livraison', lang: 'fr', terms: [['livraison', 1, 0]] });
    expect(restored.search([{ lexemes: ['livraison'] }], 10).map((c) => c.chunkId)).toEqual(['d', 'c']);
  });

  it('reads nothing from a missing, foreign or truncated file', async () => {
    expect(await readSnapshot(dir, '88888888-8888-4888-8888-888888888888')).toBeUndefined();
    await writeFile(snapshotPath(dir, TENANT), 'not a snapshot');
    expect(await readSnapshot(dir, TENANT)).toBeUndefined();
    await writeSnapshot(dir, TENANT, sampleIndex().exportState());
    const bytes = await readFile(snapshotPath(dir, TENANT));
    await writeFile(snapshotPath(dir, TENANT), bytes.subarray(0, bytes.length - 2));
    expect(await readSnapshot(dir, TENANT)).toBeUndefined();
  });
});
