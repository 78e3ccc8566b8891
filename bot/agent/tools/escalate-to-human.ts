import { tool } from 'langchain';
import { z } from 'zod';
import { handoffText } from '../../escalation/handoff-text.ts';
import { supportAvailability } from '../../escalation/support-hours.ts';
import { MAX_SUMMARY_CHARS } from '../llm-summaries.ts';
import type { TurnScope } from './turn-scope.ts';

/**
 * Hands the conversation to a person. The turn handler creates the escalation from the outcome;
 * the tool's answer (when a person will reply, from the support hours) ends the turn as the
 * visitor's reply, so no model text can contradict it.
 */
export function escalateToHumanTool(scope: TurnScope) {
  return tool(
    async ({ reason, summary }) => {
      scope.outcome.toolCalls.push('escalate_to_human');
      const slug = reasonSlug(reason);
      scope.outcome.escalation = {
        reason: slug,
        summary: summary.trim().slice(0, MAX_SUMMARY_CHARS) || null,
      };
      const timeZone = scope.profile?.timezone ?? 'UTC';
      const availability = supportAvailability(scope.profile?.supportHours ?? {}, timeZone, scope.now);
      return handoffText(scope.lang, slug, availability, timeZone);
    },
    {
      name: 'escalate_to_human',
      description:
        'Passes the conversation to a person of the team, who will answer the customer here. Use when the customer asks for a person, is upset, or you cannot help.',
      schema: z.object({
        reason: z
          .string()
          .max(200)
          .describe('Why, in a few words: requested_human, complaint, refund_request, unanswered_question…'),
        summary: z
          .string()
          .max(MAX_SUMMARY_CHARS)
          .describe('What the customer needs, in two or three sentences, for the team'),
      }),
      returnDirect: true,
    },
  );
}

/** A short snake_case reason that the operator desk can group by. */
function reasonSlug(reason: string): string {
  const slug = reason
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return slug || 'agent_escalation';
}
