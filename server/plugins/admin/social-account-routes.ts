import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import {
  getChannelSettings,
  updateChannelSettings,
} from '../../../bot/channels/meta/channel-settings-store.ts';
import type { GraphClient } from '../../../bot/channels/meta/graph-client.ts';
import { GraphApiError } from '../../../bot/channels/meta/graph-error.ts';
import {
  AccountTakenError,
  connectAccount,
  disconnectAccount,
  guessGraphApi,
  listAccounts,
} from '../../../bot/channels/meta/social-account-store.ts';
import type { TokenCipher } from '../../../bot/channels/meta/token-cipher.ts';
import { AccountMismatchError, verifyAccount } from '../../../bot/channels/meta/verify-account.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { Errors } from '../../errors.ts';
import { NoContent } from '../response-schemas.ts';
import { DateTime, Nullable, UuidParams } from './common-schemas.ts';

export interface SocialAccountRoutesOptions {
  db: Db;
  cipher: TokenCipher;
  graph: GraphClient;
}

/** Never the token: the response schema is the list of fields allowed out. */
const SocialAccount = Type.Object({
  id: Type.String(),
  platform: Type.String(),
  accountId: Type.String(),
  accountUsername: Nullable(Type.String()),
  graphApi: Type.String(),
  tokenExpiresAt: Nullable(DateTime),
  isActive: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const ConnectBody = Type.Object(
  {
    platform: Type.Union([Type.Literal('whatsapp'), Type.Literal('instagram')]),
    /** WhatsApp: the phone_number_id. Instagram: the professional account id. */
    accountId: Type.String({ pattern: '^[0-9]{1,64}$' }),
    token: Type.String({ minLength: 10, maxLength: 4096, pattern: '^\\S+$' }),
    accountUsername: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    /** Which Graph host the token is for; guessed from the token when absent. */
    graphApi: Type.Optional(Type.Union([Type.Literal('facebook'), Type.Literal('instagram')])),
    tokenExpiresAt: Type.Optional(Type.String({ format: 'date-time' })),
    /** Check the id and token against the Graph API first (default true). */
    verify: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ChannelSettings = Type.Object({
  whatsappTemplateName: Nullable(Type.String()),
  whatsappTemplateLanguage: Nullable(Type.String()),
  whatsappTemplateTextParameter: Type.Boolean(),
  instagramHumanAgent: Type.Boolean(),
});
const ChannelSettingsPatch = Type.Object(
  {
    whatsappTemplateName: Type.Optional(Nullable(Type.String({ pattern: '^[a-z0-9_]{1,512}$' }))),
    whatsappTemplateLanguage: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2,3}(_[A-Z]{2})?$' }))),
    whatsappTemplateTextParameter: Type.Optional(Type.Boolean()),
    instagramHumanAgent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Connected WhatsApp numbers and Instagram accounts, and the rules for sending on them. */
export const socialAccountRoutes: FastifyPluginAsync<SocialAccountRoutesOptions> = async (
  base,
  { db, cipher, graph },
) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/social-accounts',
    {
      schema: {
        tags: ['Channels'],
        summary: 'List connected accounts',
        description:
          'The WhatsApp numbers and Instagram accounts connected to the tenant. Tokens are never returned.',
        response: { 200: Type.Object({ items: Type.Array(SocialAccount) }) },
      },
    },
    async (request) => ({ items: await withTenant(db, request.adminTenantId!, (tx) => listAccounts(tx)) }),
  );

  app.post(
    '/social-accounts',
    {
      schema: {
        tags: ['Channels'],
        summary: 'Connect an account',
        description:
          'Connects a WhatsApp number or an Instagram account (`platform`, `accountId`, `token`, ...). The token is checked against the Graph API and stored encrypted; 201 when new, 200 when updated.',
        body: ConnectBody,
        response: { 200: SocialAccount, 201: SocialAccount },
      },
    },
    async (request, reply) => {
      const tenantId = request.adminTenantId!;
      const body = request.body;
      const graphApi = body.graphApi ?? guessGraphApi(body.platform, body.token);
      let username = body.accountUsername;
      if (body.verify !== false) {
        try {
          const verified = await verifyAccount(graph, { ...body, graphApi });
          username ??= verified.username;
        } catch (error) {
          if (error instanceof GraphApiError || error instanceof AccountMismatchError) {
            throw new Errors.AccountVerifyFailed(
              `Meta did not accept this account id and token: ${error.message}. Check them, or send "verify": false to connect without checking.`,
            );
          }
          throw error;
        }
      }
      try {
        const { account, created } = await withTenant(db, tenantId, (tx) =>
          connectAccount(tx, tenantId, cipher, {
            platform: body.platform,
            accountId: body.accountId,
            token: body.token,
            accountUsername: username ?? null,
            graphApi,
            tokenExpiresAt: body.tokenExpiresAt ? new Date(body.tokenExpiresAt) : null,
          }),
        );
        request.log.info(
          { platform: account.platform, accountId: account.accountId, created },
          'social account connected',
        );
        return reply.code(created ? 201 : 200).send(account);
      } catch (error) {
        if (error instanceof AccountTakenError) throw new Errors.AccountTaken(error.message);
        throw error;
      }
    },
  );

  app.delete(
    '/social-accounts/:id',
    {
      schema: {
        tags: ['Channels'],
        summary: 'Disconnect an account',
        description: 'Disconnects the account: its webhooks are no longer routed to this tenant.',
        response: { 204: NoContent },
        params: UuidParams,
      },
    },
    async (request, reply) => {
      const removed = await withTenant(db, request.adminTenantId!, (tx) =>
        disconnectAccount(tx, { id: request.params.id }),
      );
      if (!removed) throw new Errors.NotFound('Social account');
      request.log.info(
        { platform: removed.platform, accountId: removed.accountId },
        'social account disconnected',
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/channel-settings',
    {
      schema: {
        tags: ['Channels'],
        summary: 'Read the channel settings',
        description:
          "The WhatsApp template sent outside the 24-hour window and whether operators may use Instagram's `HUMAN_AGENT` tag.",
        response: { 200: ChannelSettings },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      return withTenant(db, tenantId, (tx) => getChannelSettings(tx, tenantId));
    },
  );

  app.patch(
    '/channel-settings',
    {
      schema: {
        tags: ['Channels'],
        summary: 'Update the channel settings',
        description:
          'Changes the WhatsApp template (`whatsappTemplateName`, `whatsappTemplateLanguage`, `whatsappTemplateTextParameter`) and `instagramHumanAgent`.',
        body: ChannelSettingsPatch,
        response: { 200: ChannelSettings },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      return withTenant(db, tenantId, (tx) => updateChannelSettings(tx, tenantId, request.body));
    },
  );
};
