import { describe, expect, it } from 'vitest';
import { groupUnanswered } from './group-unanswered.ts';
import { createTfidfMessageVectorizer } from './tfidf-message-vectorizer.ts';

const vectorizer = createTfidfMessageVectorizer();
const questions = [
  'Vendez-vous des cartes cadeaux ?',
  'Do you sell gift cards?',
  'Est-ce que vous avez des cartes cadeaux ?',
  'Gift cards available for Christmas?',
  'Une carte cadeau de 50 euros, possible ?',
  'Livrez-vous au Japon ?',
  'Do you ship to Japan?',
  'Livraison au Japon possible ?',
  'Proposez-vous la gravure sur les bijoux ?',
  '???',
].map((text, i) => ({ id: `q${i}`, text }));

describe('groupUnanswered', () => {
  it('groups the same question asked in different words, most asked first', async () => {
    const groups = await groupUnanswered(questions, vectorizer);
    const ids = groups.map((group) => group.sampleMessageIds.slice().sort());
    expect(groups[0]?.messageCount).toBeGreaterThanOrEqual(3);
    expect(groups.map((group) => group.groupId)).toEqual(groups.map((_, i) => i));
    // French and English ask alike only where they share words ("cadeau" and "gift" do not).
    expect(ids).toContainEqual(['q0', 'q2', 'q4']);
    expect(groups.find((group) => group.sampleMessageIds.includes('q1'))?.sampleMessageIds.sort()).toEqual([
      'q1',
      'q3',
    ]);
    const japan = groups.find((group) => group.sampleMessageIds.includes('q6'));
    // "Japon" and "Japan" share enough letters to be one question.
    expect(japan?.sampleMessageIds.sort()).toEqual(['q5', 'q6', 'q7']);
    expect(japan?.keywords[0]).toBe('japon');
    const counts = groups.map((group) => group.messageCount);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
  });

  it('keeps a question asked once as a group of its own, and drops ones without words', async () => {
    const groups = await groupUnanswered(questions, vectorizer);
    const engraving = groups.find((group) => group.question.includes('gravure'));
    expect(engraving).toMatchObject({ messageCount: 1, sampleMessageIds: ['q8'] });
    expect(groups.flatMap((group) => group.sampleMessageIds)).not.toContain('q9');
    expect(groups.reduce((sum, group) => sum + group.messageCount, 0)).toBe(9);
  });

  it('keeps only the most asked groups', async () => {
    const groups = await groupUnanswered(questions, vectorizer, { maxGroups: 2 });
    expect(groups).toHaveLength(2);
    expect(groups[0]!.messageCount).toBeGreaterThanOrEqual(groups[1]!.messageCount);
  });

  it('returns nothing for a day the bot answered everything', async () => {
    expect(await groupUnanswered([], vectorizer)).toEqual([]);
  });
});

describe('groupUnanswered on unrelated one-off questions', () => {
  it('keeps questions that share letters but no word apart', async () => {
    const oneOffs = [
      "J'adore le logo de votre marque",
      'Do you sponsor local football clubs?',
      'Is the founder on Instagram?',
      'Vous recrutez des stagiaires en marketing ?',
      'The weather in Lyon looks lovely today',
      'Quelle musique passe dans votre vidéo ?',
    ].map((text, i) => ({ id: `u${i}`, text }));
    const groups = await groupUnanswered(oneOffs, vectorizer);
    expect(groups).toHaveLength(6);
    expect(groups.every((group) => group.messageCount === 1 && group.keywords.length > 0)).toBe(true);
  });
});
