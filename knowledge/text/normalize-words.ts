/**
 * Lower-case, accent-free words of three characters or more, the same way the database's
 * causette_words() splits text, so that query words and the stored vocabulary compare equal.
 */
export function normalizeWords(text: string): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase();
  const words: string[] = [];
  for (const word of plain.split(/[^a-z0-9]+/)) {
    if (word.length >= 3 && word.length <= 64 && !words.includes(word)) words.push(word);
  }
  return words;
}
