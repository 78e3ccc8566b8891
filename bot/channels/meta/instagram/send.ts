import type { GraphClient } from '../graph-client.ts';
import type { SendingAccount } from '../social-account-store.ts';
import { InstagramSendError } from './instagram-error.ts';
import { instagramSendPath, instagramText, sentInstagramId } from './to-provider.ts';

/** Sends one text message to an Instagram user (IGSID). */
export async function sendInstagram(
  graph: GraphClient,
  account: SendingAccount,
  recipientId: string,
  outgoing: { body: string; humanAgent: boolean },
): Promise<{ platformMessageId: string }> {
  const answer = await graph.post({
    api: account.graphApi,
    path: instagramSendPath(account.graphApi, account.accountId),
    token: account.token,
    body: instagramText(recipientId, outgoing.body, outgoing.humanAgent),
  });
  const platformMessageId = sentInstagramId(answer);
  if (!platformMessageId)
    throw new InstagramSendError('the Send API accepted the message but returned no id');
  return { platformMessageId };
}

/** The customer's public profile, fetched once they have written (Meta allows nothing sooner). */
export async function fetchInstagramProfile(
  graph: GraphClient,
  account: SendingAccount,
  userId: string,
): Promise<{ name?: string; username?: string }> {
  const answer = await graph.get({
    api: account.graphApi,
    path: `/${encodeURIComponent(userId)}`,
    token: account.token,
    query: { fields: 'name,username' },
  });
  if (typeof answer !== 'object' || answer === null) return {};
  const name: unknown = Reflect.get(answer, 'name');
  const username: unknown = Reflect.get(answer, 'username');
  return {
    ...(typeof name === 'string' && name ? { name } : {}),
    ...(typeof username === 'string' && username ? { username } : {}),
  };
}
