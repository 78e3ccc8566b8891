import { asc, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { documents } from '../../migrations/schema/index.ts';

export type DocumentRow = typeof documents.$inferSelect;

export function listDocuments(tx: Tx): Promise<DocumentRow[]> {
  return tx.select().from(documents).orderBy(desc(documents.createdAt), asc(documents.id));
}

export async function getDocument(tx: Tx, id: string): Promise<DocumentRow | undefined> {
  const [row] = await tx.select().from(documents).where(eq(documents.id, id));
  return row;
}

/** Marks a document processed with its chunk count; false when it was deleted meanwhile. */
export async function markDocumentProcessed(tx: Tx, id: string, chunkCount: number): Promise<boolean> {
  const rows = await tx
    .update(documents)
    .set({ status: 'processed', chunkCount, error: null, processedAt: new Date() })
    .where(eq(documents.id, id))
    .returning({ id: documents.id });
  return rows.length > 0;
}

export async function markDocumentFailed(tx: Tx, id: string, error: string): Promise<void> {
  await tx
    .update(documents)
    .set({ status: 'failed', chunkCount: 0, error, processedAt: new Date() })
    .where(eq(documents.id, id));
}

export async function markDocumentPending(tx: Tx, id: string): Promise<void> {
  await tx.update(documents).set({ status: 'pending', error: null }).where(eq(documents.id, id));
}
