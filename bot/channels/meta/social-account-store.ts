import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/database.ts';
import { queryRows } from '../../../db/database.ts';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../../db/database-errors.ts';
import { withoutTenant } from '../../../db/tenant-scope.ts';
import { socialAccounts } from '../../../migrations/schema/index.ts';
import type { GraphApi } from './graph-client.ts';
import type { TokenCipher } from './token-cipher.ts';

export type MetaPlatform = 'whatsapp' | 'instagram';
export const META_PLATFORMS: readonly MetaPlatform[] = ['whatsapp', 'instagram'];

/** A connected account as shown to operators: never the token, encrypted or not. */
export interface SocialAccountView {
  id: string;
  platform: string;
  accountId: string;
  accountUsername: string | null;
  graphApi: string;
  tokenExpiresAt: Date | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConnectAccountInput {
  platform: MetaPlatform;
  accountId: string;
  token: string;
  accountUsername?: string | null;
  graphApi?: GraphApi;
  tokenExpiresAt?: Date | null;
}

export class AccountTakenError extends Error {
  readonly code = 'CAUSETTE_ERR_ACCOUNT_TAKEN';
  constructor(platform: string, accountId: string) {
    super(`The ${platform} account ${accountId} is already connected to another tenant`);
  }
}

/** The data bound into each token's encryption, so a ciphertext only opens on its own row. */
export function tokenContext(platform: string, accountId: string): string {
  return `social_accounts:${platform}:${accountId}`;
}

/**
 * Instagram Login tokens start with "IG"; Facebook Login (Page) and WhatsApp system user tokens
 * with "EAA". The host follows from it unless the operator says otherwise.
 */
export function guessGraphApi(platform: MetaPlatform, token: string): GraphApi {
  return platform === 'instagram' && token.startsWith('IG') ? 'instagram' : 'facebook';
}

/**
 * Connects an account to the tenant, or replaces the token of one it already has. An account
 * belongs to one tenant at a time: connecting another tenant's account fails.
 */
export async function connectAccount(
  tx: Tx,
  tenantId: string,
  cipher: TokenCipher,
  input: ConnectAccountInput,
): Promise<{ account: SocialAccountView; created: boolean }> {
  const values = {
    accessToken: cipher.encrypt(input.token, tokenContext(input.platform, input.accountId)),
    accountUsername: input.accountUsername ?? null,
    graphApi: input.graphApi ?? guessGraphApi(input.platform, input.token),
    tokenExpiresAt: input.tokenExpiresAt ?? null,
    isActive: true,
  };
  const [updated] = await tx
    .update(socialAccounts)
    .set({ ...values, accountUsername: input.accountUsername ?? sql`${socialAccounts.accountUsername}` })
    .where(and(eq(socialAccounts.platform, input.platform), eq(socialAccounts.accountId, input.accountId)))
    .returning();
  if (updated) return { account: toView(updated), created: false };
  try {
    // A savepoint, so that losing the race to another tenant leaves the transaction usable.
    const [created] = await tx.transaction((inner) =>
      inner
        .insert(socialAccounts)
        .values({ tenantId, platform: input.platform, accountId: input.accountId, ...values })
        .returning(),
    );
    if (!created) throw new Error('account insert returned no row');
    return { account: toView(created), created: true };
  } catch (error) {
    if (sqlState(error) === PG_UNIQUE_VIOLATION) throw new AccountTakenError(input.platform, input.accountId);
    throw error;
  }
}

export async function listAccounts(tx: Tx): Promise<SocialAccountView[]> {
  const rows = await tx
    .select()
    .from(socialAccounts)
    .orderBy(asc(socialAccounts.platform), asc(socialAccounts.createdAt));
  return rows.map(toView);
}

/** Removes the account and its token. Its conversations stay; replies still queued are refused. */
export async function disconnectAccount(
  tx: Tx,
  where: { id: string } | { platform: string; accountId: string },
) {
  const condition =
    'id' in where
      ? eq(socialAccounts.id, where.id)
      : and(eq(socialAccounts.platform, where.platform), eq(socialAccounts.accountId, where.accountId));
  const [deleted] = await tx.delete(socialAccounts).where(condition).returning();
  return deleted ? toView(deleted) : undefined;
}

export interface SendingAccount {
  id: string;
  platform: MetaPlatform;
  accountId: string;
  graphApi: GraphApi;
  token: string;
  isActive: boolean;
}

/** The account with its token decrypted, for a send. */
export async function loadSendingAccount(
  tx: Tx,
  cipher: TokenCipher,
  id: string,
): Promise<SendingAccount | undefined> {
  const [row] = await tx.select().from(socialAccounts).where(eq(socialAccounts.id, id));
  if (!row?.accessToken) return undefined;
  if (row.platform !== 'whatsapp' && row.platform !== 'instagram') return undefined;
  return {
    id: row.id,
    platform: row.platform,
    accountId: row.accountId,
    graphApi: row.graphApi === 'instagram' ? 'instagram' : 'facebook',
    token: cipher.decrypt(row.accessToken, tokenContext(row.platform, row.accountId)),
    isActive: row.isActive ?? true,
  };
}

export interface AccountOwner {
  tenantId: string;
  socialAccountId: string;
}

/** Which tenant an incoming event belongs to, looked up before any tenant scope exists. */
export async function findAccountOwner(
  db: Db,
  platform: MetaPlatform,
  accountId: string,
): Promise<AccountOwner | undefined> {
  const rows = await withoutTenant(db, (tx) =>
    queryRows<{ tenant_id: string; social_account_id: string }>(
      tx,
      sql`select tenant_id, social_account_id from causette_social_account_owner(${platform}, ${accountId})`,
    ),
  );
  const row = rows[0];
  return row ? { tenantId: row.tenant_id, socialAccountId: row.social_account_id } : undefined;
}

function toView(row: typeof socialAccounts.$inferSelect): SocialAccountView {
  return {
    id: row.id,
    platform: row.platform,
    accountId: row.accountId,
    accountUsername: row.accountUsername,
    graphApi: row.graphApi,
    tokenExpiresAt: row.tokenExpiresAt,
    isActive: row.isActive ?? true,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
