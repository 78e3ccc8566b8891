import type { MetaPlatform } from './social-account-store.ts';

/** Who the customer is, as far as one event tells. Any field may be missing. */
export interface CustomerRef {
  /** WhatsApp phone number id (wa_id); absent for username users who hide their number. */
  waId?: string;
  /** WhatsApp business-scoped user id (BSUID), or the Instagram-scoped user id (IGSID). */
  scopedUserId?: string;
  name?: string;
  username?: string;
}

export interface ProviderError {
  code: number | undefined;
  title: string | undefined;
  message: string | undefined;
  details: string | undefined;
}

/** How the bot treats a customer message. */
export type AnswerPolicy =
  /** The bot answers it like any question. */
  | 'bot'
  /** The bot cannot read it (voice, picture without caption…) and says so politely. */
  | 'polite'
  /** Nothing to answer (a sticker, a story mention, a system notice). */
  | 'none';

interface Routed {
  platform: MetaPlatform;
  /** The connected account the event is for: phone_number_id or Instagram account id. */
  accountId: string;
}

/**
 * One thing that happened, as read from a webhook delivery: the adapters turn each change or
 * messaging item of a batch into one of these, and the processor applies it.
 */
export type InboundEvent =
  | (Routed & {
      kind: 'message';
      customer: CustomerRef;
      /** wamid or mid: the key that makes a redelivery harmless. */
      id: string;
      at: Date;
      role: 'user' | 'system';
      text: string;
      answer: AnswerPolicy;
      metadata: Record<string, unknown>;
      /** A WhatsApp system notice that the customer's number changed. */
      newWaId?: string;
    })
  | (Routed & {
      /** A message the business sent: through this server, or by a person in the Instagram app. */
      kind: 'echo';
      customer: CustomerRef;
      id: string;
      at: Date;
      text: string;
      metadata: Record<string, unknown>;
    })
  | (Routed & {
      kind: 'status';
      /** Our message's id at the platform. */
      id: string;
      status: 'sent' | 'delivered' | 'read' | 'played' | 'failed';
      at: Date;
      errors: ProviderError[];
      /** WhatsApp biz_opaque_callback_data: we send our outbox id in it. */
      callbackData?: string;
    })
  | (Routed & {
      kind: 'reaction';
      customer: CustomerRef;
      /** The message reacted to. */
      targetId: string;
      /** null: the reaction was removed. */
      emoji: string | null;
      at: Date;
    })
  | (Routed & {
      /** Instagram: the customer has seen our messages up to this one. */
      kind: 'read';
      customer: CustomerRef;
      targetId: string;
      at: Date;
    })
  | (Routed & {
      /** Instagram: the customer unsent a message. */
      kind: 'deleted';
      customer: CustomerRef;
      targetId: string;
      at: Date;
    })
  | {
      kind: 'ignored';
      platform: MetaPlatform;
      accountId?: string;
      /** Said in the log line. */
      reason: string;
      /** Expected noise (a dashboard test) is logged at info, the unexpected at warn. */
      expected: boolean;
    };

/** Meta's timestamps: seconds as a string (WhatsApp) or milliseconds as a number (Instagram). */
export function timestampOf(value: string | number | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number) || number <= 0) return fallback;
  // Ten-digit values are seconds; thirteen-digit ones milliseconds.
  return new Date(number < 1e12 ? number * 1000 : number);
}
