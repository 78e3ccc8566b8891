import Type from 'typebox';
import { Compile } from 'typebox/compile';
import type { Language } from '../../knowledge/text/detect-language.ts';
import {
  conceptNamed,
  type QuestionReading,
  type ReadOptions,
  readQuestion,
} from '../../knowledge/text/read-question.ts';
import type { StoredMessage } from '../conversation/conversation-store.ts';
import { dayReferences } from './day-references.ts';

/**
 * What a turn was about, kept in its reply's metadata (`topic`): stored with the conversation,
 * it survives a restart and is seen by every server process.
 */
export const Topic = Type.Object({
  /** The subjects asked about (concepts of the commerce lexicon). */
  subjects: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 }),
  /** The places named, as the customer wrote them. */
  places: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 5 }),
});
export type Topic = Type.Static<typeof Topic>;
const checkTopic = Compile(Topic);

/** How many of the bot's latest replies are searched for the topic a follow-up continues. */
const TOPIC_LOOKBACK = 2;
/** A follow-up is short: longer questions say what they are about. */
const MAX_FOLLOW_UP_TOKENS = 12;

export function topicOf(reading: QuestionReading): Topic {
  return {
    subjects: reading.subjects.slice(0, 10),
    places: reading.places.map((place) => place.name).slice(0, 5),
  };
}

/** The topic of the latest replies of the bot that had one; undefined after small talk or none. */
export function previousTopic(
  history: readonly Pick<StoredMessage, 'role' | 'metadata'>[],
): Topic | undefined {
  let seen = 0;
  for (let i = history.length - 1; i >= 0 && seen < TOPIC_LOOKBACK; i -= 1) {
    const message = history[i]!;
    if (message.role !== 'assistant') continue;
    seen += 1;
    const topic = message.metadata['topic'];
    if (checkTopic.Check(topic) && topic.subjects.length > 0) return topic;
  }
  return undefined;
}

export interface ReadTurn {
  /** The message. */
  text: string;
  /** What it carries over from the previous topic, when it is a follow-up ("livraison lyon"). */
  context: string | undefined;
  /** What the message and its context are about together. */
  reading: QuestionReading;
  /** True when the message was read as a follow-up of the previous topic. */
  followUp: boolean;
}

/**
 * Reads an elliptical question with the previous turn's topic: "Et pour la Suisse ?" after a
 * delivery answer asks about delivery to Switzerland, "How much is that?" about the price of
 * that delivery, "Et le samedi ?" after the opening hours about Saturday's. A message is a
 * follow-up when it names no subject of its own but an aspect, a place or a day, or opens with
 * "et" / "and" / "what about"; it inherits the previous subjects, and the previous places unless
 * it names its own.
 */
export function readFollowUp(
  text: string,
  previous: Topic | undefined,
  lang: Language,
  options: ReadOptions = {},
): ReadTurn {
  const reading = readQuestion(text, options);
  if (!previous || reading.subjects.length > 0 || reading.tokens.length > MAX_FOLLOW_UP_TOKENS) {
    return { text, context: undefined, reading, followUp: false };
  }
  const elliptical =
    reading.followUpMarker ||
    reading.aspects.length > 0 ||
    reading.places.length > 0 ||
    dayReferences(reading.tokens).length > 0;
  if (!elliptical) return { text, context: undefined, reading, followUp: false };
  const subjectWords = previous.subjects.flatMap((name) => {
    const concept = conceptNamed(name);
    // A subject implied by another one is said by it ("express" says "delivery").
    const impliedByOther = previous.subjects.some((other) => conceptNamed(other)?.implies?.includes(name));
    return concept && !impliedByOther ? [concept[lang][0] ?? ''] : [];
  });
  const places = reading.places.length > 0 ? [] : previous.places;
  const context = [...subjectWords, ...places].join(' ');
  return { text, context, reading: readQuestion(`${text} ${context}`, options), followUp: true };
}
