import { fitTfidf } from '../intents/tfidf-vectorizer.ts';
import type { MessageVectorizer } from './message-vectorizer.ts';
import { topicWords } from './topic-words.ts';

/**
 * The offline vectors: TF-IDF fitted on the day's own messages (words, word pairs and character
 * n-grams, as the intent classifier reads text), over their topic words only, so that "je",
 * "comment" or "please" make no two messages alike. The day's IDF sinks what every customer
 * writes that day ("commande" on a busy day) below what tells their questions apart.
 */
export function createTfidfMessageVectorizer(linkSimilarity = TFIDF_LINK_SIMILARITY): MessageVectorizer {
  return {
    method: 'tfidf',
    lexical: true,
    linkSimilarity,
    async vectorize(texts) {
      const cleaned = texts.map((text) => topicWords(text).join(' '));
      const tfidf = fitTfidf(cleaned, { minDf: 2, minDfWords: 1, features: TOPIC_FEATURES });
      return cleaned.map((text) => tfidf.transform(text));
    },
  };
}

/**
 * Character n-grams from three letters: two-letter ones ("s " ending a plural, " c") are shared by
 * unrelated words, which on a quiet day with few messages is enough to pair unrelated questions.
 */
const TOPIC_FEATURES = { charMin: 3, charMax: 5, wordBigrams: true };

/**
 * Tuned on the generated days of find-topics.test.ts: their five themes come out whole for cuts
 * from 0.05 to 0.08, while from 0.10 up the English size questions split by wording.
 */
export const TFIDF_LINK_SIMILARITY = 0.08;
