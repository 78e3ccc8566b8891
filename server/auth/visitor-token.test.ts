import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveServerKeys } from './server-secret.ts';
import { signVisitorToken, verifyVisitorToken } from './visitor-token.ts';

const key = deriveServerKeys('s'.repeat(40)).visitorTokens;
const identity = {
  tenantId: '0f4d2f1e-8b9a-4c3d-9e2f-1a2b3c4d5e6f',
  visitorId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
};

describe('visitor tokens', () => {
  it('round-trips', () => {
    const token = signVisitorToken(key, identity);
    expect(token.startsWith(`v1.${identity.tenantId}.${identity.visitorId}.`)).toBe(true);
    expect(verifyVisitorToken(key, token)).toEqual(identity);
  });

  it('refuses a token signed with another secret', () => {
    const other = deriveServerKeys(randomBytes(32).toString('hex')).visitorTokens;
    expect(verifyVisitorToken(key, signVisitorToken(other, identity))).toBeUndefined();
  });

  it('refuses a token whose tenant or visitor was changed', () => {
    const token = signVisitorToken(key, identity);
    const signature = token.split('.')[3];
    const otherTenant = `v1.${identity.visitorId}.${identity.visitorId}.${signature}`;
    const otherVisitor = `v1.${identity.tenantId}.${identity.tenantId}.${signature}`;
    expect(verifyVisitorToken(key, otherTenant)).toBeUndefined();
    expect(verifyVisitorToken(key, otherVisitor)).toBeUndefined();
  });

  it.each([[''], ['v1'], ['v2.a.b.c'], ['v1.not-a-uuid.x.y'], ['v1.a.b.c.d'], [`${'v1.'.repeat(100)}`]])(
    'refuses the malformed token %j',
    (token) => {
      expect(verifyVisitorToken(key, token)).toBeUndefined();
    },
  );

  it('derives different keys for different purposes', () => {
    const keys = deriveServerKeys('s'.repeat(40));
    expect(keys.visitorTokens.equals(keys.encryption)).toBe(false);
    expect(keys.encryption).toHaveLength(32);
  });
});
