import { batched, byGroup } from '../../migrations/batched.ts';
import type { Db } from '../../migrations/database.ts';
import { withTenant } from '../../migrations/tenant-scope.ts';
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
 * Reads turns' state in batches: the turns that start while a read is under way are read together
 * by the next one, one transaction per tenant whose queries travel together. Messages come from
 * `recent` when it holds the conversation up to its last seq, from the database otherwise.
 */
export function createTurnStateReader(
  deps: TurnStateDeps,
): (tenantId: string, conversationId: string) => Promise<TurnState> {
  const read = batched(
    (items: { tenantId: string; conversationId: string }[]) =>
      byGroup(
        items,
        (item) => item.tenantId,
        (tenantId, group) =>
          readTenant(
            tenantId,
            group.map((item) => item.conversationId),
          ),
      ),
    {},
  );
  return (tenantId, conversationId) => read({ tenantId, conversationId });

  async function readTenant(tenantId: string, conversationIds: string[]): Promise<TurnState[]> {
    const ids = [...new Set(conversationIds)];
    return withTenant(deps.db, tenantId, async (tx) => {
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
      const byId = new Map(conversations.map((c) => [c.id, c]));
      const recent = new Map<string, StoredMessage[]>();
      const missing: string[] = [];
      for (const conversation of conversations) {
        const cached = deps.recent.get(conversation.id, conversation.lastSeq);
        if (cached) recent.set(conversation.id, cached);
        else missing.push(conversation.id);
      }
      if (missing.length > 0) {
        const read = await newestMessagesOf(tx, missing, deps.recent.perConversation);
        for (const [conversationId, messages] of read) {
          deps.recent.set(conversationId, messages);
          recent.set(conversationId, messages);
        }
      }
      return conversationIds.map((id) => ({
        conversation: byId.get(id),
        recent: [...(recent.get(id) ?? [])],
        settings,
        profile,
        tenant,
        lead: leads.get(id),
        model,
      }));
    });
  }
}
