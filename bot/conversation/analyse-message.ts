import type { MessageAnalysis } from '../escalation/escalation-policy.ts';
import { OUT_OF_SCOPE } from '../intents/intent-classifier.ts';
import type { IntentModel } from '../intents/intent-detector.ts';
import { detectSmallTalk } from '../offline/small-talk.ts';
import { sentimentScore } from '../sentiment/sentiment.ts';
import type { StoredMessage } from './conversation-store.ts';

/**
 * Intent and sentiment of a customer message. Without a model, or when detection fails (told to
 * `failed`), the message is off topic.
 */
export async function analyseMessage(
  text: string,
  model: IntentModel | undefined,
  failed: (error: unknown) => void,
): Promise<MessageAnalysis> {
  const offTopic = { intent: OUT_OF_SCOPE, confidence: 0, source: 'offline' as const };
  const detected = model
    ? await model.detect(text).catch((error: unknown) => {
        failed(error);
        return offTopic;
      })
    : offTopic;
  return {
    intent: detected.intent,
    intentConfidence: detected.confidence,
    intentSource: detected.source,
    sentiment: sentimentScore(text),
    asksForHuman: detectSmallTalk(text) === 'human',
  };
}

/** What an analysis adds to its message's metadata. */
export function analysisMetadata(analysis: MessageAnalysis): Record<string, unknown> {
  return {
    intent: analysis.intent,
    intent_confidence: analysis.intentConfidence,
    intent_source: analysis.intentSource,
    sentiment: analysis.sentiment,
  };
}

/** The message as it reads once `metadata` is merged into its own (a copy). */
export function withMetadata(message: StoredMessage, metadata: Record<string, unknown>): StoredMessage {
  return { ...message, metadata: { ...message.metadata, ...metadata } };
}
