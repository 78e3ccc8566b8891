import type { WhatsAppTemplate } from '../customer-window.ts';

export interface WhatsAppRecipient {
  waId: string | null;
  scopedUserId: string | null;
}

/**
 * Cloud API request bodies. The customer is addressed by phone number when known (`to`), else by
 * business-scoped user id (`recipient`): username users may show no number at all. Our outbox id
 * rides along as biz_opaque_callback_data and comes back in status webhooks, which tells whether
 * a send interrupted by a crash reached Meta.
 */
export function whatsappText(recipient: WhatsAppRecipient, body: string, callbackData: string) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...address(recipient),
    type: 'text',
    text: { preview_url: false, body },
    biz_opaque_callback_data: callbackData,
  };
}

/** A template message; the reply's text fills the body parameter when the template has one. */
export function whatsappTemplate(
  recipient: WhatsAppRecipient,
  template: WhatsAppTemplate,
  text: string,
  callbackData: string,
) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...address(recipient),
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(template.textParameter
        ? { components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameter(text) }] }] }
        : {}),
    },
    biz_opaque_callback_data: callbackData,
  };
}

/** Marks the customer's message read (blue ticks) and shows "typing…" until the answer is sent. */
export function whatsappReadReceipt(customerMessageId: string) {
  return {
    messaging_product: 'whatsapp',
    status: 'read',
    message_id: customerMessageId,
    typing_indicator: { type: 'text' },
  };
}

/**
 * Template parameters may not hold newlines, tabs or more than four spaces in a row, and are kept
 * short; the full text stays stored with the message.
 */
export function templateParameter(text: string, max = 1000): string {
  const flat = text
    .replace(/[\n\r\t]+/g, ' ')
    .replace(/ {4,}/g, '   ')
    .trim();
  if (flat.length <= max) return flat;
  return `${Array.from(flat)
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

function address(recipient: WhatsAppRecipient): { to: string } | { recipient: string } {
  if (recipient.waId) return { to: recipient.waId };
  if (recipient.scopedUserId) return { recipient: recipient.scopedUserId };
  throw new Error('a WhatsApp customer without phone number or user id');
}

/** The message id in a Cloud API send answer: `{ messages: [{ id }] }`. */
export function sentWhatsAppId(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const messages: unknown = Reflect.get(answer, 'messages');
  if (!Array.isArray(messages)) return undefined;
  const first: unknown = messages[0];
  if (typeof first !== 'object' || first === null) return undefined;
  const id: unknown = Reflect.get(first, 'id');
  return typeof id === 'string' ? id : undefined;
}
