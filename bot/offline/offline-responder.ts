import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { RetrievalHit, RetrieveOptions, Retriever } from '../../knowledge/retrieve/retrieval-hit.ts';
import { writtenInOtherScript } from '../../knowledge/text/detect-language.ts';
import { normalizeWords } from '../../knowledge/text/normalize-words.ts';
import { type Clock, systemClock } from '../clock.ts';
import { conversationLanguage } from '../conversation/conversation-language.ts';
import { getConversation } from '../conversation/conversation-store.ts';
import { actionableIntent } from '../escalation/escalation-policy.ts';
import { OUT_OF_SCOPE } from '../intents/intent-classifier.ts';
import { getLeadOfConversation } from '../leads/lead-store.ts';
import { offerMeeting } from '../meetings/meeting-store.ts';
import type { BotReply, Responder, TurnContext } from '../responder.ts';
import { getBusinessProfile, getTenant } from '../tenants/tenant-store.ts';
import { dayReferences } from './day-references.ts';
import { previousTopic, type ReadTurn, readFollowUp, type Topic, topicOf } from './follow-up.ts';
import { profileAnswer, profileQuestion } from './profile-answer.ts';
import { replyText } from './replies.ts';
import { detectSmallTalk } from './small-talk.ts';

export interface OfflineResponderDeps {
  db: Db;
  retriever: Retriever;
  /** The time that "open today?" is answered at. */
  clock?: Clock | undefined;
  reading?: OfflineReading | undefined;
}

/** Parts of how a question is read, each on unless switched off (to measure what it brings). */
export interface OfflineReading {
  /** Read a short follow-up with the previous turn's topic. */
  followUps?: boolean;
  /** Answer questions about the business from its profile. */
  profileAnswers?: boolean;
  /** Match the lexicon on exact word forms rather than on stems. */
  exactForms?: boolean;
}

const SMALL_TALK = new Set(['greeting', 'thanks', 'goodbye']);
const SMALL_TALK_KEYS: ReadonlySet<string> = new Set(['greeting', 'thanks', 'goodbye', 'human']);
const BUYING = new Set(['purchase_interest', 'pricing']);

/**
 * The bot without an LLM, steered by the message's intent and by what its words are about:
 * templates for small talk, precise answers from the business profile (the phone number, the
 * hours on a given day…), the Cal.com link for bookings, the best passage of the tenant's
 * knowledge (with its source) for questions, followed by an invitation to leave contact details
 * when the customer wants to buy, and an honest "I don't know" with a way to reach a human when
 * the knowledge has no answer (a guess about an unknown product would be worse). A short
 * follow-up ("et pour la Suisse ?") is read with the previous turn's topic.
 */
export function createOfflineResponder({
  db,
  retriever,
  clock = systemClock,
  reading = {},
}: OfflineResponderDeps): Responder {
  const retrieveIn = retriever.retrieveIn?.bind(retriever);
  return {
    respond: (context) =>
      answer(context, {
        reading,
        now: () => clock.now(),
        run: (work) => withTenant(db, context.tenantId, work),
        retrieve: (query, options) => retriever.retrieve(context.tenantId, query, options),
      }),
    // Nothing of the offline bot leaves the process, but retrieval may.
    ...(retrieveIn
      ? {
          respondInTransaction: (tx: Tx, context: TurnContext) =>
            answer(context, {
              reading,
              now: () => clock.now(),
              run: (work) => work(tx),
              retrieve: (query, options) => retrieveIn(tx, context.tenantId, query, options),
            }),
        }
      : {}),
  };
}

/** Where an answer does its database work: a transaction of its own, or the caller's. */
interface AnswerScope {
  reading: OfflineReading;
  now(): Date;
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  retrieve(query: string, options: RetrieveOptions): Promise<RetrievalHit[]>;
}

