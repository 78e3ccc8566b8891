import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { faqEntries, knowledgeChunks } from '../../migrations/schema/index.ts';
import type { Language } from '../text/detect-language.ts';

export interface FaqInput {
  question: string;
  answer: string;
  lang: Language;
  groupKey?: string | null;
  /** Other ways customers ask the question, searched like it. */
  alternativeQuestions?: string[] | undefined;
}

/** How many other wordings one entry keeps: enough for every way customers ask, not a dump. */
export const MAX_ALTERNATIVE_QUESTIONS = 50;

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
      alternativeQuestions: distinctQuestions(input.alternativeQuestions ?? [], input.question),
    })
    .returning();
  if (!entry) throw new Error('FAQ insert returned no row');
  await tx.insert(knowledgeChunks).values({
    tenantId,
    sourceType: 'faq',
    sourceId: entry.id,
    title: entry.question,
    questions: questionsText(entry.alternativeQuestions),
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

/**
 * Replaces an entry's other wordings, and its chunk's with them (searchable at once). Returns
 * the entry, or undefined when the tenant has no such entry.
 */
export async function setAlternativeQuestions(
  tx: Tx,
  id: string,
  questions: readonly string[],
): Promise<FaqEntry | undefined> {
  const [current] = await tx.select().from(faqEntries).where(eq(faqEntries.id, id));
  if (!current) return undefined;
  const kept = distinctQuestions(questions, current.question);
  const [entry] = await tx
    .update(faqEntries)
    .set({ alternativeQuestions: kept, updatedAt: new Date() })
    .where(eq(faqEntries.id, id))
    .returning();
  await tx
    .update(knowledgeChunks)
    .set({ questions: questionsText(kept) })
    .where(and(eq(knowledgeChunks.sourceType, 'faq'), eq(knowledgeChunks.sourceId, id)));
  return entry;
}

/** Adds one wording a customer used to an entry's (once); see setAlternativeQuestions. */
export async function addAlternativeQuestion(
  tx: Tx,
  id: string,
  question: string,
): Promise<FaqEntry | undefined> {
  const [current] = await tx.select().from(faqEntries).where(eq(faqEntries.id, id));
  if (!current) return undefined;
  return setAlternativeQuestions(tx, id, [...current.alternativeQuestions, question]);
}

/** Removes an entry and its chunk. Returns false when the tenant has no such entry. */
export async function deleteFaqEntry(tx: Tx, id: string): Promise<boolean> {
  await tx
    .delete(knowledgeChunks)
    .where(and(eq(knowledgeChunks.sourceType, 'faq'), eq(knowledgeChunks.sourceId, id)));
  const deleted = await tx.delete(faqEntries).where(eq(faqEntries.id, id)).returning({ id: faqEntries.id });
  return deleted.length > 0;
}

/**
 * The wordings kept: trimmed, each once whatever its case, none the question itself, the newest
 * MAX_ALTERNATIVE_QUESTIONS.
 */
function distinctQuestions(questions: readonly string[], question: string): string[] {
  const seen = new Set([question.trim().toLowerCase()]);
  const kept: string[] = [];
  for (const raw of questions) {
    const text = raw.replace(/\s+/g, ' ').trim();
    const key = text.toLowerCase();
    if (text === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(text);
  }
  return kept.slice(-MAX_ALTERNATIVE_QUESTIONS);
}

function questionsText(questions: readonly string[]): string | null {
  return questions.length > 0 ? questions.join('\n') : null;
}
