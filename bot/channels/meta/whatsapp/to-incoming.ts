import type { Static } from 'typebox';
import {
  type AnswerPolicy,
  type CustomerRef,
  type InboundEvent,
  type ProviderError,
  timestampOf,
} from '../inbound-event.ts';
import type { WebhookEnvelope } from '../webhook-envelope.ts';
import {
  checkChange,
  checkMessage,
  checkStatus,
  checkValue,
  type WhatsAppContact,
  type WhatsAppError,
  type WhatsAppMessage,
} from './schemas.ts';

type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';
const STATUSES: readonly string[] = ['sent', 'delivered', 'read', 'played', 'failed'];
const isStatus = (status: string): status is DeliveryStatus => STATUSES.includes(status);

/**
 * Every event of a WhatsApp webhook delivery, in order: each change of each entry, each message
 * and each status of each change. What cannot be read becomes an `ignored` event naming why.
 */
export function whatsappToIncoming(envelope: WebhookEnvelope, now: Date): InboundEvent[] {
  if (envelope.object !== 'whatsapp_business_account') {
    return [ignored(`object "${envelope.object}" is not whatsapp_business_account`)];
  }
  const events: InboundEvent[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes ?? []) {
      if (!checkChange.Check(change)) {
        events.push(ignored('a change without field and value'));
        continue;
      }
      if (change.field !== 'messages') {
        events.push(ignored(`field "${change.field}" is not handled`, undefined, true));
        continue;
      }
      if (!checkValue.Check(change.value)) {
        events.push(ignored('a messages change without metadata.phone_number_id'));
        continue;
      }
      const value = change.value;
      const accountId = value.metadata.phone_number_id;
      const contacts = value.contacts ?? [];
      for (const raw of value.messages ?? []) {
        if (!checkMessage.Check(raw)) {
          events.push(ignored('a message without an id', accountId));
          continue;
        }
        events.push(...messageEvents(raw, accountId, contacts, value.errors ?? [], now));
      }
      for (const raw of value.statuses ?? []) {
        if (!checkStatus.Check(raw) || !isStatus(raw.status)) {
          events.push(ignored('a status without id or with an unknown status', accountId));
          continue;
        }
        events.push({
          kind: 'status',
          platform: 'whatsapp',
          accountId,
          id: raw.id,
          status: raw.status,
          at: timestampOf(raw.timestamp, now),
          errors: (raw.errors ?? []).map(toProviderError),
          ...(raw.biz_opaque_callback_data ? { callbackData: raw.biz_opaque_callback_data } : {}),
        });
      }
      if (!value.messages?.length && !value.statuses?.length) {
        events.push(ignored('a messages change with neither messages nor statuses', accountId, true));
      }
    }
    if (!entry.changes) events.push(ignored('an entry without changes'));
  }
  return events;
}

function messageEvents(
  message: WhatsAppMessage,
  accountId: string,
  contacts: Static<typeof WhatsAppContact>[],
  valueErrors: Static<typeof WhatsAppError>[],
  now: Date,
): InboundEvent[] {
  const customer = customerOf(message, contacts);
  const at = timestampOf(message.timestamp, now);
  if (!customer.waId && !customer.scopedUserId) return [ignored('a message with no sender id', accountId)];
  const base = { platform: 'whatsapp' as const, accountId, customer, id: message.id, at };

  if (message.type === 'reaction' && message.reaction) {
    const emoji = message.reaction.emoji ? message.reaction.emoji : null;
    return [{ kind: 'reaction', ...base, targetId: message.reaction.message_id, emoji }];
  }
  if (message.type === 'system') {
    const system = message.system ?? {};
    const newWaId = system.type === 'user_changed_number' ? (system.new_wa_id ?? system.wa_id) : undefined;
    return [
      {
        kind: 'message',
        ...base,
        role: 'system',
        text: system.body ?? 'The customer’s WhatsApp account changed.',
        answer: 'none',
        metadata: meta(message, { type: 'system', system }),
        ...(newWaId ? { newWaId } : {}),
      },
    ];
  }
  const read = readContent(message, valueErrors);
  return [
    {
      kind: 'message',
      ...base,
      role: 'user',
      text: read.text,
      answer: read.answer,
      metadata: meta(message, read.metadata),
    },
  ];
}

