import { type CommandGroup, parseOptions, required, UsageError } from './cli-arguments.ts';

/** `causette apikey create --tenant SLUG [--name LABEL]`: the key is printed once, only its hash is kept. */
export const apikeyCli: CommandGroup = async (subcommand, args, { admin }) => {
  if (subcommand !== 'create') throw new UsageError(`Unknown apikey command "${subcommand ?? ''}"`);
  const { values } = parseOptions(args, { tenant: { type: 'string' }, name: { type: 'string' } });
  const tenant = required(values.tenant, 'apikey create needs --tenant');
  const key = await admin.run({ name: 'apikey.create', tenant, label: values.name ?? 'cli' });
  console.log(`API key for ${key.tenant} (${key.name}). It is shown only this once:\n\n  ${key.key}\n`);
  return 0;
};
