import type { Citation } from '../../../knowledge/retrieve/retrieval-hit.ts';
import type { Language } from '../../../knowledge/text/detect-language.ts';
import type { BusinessProfile, Tenant } from '../../tenants/tenant-store.ts';

/** A passage search_knowledge showed the model, under the marker it may cite ([1], [2]…). */
export interface ShownPassage {
  marker: number;
  chunkId: string;
  score: number;
  citation: Citation;
}

/**
 * One customer message being answered. Tools are built for it, so the tenant and conversation
 * they act on come from here, never from the model's arguments.
 */
export interface TurnScope {
  tenantId: string;
  conversationId: string;
  lang: Language;
  tenant: Tenant | undefined;
  profile: BusinessProfile | undefined;
  now: Date;
  /** What the tools did, read by the responder once the agent is done. */
  outcome: TurnOutcome;
}

export interface TurnOutcome {
  passages: ShownPassage[];
  escalation?: { reason: string; summary: string | null };
  meetingId?: string;
  leadId?: string;
  /** Tool names in the order they were called. */
  toolCalls: string[];
}

export function newOutcome(): TurnOutcome {
  return { passages: [], toolCalls: [] };
}
