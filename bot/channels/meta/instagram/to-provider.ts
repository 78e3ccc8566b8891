/**
 * Send API bodies for Instagram. Inside the 24-hour window a reply is a RESPONSE; a person
 * answering later (up to 7 days) sends with the HUMAN_AGENT tag.
 */
export function instagramText(recipientId: string, text: string, humanAgent: boolean) {
  return {
    recipient: { id: recipientId },
    message: { text },
    ...(humanAgent ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' }),
  };
}

/** Instagram Login tokens send through /<IG account id>/messages; Page tokens through /me/messages. */
export function instagramSendPath(graphApi: 'facebook' | 'instagram', accountId: string): string {
  return graphApi === 'instagram' ? `/${encodeURIComponent(accountId)}/messages` : '/me/messages';
}

/** The message id in a Send API answer: `{ recipient_id, message_id }`. */
export function sentInstagramId(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const id: unknown = Reflect.get(answer, 'message_id');
  return typeof id === 'string' ? id : undefined;
}
