import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts channel access tokens for storage with AES-256-GCM. A stored token reads
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts): the key id lets a rotated key still
 * open tokens written under the previous one, and the row's identity is bound in as additional
 * data, so a ciphertext copied onto another account does not decrypt.
 */
export interface TokenCipher {
  encrypt(token: string, context: string): string;
  /** Throws TokenDecryptError when no configured key opens the value or it was tampered with. */
  decrypt(stored: string, context: string): string;
  /** Whether a stored value was written under an older key and should be re-encrypted. */
  isStale(stored: string): boolean;
}

export class TokenDecryptError extends Error {
  readonly code = 'CAUSETTE_ERR_TOKEN_DECRYPT';
}

export function createTokenCipher(current: Buffer, previous: readonly Buffer[] = []): TokenCipher {
  for (const key of [current, ...previous]) {
    if (key.length !== 32) throw new Error('token encryption keys must be 32 bytes');
  }
  const currentId = keyId(current);
  const keys = new Map<string, Buffer>([
    ...previous.map((k) => [keyId(k), k] as const),
    [currentId, current],
  ]);

  return {
    encrypt(token, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return ['v1', currentId, iv, cipher.getAuthTag(), ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    decrypt(stored, context) {
      const [version, id, iv, tag, ciphertext] = stored.split('.');
      if (version !== 'v1' || !id || !iv || !tag || ciphertext === undefined) {
        throw new TokenDecryptError('the stored token is not in a format this server knows');
      }
      const key = keys.get(id);
      if (!key) {
        throw new TokenDecryptError(
          'the stored token was encrypted with a key this server does not have (CAUSETTE_TOKEN_KEY changed?)',
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new TokenDecryptError('the stored token failed its integrity check');
      }
    },
    isStale(stored) {
      return stored.split('.')[1] !== currentId;
    },
  };
}

/** A short public fingerprint of a key; it reveals nothing usable about the key. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('causette-token-key:').update(key).digest('hex').slice(0, 8);
}
