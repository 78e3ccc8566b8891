import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
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
  tenantId: string;
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

/** How many of the newest messages a lead is scored on. */
const TRANSCRIPT_LENGTH = 50;
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
  llm?: LlmLeadScorer | undefined;
  notifier?: { kick(): void };
}): LeadTracker {
  const { db } = deps;

  /**
   * Scores the lead again from the customer's words: the caller's `known` transcript when it has
   * one (a turn has read it already), else the newest messages. A lead still to be written
   * (`lead` a function) is written in the same transaction as its new score, so that a turn that
   * opens or completes a lead costs one transaction, and one that leaves the score as it was
   * costs none.
   */
  async function rescore(
    scope: Scope,
    conversationId: string,
    lead: Lead | ((tx: Tx) => Promise<Lead>),
    known?: readonly StoredMessage[],
  ): Promise<Lead> {
    const transcript = known
      ? known.filter(isCustomer).slice(-TRANSCRIPT_LENGTH)
      : await scope.run(async (tx) =>
          (await recentMessages(tx, conversationId, TRANSCRIPT_LENGTH)).filter(isCustomer),
        );
    if (typeof lead === 'function') {
      if (deps.llm) {
        // The LLM is asked outside any transaction, so the lead is stored first.
        lead = await scope.run(lead);
      } else {
        const write = lead;
        return record(scope, async (tx) => {
          const written = await write(tx);
          return { lead: written, ...rulesScore(transcript, written) };
        });
      }
    }
    const stored = lead;
    const { signals, score: rules } = rulesScore(transcript, stored);
    let score = rules;
    if (deps.llm && (stored.scoreValue === null || stored.scoreValue !== rules.scoreValue)) {
      try {
        score = await deps.llm({
          tenantId: stored.tenantId,
          signals,
          rules,
          transcript: transcript
            .map((m) => m.content)
            .join('\n')
            .slice(-4000),
        });
      } catch (error) {
        deps.log.warn({ err: error, leadId: stored.id }, 'LLM lead scoring failed; using the rules');
      }
    }
    if (stored.score === score.score && stored.scoreValue === score.scoreValue) return stored;
    return record(scope, async () => ({ lead: stored, signals, score }));
  }

  async function record(
    scope: Scope,
    scored: (tx: Tx) => Promise<{ lead: Lead; signals: LeadSignals; score: LeadScore }>,
  ): Promise<Lead> {
    const result = await scope.run(async (tx) => {
      const { lead, signals, score } = await scored(tx);
      const wasHot = lead.score === 'hot';
      const recorded = await recordLeadScore(tx, lead, score, signals);
      let notified = 0;
      if (recorded.changed && recorded.lead.score === 'hot' && !wasHot)
        notified = await notifyHot(tx, recorded.lead, score);
      return { lead: recorded.lead, notified };
    });
    scope.notified(result.notified);
    return result.lead;
  }

  /** Transactions of the tracker's own, each telling the notifier once it has committed. */
  function ownTransactions(tenantId: string): Scope {
    return {
      run: (work) => withTenant(db, tenantId, work),
      notified(count) {
        if (count > 0) deps.notifier?.kick();
      },
    };
  }

  async function observe(scope: Scope, { conversation, message, history, analysis, known }: Observed) {
    const profile = known
      ? known.profile
      : await scope.run((tx) => getBusinessProfile(tx, conversation.tenantId));
    const details = extractLeadDetails(
      message.content,
      countryOfTimeZone(profile?.timezone, profile?.language),
    );
    const existing = known ? known.lead : await scope.run((tx) => getLeadOfConversation(tx, conversation.id));
    const buying = leadSignals([...history.filter(isCustomer), message].map(asSignalInput), {
      email: false,
      phone: false,
      name: false,
      company: false,
    }).purchase_intent;
    const hasDetails = Object.keys(details).length > 0;
    if (!existing && !hasDetails && !buying) return existing;
    const need = NEED_INTENTS.has(analysis.intent) && !existing?.need ? message.content : null;
    if (existing && !hasDetails && !need) {
      return rescore(scope, conversation.id, existing, known?.transcript);
    }
    const upsert = (tx: Tx) =>
      upsertLead(tx, { tenantId: conversation.tenantId, conversationId: conversation.id, details, need });
    return rescore(scope, conversation.id, upsert, known?.transcript);
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
    observe: (input) => observe(ownTransactions(input.conversation.tenantId), input),
    // With an LLM to ask, a lead is scored outside any transaction.
    ...(deps.llm
      ? {}
      : {
          async observeInTransaction(tx: Tx, input: Observed) {
            let notified = 0;
            const lead = await observe(
              {
                run: (work) => work(tx),
                notified(count) {
                  notified += count;
                },
              },
              input,
            );
            return { lead, notified };
          },
        }),
    async capture({ tenantId, conversationId, details, need }) {
      const lead = await withTenant(db, tenantId, (tx) =>
        upsertLead(tx, { tenantId, conversationId, details, need: need ?? null }),
      );
      return rescore(ownTransactions(tenantId), conversationId, lead);
    },
  };
}

/** Where the tracker does its database work, and who hears of the notifications it queued. */
interface Scope {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  notified(count: number): void;
}

type Observed = Parameters<LeadObserver['observe']>[0];

function rulesScore(
  transcript: readonly StoredMessage[],
  lead: Lead,
): { signals: LeadSignals; score: LeadScore } {
  const signals = leadSignals(transcript.map(asSignalInput), {
    email: Boolean(lead.email),
    phone: Boolean(lead.phone),
    name: Boolean(lead.name),
    company: Boolean(lead.company),
  });
  return { signals, score: scoreLeadByRules(signals) };
}

function isCustomer(message: StoredMessage): boolean {
  return message.role === 'user';
}

function asSignalInput(message: StoredMessage) {
  const intent = message.metadata['intent'];
  return { text: message.content, intent: typeof intent === 'string' ? intent : null };
}
