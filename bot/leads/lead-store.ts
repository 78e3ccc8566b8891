import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { conversations, leadScores, leads } from '../../migrations/schema/index.ts';
import type { LeadDetails } from './extract-lead.ts';
import type { LeadScore, LeadSignals } from './score-lead.ts';

export type Lead = typeof leads.$inferSelect;
export type LeadScoreRow = typeof leadScores.$inferSelect;
export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'converted' | 'lost';

export async function getLeadOfConversation(tx: Tx, conversationId: string): Promise<Lead | undefined> {
  const [lead] = await tx.select().from(leads).where(eq(leads.conversationId, conversationId));
  return lead;
}

/** The leads of these conversations, by conversation id (at most one each). */
export async function getLeadsOfConversations(
  tx: Tx,
  conversationIds: readonly string[],
): Promise<Map<string, Lead>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(leads)
    .where(inArray(leads.conversationId, [...conversationIds]));
  const byConversation = new Map<string, Lead>();
  for (const lead of rows) if (lead.conversationId) byConversation.set(lead.conversationId, lead);
  return byConversation;
}

/** The lead with the channel of its conversation. */
export async function getLead(tx: Tx, id: string): Promise<LeadWithChannel | undefined> {
  const [row] = await tx
    .select({ lead: leads, channel: conversations.channel })
    .from(leads)
    .leftJoin(conversations, eq(conversations.id, leads.conversationId))
    .where(eq(leads.id, id));
  return row ? { ...row.lead, channel: row.channel } : undefined;
}

/**
 * The conversation's one lead, created or completed with new details. A detail already known is
 * replaced only by a newer non-empty one (a corrected email), never erased.
 */
export async function upsertLead(
  tx: Tx,
  input: { tenantId: string; conversationId: string; details: LeadDetails; need?: string | null },
): Promise<Lead> {
  const values = {
    ...(input.details.name ? { name: input.details.name } : {}),
    ...(input.details.email ? { email: input.details.email } : {}),
    ...(input.details.phone ? { phone: input.details.phone } : {}),
    ...(input.details.company ? { company: input.details.company } : {}),
    ...(input.need ? { need: input.need.slice(0, 2000) } : {}),
  };
  const [lead] = await tx
    .insert(leads)
    .values({ tenantId: input.tenantId, conversationId: input.conversationId, ...values })
    .onConflictDoUpdate({
      target: leads.conversationId,
      set: { ...values, conversationId: input.conversationId },
    })
    .returning();
  if (!lead) throw new Error('lead upsert returned no row');
  return lead;
}

/** Sets the lead's score and records it in lead_scores, only when it changed. */
export async function recordLeadScore(
  tx: Tx,
  lead: Lead,
  score: LeadScore,
  signals: LeadSignals,
): Promise<{ lead: Lead; changed: boolean }> {
  if (lead.score === score.score && lead.scoreValue === score.scoreValue) return { lead, changed: false };
  const [updated] = await tx
    .update(leads)
    .set({ score: score.score, scoreValue: score.scoreValue })
    .where(eq(leads.id, lead.id))
    .returning();
  await tx.insert(leadScores).values({
    leadId: lead.id,
    tenantId: lead.tenantId,
    score: score.score,
    scoreValue: score.scoreValue,
    signals: { ...signals, source: score.source },
    reasoning: score.reasoning,
  });
  return { lead: updated ?? lead, changed: true };
}

export async function leadScoreHistory(tx: Tx, leadId: string): Promise<LeadScoreRow[]> {
  return tx.select().from(leadScores).where(eq(leadScores.leadId, leadId)).orderBy(desc(leadScores.scoredAt));
}

export async function updateLeadStatus(
  tx: Tx,
  id: string,
  patch: { status?: LeadStatus; notes?: string | null },
) {
  const [lead] = await tx.update(leads).set(patch).where(eq(leads.id, id)).returning();
  return lead;
}

export interface LeadFilter {
  score?: 'hot' | 'warm' | 'cold';
  status?: string;
  /** Words searched in name, email and company. */
  q?: string;
  channel?: string;
  createdFrom?: Date;
  createdTo?: Date;
  minScore?: number;
}

export type LeadWithChannel = Lead & { channel: string | null };

/** Leads matching the filter, newest first, `limit` at most after the cursor position. */
export async function listLeads(
  tx: Tx,
  filter: LeadFilter,
  page: { limit: number; before?: { at: Date; id: string } },
): Promise<LeadWithChannel[]> {
  const where: SQL[] = [];
  if (filter.score) where.push(eq(leads.score, filter.score));
  if (filter.status) where.push(eq(leads.status, filter.status));
  if (filter.q) {
    // Words through the full-text index; parts of an email or a phone number by substring.
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        sql`${leads.searchVector} @@ websearch_to_tsquery('causette_simple', ${filter.q})`,
        sql`${leads.email} ilike ${like}`,
        sql`${leads.phone} like ${like}`,
      )!,
    );
  }
  if (filter.channel) where.push(eq(conversations.channel, filter.channel));
  if (filter.createdFrom) where.push(gte(leads.createdAt, filter.createdFrom));
  if (filter.createdTo) where.push(lt(leads.createdAt, filter.createdTo));
  if (filter.minScore !== undefined) where.push(gte(leads.scoreValue, filter.minScore));
  if (page.before) {
    where.push(
      or(
        lt(leads.createdAt, page.before.at),
        and(eq(leads.createdAt, page.before.at), lt(leads.id, page.before.id)),
      )!,
    );
  }
  const rows = await tx
    .select({ lead: leads, channel: conversations.channel })
    .from(leads)
    .leftJoin(conversations, eq(conversations.id, leads.conversationId))
    .where(and(...where))
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(page.limit);
  return rows.map((row) => ({ ...row.lead, channel: row.channel }));
}
