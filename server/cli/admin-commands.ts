import Type, { type Static } from 'typebox';
import { GraphApiError } from '../../bot/channels/meta/graph-error.ts';
import {
  AccountTakenError,
  connectAccount,
  disconnectAccount,
  guessGraphApi,
  listAccounts,
} from '../../bot/channels/meta/social-account-store.ts';
import { AccountMismatchError, verifyAccount } from '../../bot/channels/meta/verify-account.ts';
import { createTenant, findTenantIdBySlug, SLUG_PATTERN } from '../../bot/tenants/tenant-store.ts';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createApiKey } from '../auth/api-keys.ts';
import type { CommandServices } from '../services/create-services.ts';
import { KnowledgeCommand, type ProgressSink, runKnowledgeCommand } from './knowledge-commands.ts';
import { runTopicCommand, TopicCommand } from './topic-commands.ts';

const Platform = Type.Union([Type.Literal('whatsapp'), Type.Literal('instagram')]);

/** The data-changing commands the CLI runs, directly or through a running server. */
export const AdminCommand = Type.Union([
  ...KnowledgeCommand.anyOf,
  ...TopicCommand.anyOf,
  Type.Object({
    name: Type.Literal('tenant.create'),
    slug: Type.String({ minLength: 1, maxLength: 100 }),
    displayName: Type.String({ minLength: 1, maxLength: 255 }),
  }),
  Type.Object({
    name: Type.Literal('apikey.create'),
    tenant: Type.String({ minLength: 1, maxLength: 100 }),
    label: Type.String({ minLength: 1, maxLength: 100 }),
  }),
  Type.Object({
    name: Type.Literal('account.connect'),
    tenant: Type.String({ minLength: 1, maxLength: 100 }),
    platform: Platform,
    accountId: Type.String({ pattern: '^[0-9]{1,64}$' }),
    token: Type.String({ minLength: 10, maxLength: 4096, pattern: '^\\S+$' }),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    graphApi: Type.Optional(Type.Union([Type.Literal('facebook'), Type.Literal('instagram')])),
    verify: Type.Boolean(),
  }),
  Type.Object({
    name: Type.Literal('account.list'),
    tenant: Type.String({ minLength: 1, maxLength: 100 }),
  }),
  Type.Object({
    name: Type.Literal('account.disconnect'),
    tenant: Type.String({ minLength: 1, maxLength: 100 }),
    platform: Platform,
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
  }),
]);

export type AdminCommand = Static<typeof AdminCommand>;

export class AdminCommandError extends Error {
  readonly code = 'CAUSETTE_ERR_COMMAND';
}

/** What commands run against: the services of the CLI's process, or of the running server. */
export type CommandContext = Pick<CommandServices, 'database' | 'knowledge' | 'cipher' | 'graph' | 'topics'>;

export async function runAdminCommand(
  context: CommandContext,
  command: AdminCommand,
  onProgress?: ProgressSink,
): Promise<Record<string, unknown>> {
  const { db } = context.database;
  switch (command.name) {
    case 'tenant.create': {
      if (!SLUG_PATTERN.test(command.slug)) {
        throw new AdminCommandError(
          `"${command.slug}" is not a valid slug: use lower-case letters, digits and dashes (e.g. ma-boutique)`,
        );
      }
      const tenant = await createTenant(db, { slug: command.slug, name: command.displayName });
      return { id: tenant.id, slug: tenant.slug, name: tenant.name };
    }
    case 'apikey.create': {
      const tenantId = await findTenantIdBySlug(db, command.tenant);
      if (!tenantId) throw new AdminCommandError(`No tenant has the slug "${command.tenant}"`);
      const created = await createApiKey(db, tenantId, command.label);
      return {
        tenant: command.tenant,
        id: created.id,
        name: created.name,
        prefix: created.prefix,
        key: created.key,
      };
    }
    case 'account.connect':
      return connect(context, command);
    case 'account.list': {
      const tenantId = await tenantIdOf(db, command.tenant);
      const accounts = await withTenant(db, tenantId, (tx) => listAccounts(tx));
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
    }
    case 'account.disconnect': {
      const tenantId = await tenantIdOf(db, command.tenant);
      const removed = await withTenant(db, tenantId, (tx) =>
        disconnectAccount(tx, { platform: command.platform, accountId: command.accountId }),
      );
      if (!removed) {
        throw new AdminCommandError(
          `${command.tenant} has no ${command.platform} account ${command.accountId}`,
        );
      }
      return { tenant: command.tenant, platform: removed.platform, accountId: removed.accountId };
    }
    case 'topics.run':
    case 'topics.show':
      return runTopicCommand(context, command, tenantIdOf);
    default:
      return runKnowledgeCommand(context, command, onProgress);
  }
}

async function connect(deps: CommandContext, command: Extract<AdminCommand, { name: 'account.connect' }>) {
  const tenantId = await tenantIdOf(deps.database.db, command.tenant);
  const graphApi = command.graphApi ?? guessGraphApi(command.platform, command.token);
  let username = command.username;
  if (command.verify) {
    try {
      username ??= (await verifyAccount(deps.graph, { ...command, graphApi })).username;
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
    const { account, created } = await withTenant(deps.database.db, tenantId, (tx) =>
      connectAccount(tx, tenantId, deps.cipher, {
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
}

async function tenantIdOf(db: Db, slug: string): Promise<string> {
  const tenantId = await findTenantIdBySlug(db, slug);
  if (!tenantId) throw new AdminCommandError(`No tenant has the slug "${slug}"`);
  return tenantId;
}
