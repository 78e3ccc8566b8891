import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../protocol/frames.ts';

/**
 * Identity verification, as the site owner's documentation describes it: their server computes
 * hash = HMAC-SHA256(key: the tenant's identity secret, message: the user id), in hex, and the
 * page passes it to Causette.identify({ id, hash }).
 */
export function identityHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Whether `identity.hash` proves `identity.userId` under the tenant's secret. */
export function identityVerified(secret: string | undefined, identity: Identity): boolean {
  if (!secret || !identity.hash) return false;
  const expected = Buffer.from(identityHash(secret, identity.userId), 'utf8');
  const given = Buffer.from(identity.hash.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A short fingerprint of the secret, bound into the tokens of verified visitors: rotating the
 * secret signs every verified visitor out, as a site owner who rotates it after a leak expects.
 */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(`causette-identity:${secret}`).digest('base64url').slice(0, 10);
}

/** The conversation key of a verified user: prefixed so it can never equal an anonymous visitor id. */
export function userConversationKey(userId: string): string {
  return `user:${userId}`;
}
