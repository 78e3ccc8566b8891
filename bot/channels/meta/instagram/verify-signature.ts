import { verifyHubSignature } from '../hub-signature.ts';

/**
 * Instagram webhooks are signed with the Instagram app's secret when the app uses Instagram
 * Login (INSTAGRAM_APP_SECRET), otherwise with the Meta app's secret.
 */
export function verifyInstagramSignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: { appSecret: string | undefined; instagramAppSecret: string | undefined },
): boolean {
  const secret = secrets.instagramAppSecret ?? secrets.appSecret;
  return secret !== undefined && verifyHubSignature(rawBody, header, secret);
}
