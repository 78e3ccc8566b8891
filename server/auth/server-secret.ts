import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseCredentials } from '../../db/open-app-database.ts';

/** Independent keys derived from the one server secret, one per purpose. */
export interface ServerKeys {
  visitorTokens: Buffer;
  /** AES-256-GCM key for secrets stored in the database (channel access tokens). */
  encryption: Buffer;
  /** The app role's password and the key tenant scopes are signed with. */
  database: DatabaseCredentials;
}

export function deriveServerKeys(secret: string): ServerKeys {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'causette', purpose, 32));
  return {
    visitorTokens: derive('visitor-tokens'),
    encryption: derive('encryption'),
    database: {
      appPassword: derive('database-app-role').toString('base64url'),
      tenantScopeKey: derive('database-tenant-scope'),
    },
  };
}

/**
 * The secret kept in the data directory when none is configured: created once with 256 random
 * bits, readable by this user only, and the same at every later start.
 */
export async function loadOrCreateSecret(dataDir: string): Promise<string> {
  const path = join(dataDir, 'secret');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    const handle = await open(path, 'wx', 0o600);
    const secret = randomBytes(32).toString('hex');
    await handle.writeFile(secret);
    await handle.close();
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(path, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${path} holds no usable secret; delete it to make a new one`);
  return secret;
}
