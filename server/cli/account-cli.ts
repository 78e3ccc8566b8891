import type { CommandOf } from '../admin-commands/admin-commands.ts';
import { type CommandGroup, parseOptions, required, UsageError } from './cli-arguments.ts';

/** `causette account connect|list|disconnect`: WhatsApp numbers and Instagram accounts. */
export const accountCli: CommandGroup = async (subcommand, args, { admin, stdin }) => {
  switch (subcommand) {
    case 'connect': {
      const connected = await admin.run(await connectCommand(args, stdin));
      const username = connected.username ? ` (${connected.username})` : '';
      console.log(
        `${connected.created ? 'Connected' : 'Updated'} ${connected.platform} account ${connected.accountId}${username} for ${connected.tenant}. The token is stored encrypted.`,
      );
      return 0;
    }
    case 'list': {
      const { values } = parseOptions(args, { tenant: { type: 'string' } });
      const tenant = required(values.tenant, 'account list needs --tenant');
      const { accounts } = await admin.run({ name: 'account.list', tenant });
      if (accounts.length === 0) console.log(`${tenant} has no connected account.`);
      for (const a of accounts) {
        console.log(
          [a.platform, a.accountId, a.username ?? '-', a.graphApi, a.active ? 'active' : 'inactive'].join(
            '\t',
          ),
        );
      }
      return 0;
    }
    case 'disconnect': {
      const { values } = parseOptions(args, {
        tenant: { type: 'string' },
        platform: { type: 'string' },
        'account-id': { type: 'string' },
      });
      if (!values.tenant || !values['account-id']) {
        throw new UsageError('account disconnect needs --tenant, --platform and --account-id');
      }
      const removed = await admin.run({
        name: 'account.disconnect',
        tenant: values.tenant,
        platform: platformOf(values.platform),
        accountId: values['account-id'],
      });
      console.log(
        `Disconnected ${removed.platform} account ${removed.accountId} from ${removed.tenant}; its token is deleted.`,
      );
      return 0;
    }
    default:
      throw new UsageError(`Unknown account command "${subcommand ?? ''}"`);
  }
};

async function connectCommand(
  args: string[],
  stdin: () => Promise<string>,
): Promise<CommandOf<'account.connect'>> {
  const { values } = parseOptions(args, {
    tenant: { type: 'string' },
    platform: { type: 'string' },
    'account-id': { type: 'string' },
    token: { type: 'string' },
    username: { type: 'string' },
    login: { type: 'string' },
    'skip-verify': { type: 'boolean' },
  });
  const { tenant, token: given, login } = values;
  const accountId = values['account-id'];
  if (tenant === undefined || accountId === undefined || given === undefined) {
    throw new UsageError('account connect needs --tenant, --platform, --account-id and --token');
  }
  if (!/^[0-9]{1,64}$/.test(accountId))
    throw new UsageError('--account-id must be the numeric id Meta shows');
  // A token on the command line lands in the shell history; "-" reads it from stdin instead.
  const token = given === '-' ? (await stdin()).trim() : given;
  if (token.length < 10 || /\s/.test(token))
    throw new UsageError('--token does not look like an access token');
  if (login !== undefined && login !== 'facebook' && login !== 'instagram') {
    throw new UsageError(
      '--login must be facebook (Page or system user token) or instagram (Instagram Login token)',
    );
  }
  return {
    name: 'account.connect',
    tenant,
    platform: platformOf(values.platform),
    accountId,
    token,
    username: values.username,
    graphApi: login,
    verify: values['skip-verify'] !== true,
  };
}

function platformOf(value: string | undefined): 'whatsapp' | 'instagram' {
  if (value !== 'whatsapp' && value !== 'instagram')
    throw new UsageError('--platform must be whatsapp or instagram');
  return value;
}
