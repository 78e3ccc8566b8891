import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { type DocumentFormat, EXTENSIONS } from '../ingest/extract/document-format.ts';

/**
 * Where an uploaded file is kept, relative to the data directory. The name is made of ids only,
 * never of the uploaded name, so no upload can choose where it lands.
 */
export function documentFilePath(tenantId: string, documentId: string, format: DocumentFormat): string {
  return join('documents', tenantId, `${documentId}${EXTENSIONS[format]}`);
}

/** Writes the file whole or not at all (temporary name, then rename), readable by this user only. */
export async function saveDocumentFile(dataDir: string, path: string, bytes: Uint8Array): Promise<void> {
  const target = insideDataDir(dataDir, path);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const temporary = `${target}.${process.pid}.partial`;
  await writeFile(temporary, bytes, { mode: 0o600 });
  await rename(temporary, target);
}

export async function readDocumentFile(dataDir: string, path: string): Promise<Buffer> {
  return readFile(insideDataDir(dataDir, path));
}

export async function removeDocumentFile(dataDir: string, path: string): Promise<void> {
  await rm(insideDataDir(dataDir, path), { force: true });
}

/**
 * The name an uploaded file is shown under: its last path component, without control characters,
 * at most 255 characters. It is only ever displayed and cited, never used as a path.
 */
export function displayFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean === '' || clean === '.' || clean === '..' ? 'document' : clean.slice(0, 255);
}

/** The absolute path of `path` under the data directory; refuses anything that would leave it. */
function insideDataDir(dataDir: string, path: string): string {
  const root = resolve(dataDir);
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`refusing a document path outside the data directory: ${path}`);
  }
  return target;
}
