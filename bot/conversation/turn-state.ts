import { batched, byGroup } from '../../db/batched.ts';
import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { IntentDetector, IntentModel } from '../intents/intent-detector.ts';
import { getLeadsOfConversations, type Lead } from '../leads/lead-store.ts';
import type { Logger } from '../logger.ts';
import { type BotSettings, getBotSettings } from '../settings/bot-settings-store.ts';
import { type BusinessProfile, getBusinessProfile, getTenant, type Tenant } from '../tenants/tenant-store.ts';
import {
  type Conversation,
  getConversations,
  newestMessagesOf,
  type StoredMessage,
} from './conversation-store.ts';
import type { RecentMessages } from './recent-messages.ts';

/** Everything a turn reads before it answers. */
export interface TurnState {
  conversation: Conversation | undefined;
  /** The conversation's newest messages, oldest first (RecentMessages.perConversation of them). */
  recent: StoredMessage[];
  settings: BotSettings;
  profile: BusinessProfile | undefined;
  tenant: Tenant | undefined;
  lead: Lead | undefined;
  /** The tenant's intent model; undefined when it could not be had (detection then says off topic). */
  model: IntentModel | undefined;
}

export interface TurnStateDeps {
  db: Db;
  intents: IntentDetector;
  recent: RecentMessages;
  log: Logger;
}

/**
 * Reads the state of turns of one tenant's conversations in the caller's transaction `tx`; the
 * first queries are sent at once, so that they travel with statements sent just before them.
 * `stored`, when given, resolves to the messages this transaction just stored, which are the
 * newest of their conversations and not in `recent` yet: the turn's messages are then the cached
 * ones before them and the message itself. Messages read from the database are returned apart,
 * for the caller to cache once its transaction has committed.
 */
export async function loadTurnStates(
  deps: TurnStateDeps,
  tx: Tx,
  tenantId: string,
  conversationIds: readonly string[],
  stored?: Promise<ReadonlyMap<string, StoredMessage>>,
): Promise<{ states: TurnState[]; read: Map<string, StoredMessage[]> }> {
  const ids = [...new Set(conversationIds)];
  const [conversations, settings, profile, tenant, leads, model] = await Promise.all([
    getConversations(tx, ids),
    getBotSettings(tx, tenantId),
    getBusinessProfile(tx, tenantId),
    getTenant(tx, tenantId),
    getLeadsOfConversations(tx, ids),
    deps.intents.model(tenantId, tx).catch((error: unknown) => {
      deps.log.error({ err: error, tenantId }, 'intent detection failed');
      return undefined;
    }),
  ]);
  const justStored = (await stored) ?? new Map<string, StoredMessage>();
  const byId = new Map(conversations.map((c) => [c.id, c]));
  const recent = new Map<string, StoredMessage[]>();
  const missing: string[] = [];
  for (const conversation of conversations) {
    const message = justStored.get(conversation.id);
    const cached = message
      ? message.seq === conversation.lastSeq
        ? deps.recent.get(conversation.id, message.seq - 1)
        : undefined
      : deps.recent.get(conversation.id, conversation.lastSeq);
    if (cached) {
      recent.set(
        conversation.id,
        message ? [...cached, message].slice(-deps.recent.perConversation) : cached,
      );
    } else {
      missing.push(conversation.id);
    }
  }
  const read =
    missing.length > 0 ? await newestMessagesOf(tx, missing, deps.recent.perConversation) : new Map();
  for (const [conversationId, messages] of read) recent.set(conversationId, messages);
  const states = conversationIds.map((id) => ({
    conversation: byId.get(id),
    recent: [...(recent.get(id) ?? [])],
    settings,
    profile,
    tenant,
    lead: leads.get(id),
    model,
  }));
  return { states, read };
}

/**
 * Reads turns' state in batches: the turns that start while a read is under way are read together
 * by the next one, one transaction per tenant whose queries travel together. Messages come from
 * `recent` when it holds the conversation up to its last seq, from the database otherwise.
 */
export function createTurnStateReader(
  deps: TurnStateDeps,
): (tenantId: string, conversationId: string) => Promise<TurnState> {
  const read = batched((items: { tenantId: string; conversationId: string }[]) =>
    byGroup(
      items,
      (item) => item.tenantId,
      async (tenantId, group) => {
        const loaded = await withTenant(deps.db, tenantId, (tx) =>
          loadTurnStates(
            deps,
            tx,
            tenantId,
            group.map((item) => item.conversationId),
          ),
        );
        for (const [conversationId, messages] of loaded.read) deps.recent.set(conversationId, messages);
        return loaded.states;
      },
    ),
  );
  return (tenantId, conversationId) => read({ tenantId, conversationId });
}
