import type { Db, Tx } from '../../migrations/database.ts';
import { withTenant } from '../../migrations/tenant-scope.ts';
import type { Clock } from '../clock.ts';
import { recentMessages, type StoredMessage } from '../conversation/conversation-store.ts';
import type { LeadObserver } from '../conversation/turn-handler.ts';
import type { Logger } from '../logger.ts';
import { enqueueNotifications } from '../notifications/notification-store.ts';
import { getBotSettingsRow } from '../settings/bot-settings-store.ts';
import { getBusinessProfile, getTenant } from '../tenants/tenant-store.ts';
import { countryOfTimeZone, extractLeadDetails, type LeadDetails } from './extract-lead.ts';
import { getLeadOfConversation, type Lead, recordLeadScore, upsertLead } from './lead-store.ts';
import { type LeadScore, type LeadSignals, leadSignals, scoreLeadByRules } from './score-lead.ts';

/** An LLM's second opinion on a lead, given the rule signals and the customer's words. */
export type LlmLeadScorer = (input: {
  signals: LeadSignals;
  rules: LeadScore;
  transcript: string;
}) => Promise<LeadScore>;

export interface LeadTracker extends LeadObserver {
  /** Records details a tool collected (the LLM's capture_lead), then rescores. */
  capture(input: {
    tenantId: string;
    conversationId: string;
    details: LeadDetails;
    need?: string | null;
  }): Promise<Lead>;
}

const NEED_INTENTS = new Set(['purchase_interest', 'booking', 'pricing']);

/**
 * One lead per conversation, opened when a customer shows buying interest or leaves contact
 * details, completed as details arrive and rescored after each message: by rules offline, by the
 * LLM (starting from the rule signals) when one is configured. Each change of score is recorded
 * with its signals and reasoning; a lead that turns hot notifies the tenant.
 */
export function createLeadTracker(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  llm?: LlmLeadScorer;
  notifier?: { kick(): void };
}): LeadTracker {
  const { db } = deps;

  async function rescore(tenantId: string, conversationId: string, lead: Lead): Promise<Lead> {
    const transcript = await withTenant(db, tenantId, async (tx) => {
      return (await recentMessages(tx, conversationId, 50)).filter((m) => m.role === 'user');
    });
    const signals = leadSignals(
      transcript.map((m) => ({
        text: m.content,
        intent: typeof m.metadata['intent'] === 'string' ? (m.metadata['intent'] as string) : null,
      })),
      {
        email: Boolean(lead.email),
        phone: Boolean(lead.phone),
        name: Boolean(lead.name),
        company: Boolean(lead.company),
      },
    );
    const rules = scoreLeadByRules(signals);
    let score = rules;
    if (deps.llm && (lead.scoreValue === null || lead.scoreValue !== rules.scoreValue)) {
      try {
        score = await deps.llm({
          signals,
          rules,
          transcript: transcript
            .map((m) => m.content)
            .join('\n')
            .slice(-4000),
        });
      } catch (error) {
        deps.log.warn({ err: error, leadId: lead.id }, 'LLM lead scoring failed; using the rules');
      }
    }
    const result = await withTenant(db, tenantId, async (tx) => {
      const wasHot = lead.score === 'hot';
      const recorded = await recordLeadScore(tx, lead, score, signals);
      let notified = 0;
      if (recorded.changed && recorded.lead.score === 'hot' && !wasHot)
        notified = await notifyHot(tx, recorded.lead, score);
      return { lead: recorded.lead, notified };
    });
    if (result.notified > 0) deps.notifier?.kick();
    return result.lead;
  }

  async function notifyHot(tx: Tx, lead: Lead, score: LeadScore): Promise<number> {
    const settings = await getBotSettingsRow(tx, lead.tenantId);
    const profile = await getBusinessProfile(tx, lead.tenantId);
    const tenant = await getTenant(tx, lead.tenantId);
    const emails = settings?.notifyEmails.length
      ? settings.notifyEmails
      : profile?.escalationEmail
        ? [profile.escalationEmail]
        : [];
    const rows = await enqueueNotifications(tx, {
      tenantId: lead.tenantId,
      event: 'lead.hot',
      conversationId: lead.conversationId,
      now: deps.clock.now(),
      targets: { webhookUrl: settings?.webhookSecretEncrypted ? settings.webhookUrl : null, emails },
      payload: {
        lead_id: lead.id,
        conversation_id: lead.conversationId,
        name: lead.name,
        email: lead.email,
        phone: lead.phone,
        company: lead.company,
        need: lead.need,
        score: score.score,
        score_value: score.scoreValue,
        reasoning: score.reasoning,
        tenant_name: tenant?.name ?? null,
      },
    });
    return rows.length;
  }

  return {
    async observe({ conversation, message, history, analysis }) {
      const profile = await withTenant(db, conversation.tenantId, (tx) =>
        getBusinessProfile(tx, conversation.tenantId),
      );
      const details = extractLeadDetails(
        message.content,
        countryOfTimeZone(profile?.timezone, profile?.language),
      );
      const existing = await withTenant(db, conversation.tenantId, (tx) =>
        getLeadOfConversation(tx, conversation.id),
      );
      const buying = leadSignals([...history.filter(isCustomer), message].map(asSignalInput), {
        email: false,
        phone: false,
        name: false,
        company: false,
      }).purchase_intent;
      const hasDetails = Object.keys(details).length > 0;
      if (!existing && !hasDetails && !buying) return;
      const need = NEED_INTENTS.has(analysis.intent) && !existing?.need ? message.content : null;
      if (existing && !hasDetails && !need) {
        await rescore(conversation.tenantId, conversation.id, existing);
        return;
      }
      const lead = await withTenant(db, conversation.tenantId, (tx) =>
        upsertLead(tx, { tenantId: conversation.tenantId, conversationId: conversation.id, details, need }),
      );
      await rescore(conversation.tenantId, conversation.id, lead);
    },
    async capture({ tenantId, conversationId, details, need }) {
      const lead = await withTenant(db, tenantId, (tx) =>
        upsertLead(tx, { tenantId, conversationId, details, need: need ?? null }),
      );
      return rescore(tenantId, conversationId, lead);
    },
  };
}

function isCustomer(message: StoredMessage): boolean {
  return message.role === 'user';
}

function asSignalInput(message: StoredMessage) {
  const intent = message.metadata['intent'];
  return { text: message.content, intent: typeof intent === 'string' ? intent : null };
}