async function answer(context: TurnContext, scope: AnswerScope): Promise<BotReply> {
  const text = context.message.content;
  const business =
    context.business ??
    (await scope.run(async (tx) => ({
      tenant: await getTenant(tx, context.tenantId),
      profile: await getBusinessProfile(tx, context.tenantId),
      lead: await getLeadOfConversation(tx, context.conversationId),
    })));
  const lang = conversationLanguage(context.message, context.history, business.profile?.language);
  const variables = {
    business: business.tenant?.name,
    contact: [business.profile?.email, business.profile?.phone].filter(Boolean).join(', ') || undefined,
  };
  const intent = actionableIntent(context.analysis, context.settings);
  const template = (key: Parameters<typeof replyText>[1], extra: Record<string, unknown> = {}): BotReply => ({
    text: replyText(lang, key, { ...variables, ...extra }),
    citations: [],
    metadata: {
      source: 'template',
      template: key,
      intent: intent === OUT_OF_SCOPE && SMALL_TALK_KEYS.has(key) ? key : intent,
      lang,
    },
  });

  if (
    normalizeWords(text).length === 0 &&
    !/\p{L}|\p{N}/u.test(text) &&
    !/\p{Extended_Pictographic}/u.test(text)
  ) {
    return template('empty');
  }
  // Words in another script (Cyrillic, Arabic, Chinese…) would only find a passage by chance.
  if (writtenInOtherScript(text)) return template('otherLanguage');
  const smallTalk = detectSmallTalk(text) ?? (SMALL_TALK.has(intent) && isShort(text) ? intent : undefined);
  // A request for a person reaches here only when the tenant does not escalate those: the
  // bot then says how to reach the team.
  if (smallTalk) return template(smallTalk as 'greeting' | 'thanks' | 'goodbye' | 'human');

  const previous = scope.reading.followUps === false ? undefined : previousTopic(context.history);
  const turn = readFollowUp(text, previous, lang, { exactForms: scope.reading.exactForms === true });
  const topic = topicOf(turn.reading);
  const asked =
    scope.reading.profileAnswers === false
      ? undefined
      : (profileQuestion(turn.reading) ??
        (intent === 'opening_hours'
          ? { kind: 'opening_hours' as const, days: dayReferences(turn.reading.tokens) }
          : undefined));
  const fact = asked && profileAnswer(asked, business, lang, scope.now());
  if (fact) {
    return {
      text: fact,
      citations: [],
      metadata: { source: 'business_profile', profile: asked.kind, intent, lang, topic },
    };
  }
  if (intent === 'booking' && business.profile?.calcomUrl) {
    const calcomUrl = business.profile.calcomUrl;
    const meeting = await scope.run(async (tx) => {
      const conversation = await getConversation(tx, context.conversationId);
      return offerMeeting(tx, {
        tenantId: context.tenantId,
        conversationId: context.conversationId,
        userId: conversation?.userId ?? 'unknown',
        calcomUrl,
        name: business.lead?.name,
        email: business.lead?.email,
      });
    });
    return {
      ...template('booking', { link: meeting.meetingUrl }),
      metadata: { source: 'booking', intent, lang, meeting_id: meeting.id },
    };
  }
  const lead = business.lead;
  const gaveContact = lead && (lead.email || lead.phone) && mentionsContact(text, lead.email, lead.phone);
  if (gaveContact) return template('leadThanks', { reach: lead.email ?? lead.phone ?? undefined });

  const found = await answerFromKnowledge(scope, turn, lang, intent, topic);
  if (found) {
    if (turn.followUp) found.metadata['follow_up'] = true;
    if (BUYING.has(intent) && !(lead?.email || lead?.phone)) {
      found.text = `${found.text}\n\n${replyText(lang, 'leadInvite')}`;
      found.metadata['lead_invite'] = true;
    }
    return found;
  }
  return {
    text: replyText(lang, 'abstain', variables),
    citations: [],
    metadata: { source: 'abstain', abstained: true, intent, lang, topic },
  };
}

async function answerFromKnowledge(
  scope: AnswerScope,
  turn: ReadTurn,
  lang: 'fr' | 'en',
  intent: string,
  topic: Topic,
): Promise<BotReply | undefined> {
  const hits = await scope.retrieve(turn.text, { lang, limit: 3, context: turn.context });
  const best = hits[0];
  if (!best) return undefined;
  return {
    text: best.content,
    citations: [best.citation],
    metadata: {
      source: 'knowledge',
      intent,
      lang,
      confidence: Number(best.score.toFixed(3)),
      chunk_ids: hits.map((hit) => hit.chunkId),
      topic,
    },
  };
}

function isShort(text: string): boolean {
  return text.trim().split(/\s+/).length <= 4;
}

function mentionsContact(text: string, email: string | null, phone: string | null): boolean {
  const plain = text.toLowerCase();
  if (email && plain.includes(email.toLowerCase())) return true;
  const digits = text.replace(/\D/g, '');
  return Boolean(phone && digits.length >= 6 && phone.replace(/\D/g, '').endsWith(digits.slice(-6)));
}
