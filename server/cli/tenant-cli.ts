import { type CommandGroup, parseOptions, UsageError } from './cli-arguments.ts';

/** `causette tenant create --slug SLUG --name NAME` */
export const tenantCli: CommandGroup = async (subcommand, args, { admin }) => {
  if (subcommand !== 'create') throw new UsageError(`Unknown tenant command "${subcommand ?? ''}"`);
  const { values } = parseOptions(args, { slug: { type: 'string' }, name: { type: 'string' } });
  if (!values.slug || !values.name) throw new UsageError('tenant create needs --slug and --name');
  const tenant = await admin.run({ name: 'tenant.create', slug: values.slug, displayName: values.name });
  console.log(`Created tenant ${tenant.slug} (${tenant.name}), id ${tenant.id}`);
  return 0;
};
