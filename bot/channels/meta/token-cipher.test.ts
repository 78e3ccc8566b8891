import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher, TokenDecryptError } from './token-cipher.ts';

describe('token cipher', () => {
  const key = randomBytes(32);
  const cipher = createTokenCipher(key);

  it('round-trips a token and never stores it in clear', () => {
    const stored = cipher.encrypt('EAAGm0PX4ZCpsBA-secret-token', 'whatsapp:123');
    expect(stored).not.toContain('secret');
    expect(stored.startsWith('v1.')).toBe(true);
    expect(cipher.decrypt(stored, 'whatsapp:123')).toBe('EAAGm0PX4ZCpsBA-secret-token');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('same', 'c')).not.toBe(cipher.encrypt('same', 'c'));
  });

  it('refuses a ciphertext moved onto another account', () => {
    const stored = cipher.encrypt('token', 'whatsapp:123');
    expect(() => cipher.decrypt(stored, 'whatsapp:999')).toThrow(TokenDecryptError);
  });

  it('refuses a tampered ciphertext', () => {
    const stored = cipher.encrypt('token', 'c');
    const parts = stored.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'c')).toThrow(/integrity/);
  });

  it('opens tokens of a previous key after rotation and flags them stale', () => {
    const stored = cipher.encrypt('old-token', 'c');
    const rotated = createTokenCipher(randomBytes(32), [key]);
    expect(rotated.decrypt(stored, 'c')).toBe('old-token');
    expect(rotated.isStale(stored)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('x', 'c'))).toBe(false);
    expect(() => createTokenCipher(randomBytes(32)).decrypt(stored, 'c')).toThrow(
      /key this server does not have/,
    );
  });
});
