import type { Logger } from '../logger.ts';
import { detectSmallTalk } from '../offline/small-talk.ts';
import { classKeywords } from './class-tfidf.ts';
import { clusterMessages } from './cluster-messages.ts';
import { undoHollowClusters } from './hollow-clusters.ts';
import type { MessageVectorizer } from './message-vectorizer.ts';
import { labelTopic, type TopicLabeler } from './topic-label.ts';
import { topicWords } from './topic-words.ts';

export interface DayMessage {
  id: string;
  text: string;
}

export interface Topic {
  /** 0 for the largest topic, 1, 2…; -1 gathers the outliers, which fit no topic. */
  topicId: number;
  label: string | null;
  keywords: string[];
  messageCount: number;
  /** Share of the day's clustered messages, in percent with two decimals. */
  percentage: number;
  /** The messages closest to the topic's centre, most typical first. */
  sampleMessageIds: string[];
  /** Every message of the topic, most typical first. */
  messageIds: string[];
}

export interface FoundTopics {
  topics: Topic[];
  /** Messages with something to cluster: the base of the percentages. */
  clusteredCount: number;
}

export interface FindTopicsDeps {
  vectorizer: MessageVectorizer;
  label?: TopicLabeler;
  log: Logger;
}

export interface FindTopicsOptions {
  /** Smallest topic; by default 3 messages, or 1% of the day's on busy days. */
  minTopicSize?: number;
  maxClustered?: number;
  samples?: number;
  keywords?: number;
  signal?: AbortSignal;
}

const SMALL_TALK = new Set(['greeting', 'thanks', 'goodbye']);

/**
 * The topics of a day's customer messages, BERTopic's way: vectors, clustering (outliers kept
 * apart), then class-based TF-IDF keywords and a label per topic. Greetings, thanks and messages
 * without a word of content ("ok", an emoji) are left out: they are no topic.
 */
export async function findTopics(
  messages: readonly DayMessage[],
  deps: FindTopicsDeps,
  options: FindTopicsOptions = {},
): Promise<FoundTopics> {
  const clustered = messages.filter((message) => hasTopic(message.text));
  const n = clustered.length;
  if (n === 0) return { topics: [], clusteredCount: 0 };
  const texts = clustered.map((message) => message.text);
  const vectors = await deps.vectorizer.vectorize(texts, options.signal);
  const maxClustered = options.maxClustered ?? 2000;
  let clusters = clusterMessages(vectors, {
    linkSimilarity: deps.vectorizer.linkSimilarity,
    minSize: options.minTopicSize ?? Math.max(3, Math.ceil(Math.min(n, maxClustered) / 100)),
    maxClustered,
  });
  if (deps.vectorizer.lexical) clusters = undoHollowClusters(texts, vectors, clusters, 'outliers');
  const { labels, members } = clusters;
  const keywords = classKeywords(texts, labels, { top: options.keywords ?? 8 });
  const sampleCount = options.samples ?? 5;
  const topics: Topic[] = [];
  const ids = [...members.keys()].sort((x, y) => (x < 0 ? 1 : y < 0 ? -1 : x - y));
  for (const topicId of ids) {
    const list = members.get(topicId)!;
    const words = keywords.get(topicId) ?? [];
    const samples = list.slice(0, sampleCount);
    topics.push({
      topicId,
      label:
        topicId < 0
          ? null
          : await labelTopic(
              words,
              samples.map((i) => texts[i]!),
              deps.label,
              deps.log,
            ),
      keywords: words,
      messageCount: list.length,
      percentage: Math.round((list.length / n) * 10_000) / 100,
      sampleMessageIds: samples.map((i) => clustered[i]!.id),
      messageIds: list.map((i) => clustered[i]!.id),
    });
  }
  return { topics, clusteredCount: n };
}

/** Whether a message says something a topic could be about. */
export function hasTopic(text: string): boolean {
  if (topicWords(text).length === 0) return false;
  const smallTalk = detectSmallTalk(text);
  return smallTalk === undefined || !SMALL_TALK.has(smallTalk);
}
