import { createTenant, SLUG_PATTERN } from '../../bot/tenants/tenant-store.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { AdminCommandError, type CommandRunners } from './admin-commands.ts';
import { tenantIdOf } from './tenant-id-of.ts';

/** Tenants and their admin API keys. */
export const tenantCommands: CommandRunners<'tenant.create' | 'apikey.create'> = {
  async 'tenant.create'({ database }, command) {
    if (!SLUG_PATTERN.test(command.slug)) {
      throw new AdminCommandError(
        `"${command.slug}" is not a valid slug: use lower-case letters, digits and dashes (e.g. ma-boutique)`,
      );
    }
    const tenant = await createTenant(database.db, { slug: command.slug, name: command.displayName });
    return { id: tenant.id, slug: tenant.slug, name: tenant.name };
  },
  async 'apikey.create'({ database }, command) {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const created = await createApiKey(database.db, tenantId, command.label);
    return {
      tenant: command.tenant,
      id: created.id,
      name: created.name,
      prefix: created.prefix,
      key: created.key,
    };
  },
};
