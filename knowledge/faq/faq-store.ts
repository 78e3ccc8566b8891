import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { faqEntries, knowledgeChunks } from '../../migrations/schema/index.ts';
import type { Language } from '../text/detect-language.ts';

export interface FaqInput {
  question: string;
  answer: string;
  lang: Language;
  groupKey?: string | null;
}

export type FaqEntry = typeof faqEntries.$inferSelect;

/** Adds an FAQ entry and its knowledge chunk in the caller's transaction: searchable at once. */
export async function createFaqEntry(tx: Tx, tenantId: string, input: FaqInput): Promise<FaqEntry> {
  const [entry] = await tx
    .insert(faqEntries)
    .values({
      tenantId,
      question: input.question,
      answer: input.answer,
      lang: input.lang,
      groupKey: input.groupKey ?? null,
    })
    .returning();
  if (!entry) throw new Error('FAQ insert returned no row');
  await tx.insert(knowledgeChunks).values({
    tenantId,
    sourceType: 'faq',
    sourceId: entry.id,
    title: entry.question,
    content: entry.answer,
    lang: entry.lang,
    embeddingModel: null,
    metadata: {
      chunk_index: 0,
      char_count: entry.answer.length,
      title: entry.question,
      faq_group: entry.groupKey,
    },
  });
  return entry;
}

export function listFaqEntries(tx: Tx): Promise<FaqEntry[]> {
  return tx.select().from(faqEntries).orderBy(asc(faqEntries.createdAt), asc(faqEntries.id));
}

/** Removes an entry and its chunk. Returns false when the tenant has no such entry. */
export async function deleteFaqEntry(tx: Tx, id: string): Promise<boolean> {
  await tx
    .delete(knowledgeChunks)
    .where(and(eq(knowledgeChunks.sourceType, 'faq'), eq(knowledgeChunks.sourceId, id)));
  const deleted = await tx.delete(faqEntries).where(eq(faqEntries.id, id)).returning({ id: faqEntries.id });
  return deleted.length > 0;
}
