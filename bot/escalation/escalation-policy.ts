import type { StoredMessage } from '../conversation/conversation-store.ts';
import { OUT_OF_SCOPE } from '../intents/intent-classifier.ts';
import type { BotSettings } from '../settings/bot-settings-store.ts';

/** What the bot understood of a customer's message; stored in the message's metadata. */
export interface MessageAnalysis {
  intent: string;
  intentConfidence: number;
  intentSource: 'offline' | 'llm';
  /** -1 (furious) … 1 (delighted). */
  sentiment: number;
  /** The message asks for a person in so many words (a pattern, whatever the classifier says). */
  asksForHuman: boolean;
}

export interface EscalationDecision {
  reason: string;
  /** Answer the question first, then hand over (a refund question may have an answer in the FAQ). */
  answerFirst: boolean;
}

const REASON_OF_INTENT: Record<string, string> = {
  human_agent: 'requested_human',
  complaint: 'complaint',
  returns_refund: 'refund_request',
};

/**
 * Whether a customer's message goes to a human before (or right after) the bot answers it: an
 * explicit request for a person, an intent the tenant escalates (complaint and refunds by
 * default), or strongly negative sentiment. Each rule is one of the tenant's settings.
 */
export function escalationForMessage(
  analysis: MessageAnalysis,
  settings: BotSettings,
): EscalationDecision | null {
  const escalated = new Set(settings.escalationIntents);
  const intent = actionableIntent(analysis, settings);
  if (escalated.has('human_agent') && (analysis.asksForHuman || intent === 'human_agent')) {
    return { reason: 'requested_human', answerFirst: false };
  }
  if (settings.escalateOnNegativeSentiment && analysis.sentiment <= settings.negativeSentimentThreshold) {
    return { reason: intent === 'complaint' ? 'complaint' : 'negative_sentiment', answerFirst: false };
  }
  if (intent !== OUT_OF_SCOPE && escalated.has(intent)) {
    const reason = REASON_OF_INTENT[intent] ?? `intent:${intent}`;
    return { reason, answerFirst: intent === 'returns_refund' };
  }
  return null;
}

/**
 * The intent the bot may act on: the detected one when its confidence reaches the tenant's
 * threshold, out-of-scope otherwise. A guess must not hand a customer to a human or send a
 * booking link; it still goes to the knowledge base like any other question.
 */
export function actionableIntent(
  analysis: Pick<MessageAnalysis, 'intent' | 'intentConfidence'> | undefined,
  settings: Pick<BotSettings, 'confidenceThreshold'> | undefined,
): string {
  if (!analysis) return OUT_OF_SCOPE;
  return analysis.intentConfidence >= (settings?.confidenceThreshold ?? 0.5) ? analysis.intent : OUT_OF_SCOPE;
}

/** An answer the bot is not sure of: it abstained, or its confidence is below the tenant's threshold. */
export function isUnsure(metadata: Record<string, unknown>, settings: BotSettings): boolean {
  if (metadata['abstained'] === true) return true;
  const confidence = metadata['confidence'];
  return typeof confidence === 'number' && confidence < settings.confidenceThreshold;
}

/**
 * Whether this unsure answer makes N unsure answers in a row (N = the tenant's lowConfidenceTurns):
 * then the bot stops guessing and hands over. Any sure answer, or a human's message, resets the count.
 */
export function lowConfidenceStreakReached(
  history: readonly StoredMessage[],
  settings: BotSettings,
): boolean {
  if (settings.lowConfidenceTurns <= 0) return false;
  let streak = 1;
  for (let i = history.length - 1; i >= 0 && streak < settings.lowConfidenceTurns; i -= 1) {
    const message = history[i]!;
    if (message.role === 'user') continue;
    if (message.role !== 'assistant' || message.metadata['unsure'] !== true) break;
    streak += 1;
  }
  return streak >= settings.lowConfidenceTurns;
}
