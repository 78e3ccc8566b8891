import { SurfaceForms, topicWords } from './topic-words.ts';

export interface ClassKeywordOptions {
  /** Keywords per class. */
  top: number;
}

/**
 * Class-based TF-IDF (BERTopic's c-TF-IDF): each cluster's messages are read as one document, and
 * a word weighs its frequency in the cluster times log(1 + A / f), where A is the average number
 * of words per cluster and f the word's frequency in all clusters. Words every cluster uses sink;
 * words one cluster uses a lot rise. Outliers (-1) count as a cluster, as in BERTopic, so their
 * words do not pass for distinctive elsewhere.
 *
 * Returns each cluster's keywords, best first, spelled as customers most often wrote them.
 */
export function classKeywords(
  texts: readonly string[],
  labels: ArrayLike<number>,
  options: ClassKeywordOptions = { top: 8 },
): Map<number, string[]> {
  const termCounts = new Map<number, Map<string, number>>();
  const classWords = new Map<number, number>();
  const classSizes = new Map<number, number>();
  const totals = new Map<string, number>();
  const forms = new SurfaceForms();
  texts.forEach((text, i) => {
    const label = labels[i] ?? -1;
    const counts = termCounts.get(label) ?? new Map<string, number>();
    termCounts.set(label, counts);
    classSizes.set(label, (classSizes.get(label) ?? 0) + 1);
    forms.add(text);
    for (const word of topicWords(text)) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      totals.set(word, (totals.get(word) ?? 0) + 1);
      classWords.set(label, (classWords.get(label) ?? 0) + 1);
    }
  });
  let allWords = 0;
  for (const count of classWords.values()) allWords += count;
  const average = allWords / Math.max(1, termCounts.size);

  const keywords = new Map<number, string[]>();
  for (const [label, counts] of termCounts) {
    const words = classWords.get(label) ?? 0;
    // In a cluster of several messages, a word one customer used once is not what it is about.
    const minCount = Math.min(2, classSizes.get(label) ?? 1);
    const repeated = [...counts].filter(([, count]) => count >= minCount);
    // Messages an embedding model grouped may share meaning but no word: then any word will do.
    const scored = (repeated.length > 0 ? repeated : [...counts])
      .map(([word, count]) => ({
        word,
        score: (count / Math.max(1, words)) * Math.log(1 + average / (totals.get(word) ?? 1)),
      }))
      .sort((x, y) => y.score - x.score || (x.word < y.word ? -1 : 1));
    keywords.set(
      label,
      scored.slice(0, options.top).map(({ word }) => forms.of(word)),
    );
  }
  return keywords;
}
