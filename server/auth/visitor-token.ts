import { createHmac, timingSafeEqual } from 'node:crypto';

export interface VisitorIdentity {
  tenantId: string;
  visitorId: string;
  /** A verified user of the site (identify with a valid hash), with the secret's fingerprint. */
  user?: { id: string; secret: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A visitor's proof of who they are, kept by the widget and presented on every reconnect; it
 * binds the visitor to one tenant:
 *   "v1.<tenant>.<visitor>.<mac>" for an anonymous visitor,
 *   "v1.<tenant>.<visitor>.<user id, base64url>.<secret fingerprint>.<mac>" for a verified user,
 * where <mac> is an HMAC-SHA256 of everything before it.
 */
export function signVisitorToken(key: Buffer, identity: VisitorIdentity): string {
  const parts = ['v1', identity.tenantId, identity.visitorId];
  if (identity.user)
    parts.push(Buffer.from(identity.user.id, 'utf8').toString('base64url'), identity.user.secret);
  const body = parts.join('.');
  return `${body}.${mac(key, body)}`;
}

/** The identity a token proves, or undefined when it is malformed or its signature is wrong. */
export function verifyVisitorToken(key: Buffer, token: string): VisitorIdentity | undefined {
  const parts = token.split('.');
  if ((parts.length !== 4 && parts.length !== 6) || parts[0] !== 'v1') return undefined;
  const signature = parts.pop()!;
  const [, tenantId, visitorId, user, secret] = parts as [string, string, string, string?, string?];
  if (!UUID.test(tenantId) || !UUID.test(visitorId)) return undefined;
  const expected = Buffer.from(mac(key, parts.join('.')));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (user === undefined || secret === undefined) return { tenantId, visitorId };
  return { tenantId, visitorId, user: { id: Buffer.from(user, 'base64url').toString('utf8'), secret } };
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
