import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header every webhook request carries: "t=<unix seconds>,v1=<hex HMAC-SHA256>". */
export const SIGNATURE_HEADER = 'causette-signature';

/** A new signing secret, shown to the tenant once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Signs the exact bytes sent: HMAC-SHA256 of "<timestamp>.<body>" with the tenant's secret. The
 * timestamp is inside the signature, so a receiver can refuse replays of old deliveries.
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * What a receiver does: recompute the HMAC over the raw body and compare in constant time, and
 * refuse signatures older than `toleranceSeconds`.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Buffer,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  const fields = new Map(
    header.split(',').map((part) => {
      const [key, ...value] = part.trim().split('=');
      return [key ?? '', value.join('=')] as const;
    }),
  );
  const timestamp = Number(fields.get('t'));
  const given = fields.get('v1');
  if (!Number.isSafeInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
