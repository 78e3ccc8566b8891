import type { Db } from '../db/database.ts';
import type { Retriever } from '../knowledge/retrieve/retrieval-hit.ts';
import type { RelatedWordOptions } from '../knowledge/text/related-words.ts';
import { type Clock, systemClock } from './clock.ts';
import type { ConversationEvents } from './conversation/conversation-events.ts';
import type { StoredMessage } from './conversation/conversation-store.ts';
import { createTurnHandler, type OutboundDelivery, type TurnHandler } from './conversation/turn-handler.ts';
import { createOperatorDesk, type OperatorDesk } from './escalation/operator-desk.ts';
import {
  createIntentDetector,
  type IntentDetector,
  type LlmIntentClassifier,
} from './intents/intent-detector.ts';
import { createLeadTracker, type LeadTracker, type LlmLeadScorer } from './leads/lead-tracker.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './notifications/mailer.ts';
import {
  createNotificationDispatcher,
  type NotificationDispatcher,
  type RetryPolicy,
} from './notifications/notification-dispatcher.ts';
import { createOfflineResponder, type OfflineReading } from './offline/offline-responder.ts';
import type { Responder } from './responder.ts';

/** What the LLM adds when one is configured; every part falls back to the offline path on failure. */
export interface LlmServices {
  /** Builds the agent responder around the offline one (its fallback) and the lead tracker. */
  responder(offline: Responder, leads: LeadTracker): Responder;
  classifyIntent: LlmIntentClassifier;
  scoreLead: LlmLeadScorer;
  summarize: (reason: string, messages: readonly StoredMessage[]) => Promise<string>;
}

/** Parts of how the offline bot reads questions; all on unless a benchmark measures without one. */
export interface Understanding {
  expansion?: RelatedWordOptions | undefined;
  offline?: OfflineReading | undefined;
}

export interface BotDeps {
  db: Db;
  events: ConversationEvents;
  log: Logger;
  retriever: Retriever;
  /** Decrypts webhook signing secrets. */
  encryptionKey: Buffer;
  clock?: Clock | undefined;
  mailer?: Mailer | undefined;
  delivery?: OutboundDelivery | undefined;
  llm?: LlmServices | undefined;
  /** Replaces the responder (tests). */
  responder?: Responder | undefined;
  /** Wraps the responder, whichever it is (the Meta channels answer unreadable media politely). */
  decorate?: ((responder: Responder) => Responder) | undefined;
  retry?: RetryPolicy | undefined;
  /** The offline bot's follow-ups and profile answers (on unless switched off). */
  offline?: OfflineReading | undefined;
}

export interface Bot {
  responder: Responder;
  turns: TurnHandler;
  desk: OperatorDesk;
  intents: IntentDetector;
  leads: LeadTracker;
  notifier: NotificationDispatcher;
  clock: Clock;
}

/** Wires the bot: intents, leads, notifications, the responder (LLM agent or offline), turns and the operator desk. */
export function createBot(deps: BotDeps): Bot {
  const clock = deps.clock ?? systemClock;
  const notifier = createNotificationDispatcher({
    db: deps.db,
    encryptionKey: deps.encryptionKey,
    clock,
    log: deps.log,
    mailer: deps.mailer,
    retry: deps.retry,
  });
  const intents = createIntentDetector({ db: deps.db, log: deps.log, llm: deps.llm?.classifyIntent });
  const leads = createLeadTracker({
    db: deps.db,
    clock,
    log: deps.log,
    notifier,
    llm: deps.llm?.scoreLead,
  });
  const offline = createOfflineResponder({
    db: deps.db,
    retriever: deps.retriever,
    clock,
    reading: deps.offline,
  });
  const chosen = deps.responder ?? (deps.llm ? deps.llm.responder(offline, leads) : offline);
  const responder = deps.decorate ? deps.decorate(chosen) : chosen;
  const turns = createTurnHandler({
    db: deps.db,
    responder,
    events: deps.events,
    log: deps.log,
    intents,
    clock,
    notifier,
    leads,
    delivery: deps.delivery,
    summarizer: deps.llm?.summarize,
  });
  const desk = createOperatorDesk({ db: deps.db, events: deps.events, delivery: deps.delivery });
  return { responder, turns, desk, intents, leads, notifier, clock };
}
