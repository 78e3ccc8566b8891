import { verifyHubSignature } from '../hub-signature.ts';

/** WhatsApp webhooks are signed with the Meta app's secret (META_APP_SECRET). */
export function verifyWhatsAppSignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: { appSecret: string | undefined },
): boolean {
  return secrets.appSecret !== undefined && verifyHubSignature(rawBody, header, secrets.appSecret);
}
