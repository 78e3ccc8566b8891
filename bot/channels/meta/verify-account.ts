import type { GraphApi, GraphClient } from './graph-client.ts';
import type { MetaPlatform } from './social-account-store.ts';

/**
 * Asks the Graph API about the account with the token about to be stored, so that a wrong id or
 * a dead token is refused when it is connected rather than discovered at the first reply. Returns
 * the account's public name (display phone number or Instagram username) when Meta gives one.
 */
export async function verifyAccount(
  graph: GraphClient,
  input: { platform: MetaPlatform; accountId: string; token: string; graphApi: GraphApi },
): Promise<{ username: string | undefined }> {
  const path =
    input.platform === 'instagram' && input.graphApi === 'instagram'
      ? '/me'
      : `/${encodeURIComponent(input.accountId)}`;
  const fields =
    input.platform === 'whatsapp'
      ? 'display_phone_number,verified_name'
      : input.graphApi === 'instagram'
        ? 'user_id,username'
        : 'username';
  const answer = await graph.get({ api: input.graphApi, path, token: input.token, query: { fields } });
  const field = (name: string) => {
    if (typeof answer !== 'object' || answer === null) return undefined;
    const value: unknown = Reflect.get(answer, name);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  if (input.platform === 'instagram' && input.graphApi === 'instagram') {
    const userId = field('user_id') ?? field('id');
    if (userId && userId !== input.accountId) {
      throw new AccountMismatchError(
        `This token belongs to the Instagram account ${userId}, not ${input.accountId}`,
      );
    }
  }
  const username = input.platform === 'whatsapp' ? field('display_phone_number') : field('username');
  return {
    username: username && input.platform === 'instagram' ? `@${username.replace(/^@/, '')}` : username,
  };
}

export class AccountMismatchError extends Error {
  readonly code = 'CAUSETTE_ERR_ACCOUNT_MISMATCH';
}
