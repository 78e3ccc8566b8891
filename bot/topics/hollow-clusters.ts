import { type MessageClusters, orderClusters } from './cluster-messages.ts';
import type { MessageVector } from './message-vector.ts';
import { topicWords } from './topic-words.ts';

/**
 * Undoes clusters whose messages do not share a single word, which in a lexical space (TF-IDF of
 * character n-grams) means they met on letters alone ("local" and "lovely"): their messages become
 * outliers (topics) or groups of their own (unanswered questions). Embedding models are not
 * checked: for them "colis" and "parcel" are rightly one topic.
 */
export function undoHollowClusters(
  texts: readonly string[],
  vectors: readonly MessageVector[],
  clusters: MessageClusters,
  into: 'outliers' | 'singletons',
): MessageClusters {
  const hollow = new Set<number>();
  for (const [id, members] of clusters.members) {
    if (id >= 0 && members.length > 1 && !sharesAWord(members.map((i) => texts[i]!))) hollow.add(id);
  }
  if (hollow.size === 0) return clusters;
  let fresh = clusters.members.size;
  return orderClusters(
    vectors,
    clusters.labels.map((id) => (!hollow.has(id) ? id : into === 'outliers' ? -1 : fresh++)),
  );
}

function sharesAWord(texts: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const text of texts) {
    for (const word of topicWords(text)) {
      if (seen.has(word)) return true;
      seen.add(word);
    }
  }
  return false;
}
