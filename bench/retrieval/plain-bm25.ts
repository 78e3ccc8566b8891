/**
 * The baseline: textbook Okapi BM25 (k1 = 1.2, b = 0.75) over whole documents, title and text
 * together, lower-cased word tokens, no stemming, no stop words, no typo handling.
 */
export function createPlainBm25(documents: { id: string; title: string; text: string }[]) {
  const k1 = 1.2;
  const b = 0.75;
  const tokenize = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const termCounts = documents.map((d) => {
    const counts = new Map<string, number>();
    for (const token of tokenize(`${d.title} ${d.text}`)) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  });
  const lengths = termCounts.map((counts) => [...counts.values()].reduce((a, c) => a + c, 0));
  const average = lengths.reduce((a, c) => a + c, 0) / Math.max(documents.length, 1);
  const df = new Map<string, number>();
  for (const counts of termCounts) for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = documents.length;
  return (query: string): string[] => {
    const scores = new Float64Array(n);
    for (const term of new Set(tokenize(query))) {
      const frequency = df.get(term);
      if (!frequency) continue;
      const idf = Math.log(1 + (n - frequency + 0.5) / (frequency + 0.5));
      termCounts.forEach((counts, i) => {
        const tf = counts.get(term);
        if (tf) scores[i]! += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[i]!) / average));
      });
    }
    return [...scores.keys()]
      .filter((i) => scores[i]! > 0)
      .sort((x, y) => scores[y]! - scores[x]!)
      .map((i) => documents[i]!.id);
  };
}
