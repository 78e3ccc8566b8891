import type { Logger } from '../logger.ts';

/**
 * Names a topic from its keywords and a few of its messages (an LLM). The agent side provides
 * one when an LLM is configured; without it, or when it fails, topics are named by keywords.
 */
export type TopicLabeler = (keywords: string[], samples: string[]) => Promise<string>;

/** "Livraison, colis, délai": the first three keywords, the first capitalised. */
export function keywordLabel(keywords: readonly string[]): string | null {
  const [first, ...rest] = keywords.slice(0, 3);
  if (!first) return null;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(', ');
}

/** The labeler's name for the topic when it gives a usable one, the keyword label otherwise. */
export async function labelTopic(
  keywords: readonly string[],
  samples: readonly string[],
  labeler: TopicLabeler | undefined,
  log: Logger,
): Promise<string | null> {
  const fallback = keywordLabel(keywords);
  if (!labeler || keywords.length === 0) return fallback;
  try {
    const label = await labeler([...keywords], [...samples]);
    // Models like to quote their answer or end it with a full stop.
    const clean =
      typeof label === 'string' ? label.replace(/\s+/g, ' ').replace(/^[\s"'«»“”]+|[\s"'«»“”.]+$/g, '') : '';
    if (clean.length > 0 && clean.length <= 80) return clean;
    log.warn({ label }, 'the topic labeler gave no usable label; using the keywords');
  } catch (error) {
    log.warn({ err: error }, 'the topic labeler failed; using the keywords');
  }
  return fallback;
}
