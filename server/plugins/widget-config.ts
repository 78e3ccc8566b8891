import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { Errors } from '../errors.ts';
import { PublicWidgetConfig } from '../protocol/widget-config.ts';
import type { TenantDirectory } from '../tenant-directory.ts';

/**
 * GET /widget/config/:slug: the look, language and hours of a tenant's widget, public and
 * cacheable, read by the widget on every page that embeds it (so CORS is open). The response
 * schema is the list of fields allowed out: the identity secret and allowed origins never are.
 */
export const widgetConfigPlugin: FastifyPluginAsync<{ tenants: TenantDirectory }> = async (
  base,
  { tenants },
) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/widget/config/:slug',
    {
      schema: {
        tags: ['Widget'],
        summary: "Read a widget's public settings",
        description:
          "The look, language and hours of a tenant's widget, read by the widget on every page that embeds it: public (no API key, CORS open) and cacheable for a minute. The identity secret and the allowed origins are never part of it.",
        security: [],
        params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: PublicWidgetConfig },
      },
    },
    async (request, reply) => {
      const tenant = await tenants.bySlug(request.params.slug);
      reply.header('access-control-allow-origin', '*');
      if (!tenant) throw new Errors.UnknownTenant(request.params.slug);
      reply.header('cache-control', 'public, max-age=60, stale-while-revalidate=600');
      return tenant.widget;
    },
  );
};
