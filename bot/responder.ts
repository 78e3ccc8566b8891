import type { Tx } from '../db/database.ts';
import type { Citation } from '../knowledge/retrieve/retrieval-hit.ts';
import type { Channel, StoredMessage } from './conversation/conversation-store.ts';
import type { MessageAnalysis } from './escalation/escalation-policy.ts';
import type { Lead } from './leads/lead-store.ts';
import type { BotSettings } from './settings/bot-settings-store.ts';
import type { BusinessProfile, Tenant } from './tenants/tenant-store.ts';

export interface TurnContext {
  tenantId: string;
  conversationId: string;
  channel: Channel;
  /** The customer's message being answered. */
  message: StoredMessage;
  /** Earlier messages of the conversation, oldest first, without `message`. */
  history: StoredMessage[];
  /** The message's intent and sentiment, when it was analysed. */
  analysis?: MessageAnalysis;
  /** The tenant's bot settings, when the caller has them. */
  settings?: BotSettings;
  /** The tenant, its business profile and the conversation's lead, when the caller read them. */
  business?: { tenant: Tenant | undefined; profile: BusinessProfile | undefined; lead: Lead | undefined };
}

export interface BotReply {
  text: string;
  citations: Citation[];
  /** Stored with the message: intent, confidence, sources, model and timings. */
  metadata: Record<string, unknown>;
  /** Set when the responder decided a human must take over (the LLM's escalate_to_human tool). */
  escalation?: { reason: string; summary: string | null };
}

/** Receives a reply as it is produced, for channels that can show it token by token. */
export interface ReplyStream {
  delta(text: string): void;
}

/**
 * Decides the bot's answer to one customer message. The offline responder and the LLM agent both
 * implement it; returning null means the bot stays silent.
 */
export interface Responder {
  respond(context: TurnContext, stream?: ReplyStream): Promise<BotReply | null>;
  /**
   * The same answer, with its database work done in the caller's transaction `tx` (scoped to the
   * tenant): offered only by a responder that calls nothing outside the process, so that a turn
   * can be answered in the transaction that stores its message. It must not catch a failed
   * statement: the caller rolls the turn back and answers it the usual way.
   */
  respondInTransaction?(tx: Tx, context: TurnContext): Promise<BotReply | null>;
}
