import { describe, expect, it } from 'vitest';
import { previousTopic, readFollowUp, topicOf } from './follow-up.ts';

const delivery = { subjects: ['delivery'], places: ['lyon'] };

describe('follow-ups', () => {
  it('reads "Et pour la Suisse ?" after a delivery answer as delivery to Switzerland', () => {
    const turn = readFollowUp('Et pour la Suisse ?', delivery, 'fr');
    expect(turn.followUp).toBe(true);
    expect(turn.reading.subjects).toContain('delivery');
    // Its own place replaces the previous one.
    expect(turn.reading.places.map((p) => p.name)).toEqual(['suisse']);
  });

  it('keeps the previous place when the follow-up names none ("How much is that?")', () => {
    const turn = readFollowUp('How much is that?', { subjects: ['delivery'], places: ['netherlands'] }, 'en');
    expect(turn.context).toBe('delivery netherlands');
    expect(turn.reading.places.map((p) => p.region)).toEqual(['europe']);
  });

  it('carries a day over to the opening hours ("Et le samedi ?")', () => {
    const turn = readFollowUp('Et le samedi ?', { subjects: ['opening_hours'], places: [] }, 'fr');
    expect(turn.reading.subjects).toEqual(['opening_hours']);
  });

  it('names an implied subject by the subject that implies it', () => {
    const turn = readFollowUp('and to Spain?', { subjects: ['express', 'delivery'], places: [] }, 'en');
    expect(turn.context).toBe('express');
  });

  it('leaves a question with a subject of its own, or one that is not elliptical, as it is', () => {
    expect(readFollowUp('Can I pay with PayPal?', delivery, 'en').followUp).toBe(false);
    expect(readFollowUp('I love your dresses', delivery, 'en').followUp).toBe(false);
    expect(readFollowUp('Et pour la Suisse ?', undefined, 'fr').followUp).toBe(false);
  });

  it('finds the topic in the bot’s latest replies only, and ignores a malformed one', () => {
    const reply = (metadata: Record<string, unknown>) => ({ role: 'assistant' as const, metadata });
    const user = { role: 'user' as const, metadata: {} };
    expect(previousTopic([reply({ topic: delivery }), user])).toEqual(delivery);
    expect(
      previousTopic([reply({ topic: delivery }), user, reply({}), user, reply({}), user]),
    ).toBeUndefined();
    expect(previousTopic([reply({ topic: { subjects: 'delivery' } })])).toBeUndefined();
  });

  it("keeps a question's subjects and places as its topic", () => {
    const turn = readFollowUp('do you ship to Italy?', undefined, 'en');
    expect(topicOf(turn.reading)).toEqual({ subjects: ['delivery'], places: ['italy'] });
  });
});
