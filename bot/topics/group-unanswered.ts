import { classKeywords } from './class-tfidf.ts';
import { clusterMessages } from './cluster-messages.ts';
import type { DayMessage } from './find-topics.ts';
import { undoHollowClusters } from './hollow-clusters.ts';
import type { MessageVectorizer } from './message-vectorizer.ts';
import { topicWords } from './topic-words.ts';

export interface UnansweredGroup {
  /** 0 for the most asked, 1, 2… */
  groupId: number;
  /** The group's most typical question, as a customer wrote it. */
  question: string;
  keywords: string[];
  messageCount: number;
  sampleMessageIds: string[];
}

export interface GroupUnansweredOptions {
  /** Groups kept, most asked first: the long tail of one-off questions stops somewhere. */
  maxGroups?: number;
  samples?: number;
  maxClustered?: number;
  signal?: AbortSignal;
}

/**
 * The "what couldn't the bot answer" list: the questions it abstained on or answered unsure,
 * grouped by similarity. Unlike topics, a question asked once is a group of its own: each one is
 * a gap in the knowledge someone may want to fill.
 */
export async function groupUnanswered(
  questions: readonly DayMessage[],
  vectorizer: MessageVectorizer,
  options: GroupUnansweredOptions = {},
): Promise<UnansweredGroup[]> {
  const worded = questions.filter((question) => topicWords(question.text).length > 0);
  if (worded.length === 0) return [];
  const texts = worded.map((question) => question.text);
  const vectors = await vectorizer.vectorize(texts, options.signal);
  let clusters = clusterMessages(vectors, {
    linkSimilarity: vectorizer.linkSimilarity,
    minSize: 1,
    maxClustered: options.maxClustered ?? 2000,
  });
  if (vectorizer.lexical) clusters = undoHollowClusters(texts, vectors, clusters, 'singletons');
  const { labels, members } = clusters;
  const keywords = classKeywords(texts, labels, { top: 5 });
  const groups: UnansweredGroup[] = [];
  for (const [label, list] of [...members].sort(([x], [y]) => x - y)) {
    // Past maxClustered, a question like none of the groups is left out rather than guessed.
    if (label < 0) continue;
    groups.push({
      groupId: label,
      question: texts[list[0]!]!,
      keywords: keywords.get(label) ?? [],
      messageCount: list.length,
      sampleMessageIds: list.slice(0, options.samples ?? 5).map((i) => worded[i]!.id),
    });
  }
  return groups.slice(0, options.maxGroups ?? 50);
}
