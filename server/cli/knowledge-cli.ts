import { type CommandGroup, parseOptions, UsageError } from './cli-arguments.ts';
import { printIndexing } from './documents-cli.ts';

/** `causette knowledge reembed|reindex [--tenant SLUG]`: vectors made again, for one tenant or all. */
export const knowledgeCli: CommandGroup = async (subcommand, args, { admin }) => {
  if (subcommand !== 'reembed' && subcommand !== 'reindex') {
    throw new UsageError(`Unknown knowledge command "${subcommand ?? ''}"`);
  }
  const { values } = parseOptions(args, { tenant: { type: 'string' }, stale: { type: 'boolean' } });
  return printIndexing(
    await admin.run({
      name: 'knowledge.rebuild',
      tenant: values.tenant || undefined,
      kind: subcommand,
      scope: subcommand === 'reembed' && values.stale ? 'stale' : 'all',
    }),
  );
};
