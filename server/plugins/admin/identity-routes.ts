import { randomBytes } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { updateWidgetConfig } from '../../../bot/tenants/tenant-store.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { seal } from '../../auth/secret-box.ts';
import { Errors } from '../../errors.ts';
import type { TenantDirectory } from '../../tenant-directory.ts';

/**
 * POST /widget-config/identity-secret: generates (or rotates) the secret the site's server uses to
 * compute identify() hashes. It is returned this once; the database keeps it sealed. Rotating
 * signs every verified visitor out, and their next identify() must carry a hash of the new secret.
 */
export const identityRoutes: FastifyPluginAsync<{
  db: Db;
  tenants: TenantDirectory;
  encryptionKey: Buffer;
}> = async (base, { db, tenants, encryptionKey }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/widget-config/identity-secret',
    {
      schema: {
        tags: ['Widget'],
        summary: 'Generate the identity secret',
        description:
          "Generates, or rotates, the secret the site's server signs identify() hashes with, and returns it once. Rotating it signs every verified visitor out. The hash formats are described in docs/widget.md.",
        response: {
          201: Type.Object({
            secret: Type.String(),
            algorithm: Type.Literal('HMAC-SHA256'),
            example: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      const tenantId = request.adminTenantId!;
      const secret = randomBytes(32).toString('hex');
      const config = await withTenant(db, tenantId, (tx) =>
        updateWidgetConfig(tx, tenantId, { identitySecret: seal(encryptionKey, secret) }),
      );
      if (!config) throw new Errors.NotFound('Widget configuration');
      tenants.forget(tenantId);
      return reply.code(201).send({
        secret,
        algorithm: 'HMAC-SHA256',
        example: "createHmac('sha256', secret).update(String(user.id)).digest('hex')",
      });
    },
  );
};
