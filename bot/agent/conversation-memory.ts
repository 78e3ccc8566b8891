import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { conversations } from '../../migrations/schema/index.ts';
import { getConversation, messagesAfter, type StoredMessage } from '../conversation/conversation-store.ts';
import type { Logger } from '../logger.ts';

/** Earlier messages the model sees word for word. */
export const VERBATIM_MESSAGES = 12;
/**
 * The summary of older messages is redone every this many messages, not every turn: between two
 * updates the messages not yet summarised are shown verbatim (the turn handler passes 20).
 */
export const SUMMARY_STEP = 8;
/** Older messages read to write a first summary of a long conversation. */
const FIRST_SUMMARY_MESSAGES = 60;

const cachedSummary = z.object({ through_seq: z.number().int().min(0), text: z.string() });

export interface Memory {
  /** What was said before `recent`, summarised; null for a short conversation. */
  summary: string | null;
  /** The latest earlier messages, oldest first. */
  recent: StoredMessage[];
}

export type MemorySummarizer = (
  tenantId: string,
  previous: string | null,
  messages: readonly StoredMessage[],
) => Promise<string>;

/**
 * The conversation as the model sees it: the last messages verbatim and a summary of everything
 * older. The summary is kept in the conversation's metadata with the last seq it covers, and only
 * extended (previous summary + new messages) when the verbatim window has moved a full step.
 */
export function createConversationMemory(deps: { db: Db; log: Logger; summarize: MemorySummarizer }) {
  return {
    async recall(input: {
      tenantId: string;
      conversationId: string;
      history: readonly StoredMessage[];
    }): Promise<Memory> {
      const earlier = input.history.filter((m) => m.role !== 'system');
      const firstVerbatim = earlier.at(-VERBATIM_MESSAGES)?.seq ?? 1;
      const cutoff = Math.floor((firstVerbatim - 1) / SUMMARY_STEP) * SUMMARY_STEP;
      const recent = earlier.filter((m) => m.seq > cutoff);
      if (cutoff <= 0) return { summary: null, recent };
      const cached = await withTenant(deps.db, input.tenantId, async (tx) => {
        const conversation = await getConversation(tx, input.conversationId);
        const parsed = cachedSummary.safeParse(conversation?.metadata['memory']);
        return parsed.success ? parsed.data : undefined;
      });
      if (cached && cached.through_seq === cutoff) return { summary: cached.text, recent };
      const from =
        cached && cached.through_seq < cutoff
          ? cached.through_seq
          : Math.max(0, cutoff - FIRST_SUMMARY_MESSAGES);
      const previous = cached && cached.through_seq < cutoff ? cached.text : null;
      try {
        const rows = await withTenant(deps.db, input.tenantId, (tx) =>
          messagesAfter(tx, input.conversationId, from, cutoff - from),
        );
        // Outside the transaction: no connection is held while the model writes.
        const text = await deps.summarize(
          input.tenantId,
          previous,
          rows.filter((m) => m.seq <= cutoff),
        );
        await withTenant(deps.db, input.tenantId, (tx) =>
          tx
            .update(conversations)
            .set({
              metadata: sql`${conversations.metadata} || ${JSON.stringify({ memory: { through_seq: cutoff, text } })}::jsonb`,
            })
            .where(eq(conversations.id, input.conversationId)),
        );
        return { summary: text, recent };
      } catch (error) {
        // An older summary (or none) is better than no answer.
        deps.log.warn(
          { err: error, conversationId: input.conversationId },
          'summarising the conversation failed',
        );
        return { summary: cached?.text ?? null, recent };
      }
    },
  };
}

export type ConversationMemory = ReturnType<typeof createConversationMemory>;
