import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { ConversationEvents } from '../conversation/conversation-events.ts';
import { conversationLanguage } from '../conversation/conversation-language.ts';
import {
  appendMessage,
  type Conversation,
  lockConversation,
  recentMessages,
  type StoredMessage,
} from '../conversation/conversation-store.ts';
import type { OutboundDelivery } from '../conversation/turn-handler.ts';
import { getBusinessProfile } from '../tenants/tenant-store.ts';
import {
  type Escalation,
  EscalationConflictError,
  getEscalation,
  openEscalation,
  resolveEscalation,
  takeEscalation,
} from './escalation-store.ts';

export interface Operator {
  /** Who acts: an email or an id, stored as the escalation's assigned_to. */
  id: string;
  /** What the visitor sees ("Marie"); the part of the id before "@" when absent. */
  displayName?: string;
}

export interface OperatorDesk {
  take(tenantId: string, escalationId: string, operator: Operator): Promise<Escalation | undefined>;
  /** Takes a conversation that has no escalation (or whose escalation is pending). */
  takeOver(tenantId: string, conversationId: string, operator: Operator): Promise<Escalation | undefined>;
  reply(
    tenantId: string,
    escalationId: string,
    input: { text: string; operator?: Operator; clientId?: string },
  ): Promise<{ escalation: Escalation; message: StoredMessage; duplicate: boolean } | undefined>;
  resolve(tenantId: string, escalationId: string): Promise<Escalation | undefined>;
}

/**
 * What operators do with escalated conversations: take one, write to the customer as themselves,
 * and resolve it, which hands the conversation back to the bot. The visitor sees each step live,
 * and replies reach WhatsApp and Instagram through the same outbound queue as the bot's.
 */
export function createOperatorDesk(deps: {
  db: Db;
  events: ConversationEvents;
  delivery?: OutboundDelivery | undefined;
}): OperatorDesk {
  const { db, events } = deps;

  async function notice(
    tx: Tx,
    conversation: Conversation,
    kind: 'joined' | 'resolved',
    operator?: Operator,
  ) {
    const history = await recentMessages(tx, conversation.id, 10);
    const profile = await getBusinessProfile(tx, conversation.tenantId);
    const lang = conversationLanguage({ content: '' }, history, profile?.language);
    const name = operator ? displayName(operator) : undefined;
    const text =
      kind === 'joined'
        ? lang === 'fr'
          ? `${name} a rejoint la conversation.`
          : `${name} joined the conversation.`
        : lang === 'fr'
          ? "La conversation est terminée avec notre équipe. L'assistant reste là si vous avez d'autres questions."
          : 'Our team has closed this conversation. The assistant is still here if you have more questions.';
    const stored = await appendMessage(tx, {
      tenantId: conversation.tenantId,
      conversationId: conversation.id,
      role: 'system',
      content: text,
      metadata: { notice: kind, ...(operator ? { agent: operator.id } : {}) },
    });
    return stored.message;
  }

  function publish(conversationId: string, messages: (StoredMessage | undefined)[]) {
    for (const message of messages) if (message) events.publish({ type: 'message', conversationId, message });
  }

  async function takeIn(tx: Tx, escalation: Escalation, operator: Operator) {
    const alreadyMine = escalation.status === 'in_progress' && escalation.assignedTo === operator.id;
    const conversation = await lockConversation(tx, escalation.conversationId);
    const taken = await takeEscalation(tx, escalation.id, operator.id);
    const joined =
      !alreadyMine && conversation ? await notice(tx, conversation, 'joined', operator) : undefined;
    return { taken, joined };
  }

  return {
    async take(tenantId, escalationId, operator) {
      const result = await withTenant(db, tenantId, async (tx) => {
        const escalation = await getEscalation(tx, escalationId);
        if (!escalation) return undefined;
        return takeIn(tx, escalation, operator);
      });
      if (!result?.taken) return undefined;
      publish(result.taken.conversationId, [result.joined]);
      return result.taken;
    },

    async takeOver(tenantId, conversationId, operator) {
      const result = await withTenant(db, tenantId, async (tx) => {
        const conversation = await lockConversation(tx, conversationId);
        if (!conversation) return undefined;
        const { escalation, created } = await openEscalation(tx, {
          tenantId,
          conversationId,
          reason: 'operator_takeover',
          summary: null,
          status: 'in_progress',
          assignedTo: operator.id,
        });
        if (created) return { taken: escalation, joined: await notice(tx, conversation, 'joined', operator) };
        return takeIn(tx, escalation, operator);
      });
      if (!result?.taken) return undefined;
      publish(conversationId, [result.joined]);
      return result.taken;
    },

    async reply(tenantId, escalationId, input) {
      const result = await withTenant(db, tenantId, async (tx) => {
        let escalation = await getEscalation(tx, escalationId, true);
        if (!escalation) return undefined;
        if (escalation.status === 'resolved') {
          throw new EscalationConflictError(
            'This escalation is resolved: take the conversation over again to write in it',
          );
        }
        let joined: StoredMessage | undefined;
        if (escalation.status === 'pending') {
          if (!input.operator)
            throw new EscalationConflictError('Nobody has taken this escalation: say who replies ("agent")');
          const took = await takeIn(tx, escalation, input.operator);
          escalation = took.taken ?? escalation;
          joined = took.joined;
        } else if (input.operator && input.operator.id !== escalation.assignedTo) {
          throw new EscalationConflictError(
            `This escalation is taken by ${escalation.assignedTo ?? 'someone else'}`,
          );
        }
        const conversation = await lockConversation(tx, escalation.conversationId);
        if (!conversation) return undefined;
        const author = input.operator ?? { id: escalation.assignedTo ?? 'operator' };
        const stored = await appendMessage(tx, {
          tenantId,
          conversationId: conversation.id,
          role: 'agent',
          content: input.text,
          clientId: input.clientId ?? null,
          metadata: { agent: author.id, agent_name: displayName(author), escalation_id: escalation.id },
        });
        if (!stored.duplicate) await deps.delivery?.enqueue(tx, conversation, stored.message);
        return { escalation, joined, ...stored };
      });
      if (!result) return undefined;
      if (!result.duplicate) deps.delivery?.afterCommit?.();
      if (!result.duplicate) publish(result.escalation.conversationId, [result.joined, result.message]);
      return { escalation: result.escalation, message: result.message, duplicate: result.duplicate };
    },

    async resolve(tenantId, escalationId) {
      const result = await withTenant(db, tenantId, async (tx) => {
        const escalation = await getEscalation(tx, escalationId);
        if (!escalation) return undefined;
        const conversation = await lockConversation(tx, escalation.conversationId);
        const wasOpen = escalation.status !== 'resolved';
        const resolved = await resolveEscalation(tx, escalationId);
        const closing = wasOpen && conversation ? await notice(tx, conversation, 'resolved') : undefined;
        return { resolved, closing };
      });
      if (!result?.resolved) return undefined;
      publish(result.resolved.conversationId, [result.closing]);
      return result.resolved;
    },
  };
}

function displayName(operator: Operator): string {
  return operator.displayName?.trim() || operator.id.split('@')[0] || operator.id;
}
