import { DEFAULT_FEATURE_OPTIONS, extractFeatures, type FeatureOptions } from './text-features.ts';

/** A unit-length sparse vector: parallel arrays of feature indices and weights. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface TfidfVectorizer {
  readonly size: number;
  /** What the vectorizer learned, as plain data (a worker thread sends it to the server's). */
  readonly state: TfidfState;
  transform(text: string): SparseVector;
  /** The feature of each index, for keyword extraction. */
  featureName(index: number): string;
}

export interface TfidfOptions {
  features?: FeatureOptions;
  /** Features seen in fewer documents are dropped: they are noise and bloat the model. */
  minDf?: number;
  /** Words (not character n-grams) are kept from this many documents on. */
  minDfWords?: number;
  /**
   * Relative weight of the character n-grams against the words: each group is normalised on its
   * own, so the many character n-grams of a text do not drown its few words.
   */
  charWeight?: number;
}

export interface TfidfState {
  names: string[];
  idf: Float32Array;
  features: FeatureOptions;
  charWeight: number;
}

/**
 * TF-IDF over the text features, fitted on a corpus: sublinear term frequency (1 + log tf),
 * smoothed IDF, and unit L2 length so that long and short messages compare on their content.
 */
export function fitTfidf(texts: readonly string[], options: TfidfOptions = {}): TfidfVectorizer {
  const featureOptions = options.features ?? DEFAULT_FEATURE_OPTIONS;
  const minDf = options.minDf ?? 2;
  const minDfWords = options.minDfWords ?? 1;
  const charWeight = options.charWeight ?? 1;
  const df = new Map<string, number>();
  for (const text of texts) {
    for (const feature of extractFeatures(text, featureOptions).keys())
      df.set(feature, (df.get(feature) ?? 0) + 1);
  }
  const index = new Map<string, number>();
  const names: string[] = [];
  const idf: number[] = [];
  const n = texts.length;
  for (const [feature, count] of df) {
    const threshold = feature.startsWith('c') ? minDf : minDfWords;
    if (count < threshold) continue;
    index.set(feature, names.length);
    names.push(feature);
    idf.push(Math.log((1 + n) / (1 + count)) + 1);
  }
  return tfidfFromState({ names, idf: Float32Array.from(idf), features: featureOptions, charWeight });
}

/** The vectorizer a fitted one's state describes. */
export function tfidfFromState(state: TfidfState): TfidfVectorizer {
  const { names, features: featureOptions, charWeight } = state;
  const idfs = state.idf;
  const index = new Map(names.map((name, i) => [name, i]));
  return {
    size: names.length,
    state,
    featureName: (i) => names[i] ?? '',
    transform(text) {
      const entries: [number, number, boolean][] = [];
      let charNorm = 0;
      let wordNorm = 0;
      for (const [feature, count] of extractFeatures(text, featureOptions)) {
        const i = index.get(feature);
        if (i === undefined) continue;
        const weight = (1 + Math.log(count)) * idfs[i]!;
        const isChar = feature.startsWith('c');
        entries.push([i, weight, isChar]);
        if (isChar) charNorm += weight * weight;
        else wordNorm += weight * weight;
      }
      entries.sort((a, b) => a[0] - b[0]);
      const charScale = charNorm > 0 ? charWeight / Math.sqrt(charNorm) : 0;
      const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) : 0;
      const total = Math.sqrt((charNorm > 0 ? charWeight * charWeight : 0) + (wordNorm > 0 ? 1 : 0));
      const indices = new Int32Array(entries.length);
      const values = new Float32Array(entries.length);
      entries.forEach(([i, w, isChar], k) => {
        indices[k] = i;
        values[k] = (w * (isChar ? charScale : wordScale)) / total;
      });
      return { indices, values };
    },
  };
}
