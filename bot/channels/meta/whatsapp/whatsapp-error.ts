/** The Cloud API answered in a way this adapter does not understand. */
export class WhatsAppSendError extends Error {
  readonly code = 'CAUSETTE_ERR_WHATSAPP_SEND';
}
