import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { type FoundTopics, findTopics, hasTopic } from './find-topics.ts';
import { generateDay, THEMES } from './generated-day.ts';
import { createTfidfMessageVectorizer } from './tfidf-message-vectorizer.ts';

const vectorizer = createTfidfMessageVectorizer();
const deps = { vectorizer, log: silentLogger };

/** The theme keyword each topic must surface, in the language the theme was asked in. */
const THEME_KEYWORD: Record<string, string> = {
  delivery: 'livraison',
  refund: 'refund',
  payment: 'paiement',
  size: 'size',
  hours: 'horaires',
};

function topicOfTheme(found: FoundTopics, themeOf: Map<string, string>, theme: string) {
  const scored = found.topics
    .filter((topic) => topic.topicId >= 0)
    .map((topic) => ({
      topic,
      hits: topic.messageIds.filter((id) => themeOf.get(id) === theme).length,
    }))
    .sort((x, y) => y.hits - x.hits);
  return scored[0]!;
}

describe('findTopics on a generated day', () => {
  const day = generateDay(42);

  it('finds each known theme as one topic, whole and pure, with its keyword', async () => {
    const found = await findTopics(day.messages, deps);
    expect(found.topics.filter((topic) => topic.topicId >= 0)).toHaveLength(Object.keys(THEMES).length);
    for (const [theme, { count }] of Object.entries(THEMES)) {
      const { topic, hits } = topicOfTheme(found, day.themeOf, theme);
      expect(hits / count, theme).toBeGreaterThanOrEqual(0.9);
      expect(hits / topic.messageCount, theme).toBeGreaterThanOrEqual(0.9);
      expect(topic.keywords.slice(0, 3), theme).toContain(THEME_KEYWORD[theme]);
    }
  });

  it('counts every clustered message once, with percentages of the clustered total', async () => {
    const found = await findTopics(day.messages, deps);
    const smallTalk = [...day.themeOf.values()].filter((theme) => theme === 'smalltalk').length;
    expect(found.clusteredCount).toBe(day.messages.length - smallTalk);
    const counted = found.topics.reduce((sum, topic) => sum + topic.messageCount, 0);
    expect(counted).toBe(found.clusteredCount);
    const percent = found.topics.reduce((sum, topic) => sum + topic.percentage, 0);
    expect(percent).toBeCloseTo(100, 1);
    const delivery = topicOfTheme(found, day.themeOf, 'delivery').topic;
    expect(delivery.percentage).toBe(
      Math.round((delivery.messageCount / found.clusteredCount) * 10_000) / 100,
    );
    // The largest theme is topic 0, as in BERTopic.
    expect(delivery.topicId).toBe(0);
  });

  it('keeps one-off messages apart as outliers, and leaves small talk out', async () => {
    const found = await findTopics(day.messages, deps);
    const outliers = found.topics.find((topic) => topic.topicId === -1);
    expect(outliers?.label).toBeNull();
    const noise = [...day.themeOf].filter(([, theme]) => theme === 'noise').map(([id]) => id);
    const apart = noise.filter((id) => outliers?.messageIds.includes(id));
    expect(apart.length).toBeGreaterThanOrEqual(noise.length - 2);
    const everywhere = found.topics.flatMap((topic) => topic.messageIds);
    for (const [id, theme] of day.themeOf) {
      if (theme === 'smalltalk') expect(everywhere).not.toContain(id);
    }
    expect(found.topics.at(-1)?.topicId).toBe(-1);
  });

  it('labels topics from their keywords, and gives samples from the topic itself', async () => {
    const found = await findTopics(day.messages, deps, { samples: 3 });
    for (const topic of found.topics.filter((t) => t.topicId >= 0)) {
      const first = topic.keywords[0]!;
      expect(topic.label).toBe(
        [first.charAt(0).toUpperCase() + first.slice(1), ...topic.keywords.slice(1, 3)].join(', '),
      );
      expect(topic.sampleMessageIds).toHaveLength(3);
      for (const id of topic.sampleMessageIds) expect(topic.messageIds).toContain(id);
    }
  });

  it('gives the same topics for the same messages', async () => {
    const once = await findTopics(day.messages, deps);
    const again = await findTopics(day.messages, deps);
    expect(again).toEqual(once);
  });

  it('finds the themes too when only part of the day is clustered and the rest is assigned', async () => {
    const found = await findTopics(day.messages, deps, { maxClustered: 60, minTopicSize: 3 });
    const counted = found.topics.reduce((sum, topic) => sum + topic.messageCount, 0);
    expect(counted).toBe(found.clusteredCount);
    for (const [theme, { count }] of Object.entries(THEMES)) {
      const { topic, hits } = topicOfTheme(found, day.themeOf, theme);
      expect(hits / count, theme).toBeGreaterThanOrEqual(0.8);
      expect(hits / topic.messageCount, theme).toBeGreaterThanOrEqual(0.8);
    }
  });
});