/** The text the bot reads, whether it can answer, and what else to keep, for each message type. */
function readContent(
  message: WhatsAppMessage,
  valueErrors: Static<typeof WhatsAppError>[],
): { text: string; answer: AnswerPolicy; metadata: Record<string, unknown> } {
  const type = message.type ?? 'unknown';
  switch (type) {
    case 'text':
      if (message.text) return { text: message.text.body, answer: 'bot', metadata: { type } };
      break;
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      if (reply) {
        const description = message.interactive?.list_reply?.description;
        return {
          text: description ? `${reply.title} — ${description}` : reply.title,
          answer: 'bot',
          metadata: { type, interactive_type: message.interactive?.type, reply_id: reply.id },
        };
      }
      const form = message.interactive?.nfm_reply;
      if (form) {
        return {
          text: form.body ?? 'Form sent',
          answer: 'bot',
          metadata: { type, interactive_type: 'nfm_reply', form: form.response_json ?? null },
        };
      }
      break;
    }
    case 'button':
      if (message.button) {
        return {
          text: message.button.text,
          answer: 'bot',
          metadata: { type, payload: message.button.payload },
        };
      }
      break;
    case 'image':
    case 'video':
    case 'document':
    case 'audio':
    case 'sticker': {
      const media = message[type];
      if (!media) break;
      const kind = type === 'audio' && media.voice ? 'voice' : type;
      const caption = media.caption?.trim();
      return {
        text: caption || `[${kind}]`,
        // A caption is a question the bot can read; a picture alone it cannot; a sticker needs
        // no answer at all.
        answer: type === 'sticker' ? 'none' : caption ? 'bot' : 'polite',
        metadata: { type: kind, media: { ...media }, unreadable: !caption && type !== 'sticker' },
      };
    }
    case 'location':
      if (message.location) {
        const place = [message.location.name, message.location.address].filter(Boolean).join(', ');
        const where = `${message.location.latitude}, ${message.location.longitude}`;
        return {
          text: place ? `📍 ${place} (${where})` : `📍 ${where}`,
          answer: 'polite',
          metadata: { type, location: message.location, unreadable: true },
        };
      }
      break;
    case 'contacts':
      if (message.contacts) {
        const names = message.contacts.map(contactName).filter(Boolean);
        return {
          text: `Shared contact${names.length > 1 ? 's' : ''}: ${names.join(', ') || 'unnamed'}`,
          answer: 'polite',
          metadata: { type, contacts: message.contacts, unreadable: true },
        };
      }
      break;
    case 'order':
      if (message.order) {
        const items = (message.order.product_items ?? []).map(
          (item) =>
            `${item.quantity} × ${item.product_retailer_id}${item.item_price === undefined ? '' : ` (${item.item_price} ${item.currency ?? ''})`.trimEnd()}`,
        );
        return {
          text: `Order: ${items.join(', ') || 'no items'}${message.order.text ? ` — ${message.order.text}` : ''}`,
          answer: 'polite',
          metadata: { type, order: message.order, unreadable: true },
        };
      }
      break;
  }
  // unsupported, a known type without its payload, or a type newer than this code.
  const errors = [...(message.errors ?? []), ...valueErrors].map(toProviderError);
  return {
    text: '[unsupported message]',
    answer: 'polite',
    metadata: { type: 'unsupported', original_type: type, errors, unreadable: true },
  };
}

function meta(message: WhatsAppMessage, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    ...extra,
    ...(message.context?.id ? { in_reply_to: message.context.id } : {}),
    ...(message.context?.forwarded || message.context?.frequently_forwarded
      ? { forwarded: message.context.frequently_forwarded ? 'frequently' : true }
      : {}),
    ...(message.referral ? { referral: message.referral } : {}),
  };
}

/**
 * The sender, by phone number and business-scoped id alike: a username user may have no phone
 * number, and the contacts array (absent for system messages) is matched on either id.
 */
function customerOf(message: WhatsAppMessage, contacts: Static<typeof WhatsAppContact>[]): CustomerRef {
  const contact =
    contacts.find(
      (c) =>
        (message.from && c.wa_id === message.from) ||
        (message.from_user_id && c.user_id === message.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = message.from ?? contact?.wa_id;
  const scopedUserId = message.from_user_id ?? contact?.user_id;
  return {
    ...(waId ? { waId } : {}),
    ...(scopedUserId ? { scopedUserId } : {}),
    ...(contact?.profile?.name ? { name: contact.profile.name } : {}),
    ...(contact?.profile?.username ? { username: contact.profile.username } : {}),
  };
}

function contactName(contact: unknown): string {
  if (typeof contact !== 'object' || contact === null) return '';
  const name: unknown = Reflect.get(contact, 'name');
  if (typeof name !== 'object' || name === null) return '';
  const formatted: unknown = Reflect.get(name, 'formatted_name');
  return typeof formatted === 'string' ? formatted : '';
}

function toProviderError(error: Static<typeof WhatsAppError>): ProviderError {
  return {
    code: error.code,
    title: error.title,
    message: error.message,
    details: error.error_data?.details,
  };
}

function ignored(reason: string, accountId?: string, expected = false): InboundEvent {
  return { kind: 'ignored', platform: 'whatsapp', reason, expected, ...(accountId ? { accountId } : {}) };
}
