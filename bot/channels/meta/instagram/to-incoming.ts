import type { AnswerPolicy, InboundEvent } from '../inbound-event.ts';
import { timestampOf } from '../inbound-event.ts';
import type { WebhookEnvelope } from '../webhook-envelope.ts';
import { checkChange, checkMessaging, type InstagramMessage, type InstagramMessaging } from './schemas.ts';

/** Attachments that are posts, reels or shares: links the bot cannot open. */
const SHARED_POSTS = new Set(['share', 'ig_post', 'ig_reel', 'reel', 'template', 'fallback']);

/**
 * Every event of an Instagram webhook delivery, in order: each messaging item of each entry.
 * Items under `standby` (another app owns the thread) are recorded but never answered, and
 * Instagram Login's `changes` form of the same items is read alike.
 */
export function instagramToIncoming(envelope: WebhookEnvelope, now: Date): InboundEvent[] {
  if (envelope.object !== 'instagram') return [ignored(`object "${envelope.object}" is not instagram`)];
  const events: InboundEvent[] = [];
  for (const entry of envelope.entry) {
    const items: { raw: unknown; standby: boolean }[] = [
      ...(entry.messaging ?? []).map((raw) => ({ raw, standby: false })),
      ...(entry.standby ?? []).map((raw) => ({ raw, standby: true })),
    ];
    for (const change of entry.changes ?? []) {
      if (
        checkChange.Check(change) &&
        (change.field === 'messages' || change.field === 'messaging_postbacks')
      ) {
        items.push({ raw: change.value, standby: false });
      } else {
        events.push(
          ignored(`field "${checkChange.Check(change) ? change.field : '?'}" is not handled`, true),
        );
      }
    }
    if (items.length === 0 && !entry.changes) events.push(ignored('an entry without messaging items'));
    for (const { raw, standby } of items) {
      if (!checkMessaging.Check(raw)) {
        events.push(ignored('a messaging item without sender and recipient ids'));
        continue;
      }
      events.push(itemEvent(raw, standby, now));
    }
  }
  return events;
}

function itemEvent(item: InstagramMessaging, standby: boolean, now: Date): InboundEvent {
  const at = timestampOf(item.timestamp, now);
  const echo = item.message?.is_echo === true;
  // An echo is the business writing: the account is the sender and the customer the recipient.
  const accountId = echo ? item.sender.id : item.recipient.id;
  const customer = { scopedUserId: echo ? item.recipient.id : item.sender.id };
  const base = { platform: 'instagram' as const, accountId, customer, at };

  if (item.message) {
    const message = item.message;
    if (message.is_deleted) return { kind: 'deleted', ...base, targetId: message.mid };
    const read = readMessage(message);
    if (echo) return { kind: 'echo', ...base, id: message.mid, text: read.text, metadata: read.metadata };
    return {
      kind: 'message',
      ...base,
      id: message.mid,
      role: 'user',
      text: read.text,
      answer: standby ? 'none' : read.answer,
      metadata: { ...read.metadata, ...(standby ? { standby: true } : {}) },
    };
  }
  if (item.postback) {
    const id = item.postback.mid ?? `postback:${item.sender.id}:${at.getTime()}`;
    return {
      kind: 'message',
      ...base,
      id,
      role: 'user',
      text: item.postback.title ?? item.postback.payload ?? '[button]',
      answer: standby ? 'none' : 'bot',
      metadata: { type: 'postback', payload: item.postback.payload ?? null },
    };
  }
  if (item.reaction) {
    const emoji =
      item.reaction.action === 'unreact' ? null : (item.reaction.emoji ?? item.reaction.reaction ?? null);
    return { kind: 'reaction', ...base, targetId: item.reaction.mid, emoji };
  }
  if (item.read?.mid) return { kind: 'read', ...base, targetId: item.read.mid };
  if (item.referral) return ignored('a referral without a message', true, accountId);
  return ignored('a messaging item of an unknown kind', false, accountId);
}

function readMessage(message: InstagramMessage): {
  text: string;
  answer: AnswerPolicy;
  metadata: Record<string, unknown>;
} {
  const text = message.text?.trim() ?? '';
  const attachments = message.attachments ?? [];
  const story = message.reply_to?.story;
  const metadata: Record<string, unknown> = {
    type: attachments[0]?.type ?? (message.is_unsupported ? 'unsupported' : 'text'),
    ...(attachments.length ? { attachments } : {}),
    ...(message.quick_reply ? { payload: message.quick_reply.payload } : {}),
    ...(story ? { story_reply: story } : {}),
    ...(message.reply_to?.mid ? { in_reply_to: message.reply_to.mid } : {}),
  };
  if (attachments.some((a) => a.type === 'story_mention')) {
    return {
      text: text || '[story mention]',
      answer: 'none',
      metadata: { ...metadata, type: 'story_mention' },
    };
  }
  if (text) return { text, answer: 'bot', metadata };
  const first = attachments[0];
  if (message.is_unsupported || !first) {
    return { text: '[unsupported message]', answer: 'polite', metadata: { ...metadata, unreadable: true } };
  }
  const label = SHARED_POSTS.has(first.type) ? 'shared post' : first.type === 'file' ? 'file' : first.type;
  return { text: `[${label}]`, answer: 'polite', metadata: { ...metadata, unreadable: true } };
}

function ignored(reason: string, expected = false, accountId?: string): InboundEvent {
  return { kind: 'ignored', platform: 'instagram', reason, expected, ...(accountId ? { accountId } : {}) };
}