describe('findTopics labels', () => {
  const day = generateDay(7);

  it('asks the labeler with the keywords and samples of each topic, never for outliers', async () => {
    const calls: { keywords: string[]; samples: string[] }[] = [];
    const found = await findTopics(day.messages, {
      ...deps,
      label: async (keywords, samples) => {
        calls.push({ keywords, samples });
        return `  « Topic about ${keywords[0]} »\n`;
      },
    });
    const topics = found.topics.filter((topic) => topic.topicId >= 0);
    expect(calls).toHaveLength(topics.length);
    for (const [i, topic] of topics.entries()) {
      expect(topic.label).toBe(`Topic about ${topic.keywords[0]}`);
      expect(calls[i]!.keywords).toEqual(topic.keywords);
      const texts = new Map(day.messages.map((m) => [m.id, m.text]));
      expect(calls[i]!.samples).toEqual(topic.sampleMessageIds.map((id) => texts.get(id)));
    }
  });

  it('falls back to the keyword label when the labeler fails or answers nothing usable', async () => {
    let call = 0;
    const found = await findTopics(day.messages, {
      ...deps,
      label: async () => {
        call += 1;
        if (call === 1) throw new Error('LLM timeout');
        return call === 2 ? '   ' : 'x'.repeat(300);
      },
    });
    for (const topic of found.topics.filter((t) => t.topicId >= 0).slice(0, 3)) {
      expect(topic.label?.startsWith(topic.keywords[0]!.charAt(0).toUpperCase())).toBe(true);
      expect(topic.label).toContain(topic.keywords[1]!);
    }
  });
});

describe('findTopics on thin days', () => {
  it('finds nothing in an empty day', async () => {
    expect(await findTopics([], deps)).toEqual({ topics: [], clusteredCount: 0 });
  });

  it('finds nothing when customers only said hello and thanks', async () => {
    const messages = ['Bonjour', 'Merci !', '👍', 'ok', 'Hello there'].map((text, i) => ({
      id: `s${i}`,
      text,
    }));
    expect(await findTopics(messages, deps)).toEqual({ topics: [], clusteredCount: 0 });
  });

  it('puts everything in outliers when no theme reaches the minimum size', async () => {
    const messages = ['Où est mon colis ?', 'Do you sell gift cards?', 'Horaires du samedi ?'].map(
      (text, i) => ({
        id: `o${i}`,
        text,
      }),
    );
    const found = await findTopics(messages, deps);
    expect(found.topics).toHaveLength(1);
    expect(found.topics[0]).toMatchObject({ topicId: -1, messageCount: 3, percentage: 100 });
  });

  it('tells content from small talk', () => {
    expect(hasTopic('Bonjour, quels sont vos délais ?')).toBe(true);
    expect(hasTopic('Je veux parler à un humain')).toBe(true);
    expect(hasTopic('Merci beaucoup !')).toBe(false);
    expect(hasTopic('🙂🙂')).toBe(false);
  });
});
