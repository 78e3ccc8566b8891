import { GraphApiError } from '../../bot/channels/meta/graph-error.ts';
import {
  AccountTakenError,
  connectAccount,
  disconnectAccount,
  guessGraphApi,
  listAccounts,
} from '../../bot/channels/meta/social-account-store.ts';
import { AccountMismatchError, verifyAccount } from '../../bot/channels/meta/verify-account.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { AdminCommandError, type CommandRunners } from './admin-commands.ts';
import { tenantIdOf } from './tenant-id-of.ts';

/** WhatsApp numbers and Instagram accounts: connected with their token (sealed), listed, removed. */
export const accountCommands: CommandRunners<'account.connect' | 'account.list' | 'account.disconnect'> = {
  async 'account.connect'({ database, cipher, graph }, command) {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const graphApi = command.graphApi ?? guessGraphApi(command.platform, command.token);
    let username = command.username;
    if (command.verify) {
      try {
        username ??= (await verifyAccount(graph, { ...command, graphApi })).username;
      } catch (error) {
        if (error instanceof GraphApiError || error instanceof AccountMismatchError) {
          throw new AdminCommandError(
            `Meta did not accept this account id and token: ${error.message}. Check them, or add --skip-verify to connect without checking.`,
          );
        }
        throw error;
      }
    }
    try {
      const { account, created } = await withTenant(database.db, tenantId, (tx) =>
        connectAccount(tx, tenantId, cipher, {
          platform: command.platform,
          accountId: command.accountId,
          token: command.token,
          accountUsername: username ?? null,
          graphApi,
        }),
      );
      return {
        tenant: command.tenant,
        platform: account.platform,
        accountId: account.accountId,
        username: account.accountUsername,
        graphApi: account.graphApi,
        created,
      };
    } catch (error) {
      if (error instanceof AccountTakenError) throw new AdminCommandError(error.message);
      throw error;
    }
  },
  async 'account.list'({ database }, command) {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const accounts = await withTenant(database.db, tenantId, (tx) => listAccounts(tx));
    return {
      tenant: command.tenant,
      accounts: accounts.map((a) => ({
        platform: a.platform,
        accountId: a.accountId,
        username: a.accountUsername,
        graphApi: a.graphApi,
        active: a.isActive,
      })),
    };
  },
  async 'account.disconnect'({ database }, command) {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const removed = await withTenant(database.db, tenantId, (tx) =>
      disconnectAccount(tx, { platform: command.platform, accountId: command.accountId }),
    );
    if (!removed) {
      throw new AdminCommandError(
        `${command.tenant} has no ${command.platform} account ${command.accountId}`,
      );
    }
    return { tenant: command.tenant, platform: removed.platform, accountId: removed.accountId };
  },
};
