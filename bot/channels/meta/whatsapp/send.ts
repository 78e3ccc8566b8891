import type { WhatsAppTemplate } from '../customer-window.ts';
import type { GraphClient } from '../graph-client.ts';
import type { SendingAccount } from '../social-account-store.ts';
import {
  sentWhatsAppId,
  type WhatsAppRecipient,
  whatsappReadReceipt,
  whatsappTemplate,
  whatsappText,
} from './to-provider.ts';
import { WhatsAppSendError } from './whatsapp-error.ts';

export type WhatsAppOutgoing =
  | { kind: 'text'; body: string; callbackData: string }
  | { kind: 'template'; template: WhatsAppTemplate; body: string; callbackData: string }
  | { kind: 'mark_read'; customerMessageId: string };

/** Sends one message (or read receipt) through POST /<phone_number_id>/messages. */
export async function sendWhatsApp(
  graph: GraphClient,
  account: SendingAccount,
  recipient: WhatsAppRecipient,
  outgoing: WhatsAppOutgoing,
): Promise<{ platformMessageId: string | undefined }> {
  const body =
    outgoing.kind === 'mark_read'
      ? whatsappReadReceipt(outgoing.customerMessageId)
      : outgoing.kind === 'template'
        ? whatsappTemplate(recipient, outgoing.template, outgoing.body, outgoing.callbackData)
        : whatsappText(recipient, outgoing.body, outgoing.callbackData);
  const answer = await graph.post({
    api: 'facebook',
    path: `/${encodeURIComponent(account.accountId)}/messages`,
    token: account.token,
    body,
  });
  if (outgoing.kind === 'mark_read') return { platformMessageId: undefined };
  const platformMessageId = sentWhatsAppId(answer);
  if (!platformMessageId)
    throw new WhatsAppSendError('the Cloud API accepted the message but returned no id');
  return { platformMessageId };
}
