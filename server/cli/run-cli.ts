import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTopicDate } from '../../bot/topics/topic-date.ts';
import { DataDirBusyError, lockHolder } from '../../db/data-dir-lock.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { sendControlCommand } from '../control/control-client.ts';
import { controlSocketPath } from '../control/control-socket-path.ts';
import type { AdminCommand } from './admin-commands.ts';
import { createProgressView } from './progress-bar.ts';
import { waitForShutdownSignal } from './shutdown-signal.ts';

// The server, the database driver, the knowledge side and the LLM clients are imported by the
// commands that use them: loading them all takes seconds, and `help` or a usage error should not.

const USAGE = `Usage: causette <command>

  start                                   Run the server (migrates the database first)
  migrate                                 Apply pending database migrations
  tenant create --slug SLUG --name NAME   Create a tenant
  apikey create --tenant SLUG [--name N]  Create an admin API key (printed once)

  documents add FILE... --tenant SLUG [--description TEXT]
                                          Upload and index documents (PDF, DOCX, MD, HTML, TXT)
  documents list --tenant SLUG            List a tenant's documents and their status
  documents reprocess ID --tenant SLUG    Index a document again from its stored file
  documents delete ID --tenant SLUG       Delete a document and its chunks everywhere
  websites add URL --tenant SLUG [--max-pages N] [--max-depth N] [--frequency manual|daily|weekly]
                                          Add a website and crawl it (progress bar)
  websites list --tenant SLUG             List website sources and their status
  websites crawl ID --tenant SLUG         Crawl a website again now
  websites delete ID --tenant SLUG        Delete a website, its pages and chunks everywhere
  knowledge reembed [--tenant SLUG] [--stale]
                                          Re-embed chunks with the current model (all, or only
                                          those without a vector of it)
  knowledge reindex [--tenant SLUG]       Rebuild the vector store (Qdrant) from knowledge_chunks
  account connect --tenant SLUG --platform whatsapp|instagram --account-id ID --token TOKEN
          [--username NAME] [--login facebook|instagram] [--skip-verify]
                                          Connect a WhatsApp number (ID = phone_number_id) or an
                                          Instagram professional account; --token - reads stdin
  account list --tenant SLUG              List connected accounts (never their tokens)
  account disconnect --tenant SLUG --platform P --account-id ID
                                          Disconnect an account and delete its token
  topics run [--date YYYY-MM-DD] [--tenant SLUG]
                                          Compute a day's topics and unanswered questions (default:
                                          yesterday in each tenant's time zone; all tenants)
  topics show --tenant SLUG [--date YYYY-MM-DD]
                                          Print a day's topics and unanswered questions
  help                                    Show this help

Configuration comes from environment variables; see the README.`;

/** Runs one CLI invocation and returns the process exit code. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: { stdin: () => Promise<string> } = { stdin: readStdin },
): Promise<number> {
  const [command, subcommand, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await start(loadConfig(env));
      case 'migrate':
        return await migrate(loadConfig(env));
      case 'tenant':
        if (subcommand !== 'create') return usage(`Unknown tenant command "${subcommand ?? ''}"`);
        return await admin(loadConfig(env), tenantCreate(rest));
      case 'apikey':
        if (subcommand !== 'create') return usage(`Unknown apikey command "${subcommand ?? ''}"`);
        return await admin(loadConfig(env), apiKeyCreate(rest));
      case 'documents':
        return await documents(loadConfig(env), subcommand, rest);
      case 'websites':
        return await websitesCommand(loadConfig(env), subcommand, rest);
      case 'knowledge':
        return await knowledgeCommand(loadConfig(env), subcommand, rest);
      case 'account':
        return await admin(loadConfig(env), await accountCommand(subcommand, rest, io.stdin));
      case 'topics':
        return await admin(loadConfig(env), topicsCommand(subcommand, rest));
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        return usage(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    // Coded errors are the expected refusals (a taken slug, a busy data directory, a bad value):
    // the message is for the user, a stack trace would only hide it.
    if (error instanceof Error && String((error as { code?: unknown }).code).startsWith('CAUSETTE_ERR_')) {
      console.error(error.message);
      return error instanceof ConfigError ? 2 : 1;
    }
    throw error;
  }
}

class UsageError extends Error {}

function usage(problem: string): number {
  console.error(`${problem}\n\n${USAGE}`);
  return 2;
}

async function start(config: Config): Promise<number> {
  const { startServer } = await import('../main.ts');
  const server = await startServer(config);
  server.app.log.info(
    { url: server.url, database: server.database.driver },
    `Causette is listening on ${server.url}`,
  );
  await waitForShutdownSignal();
  server.app.log.info('shutting down');
  await server.close();
  return 0;
}

async function migrate(config: Config): Promise<number> {
  const [{ runMigrations }, { openConfiguredDatabase }] = await Promise.all([
    import('../../db/migrate.ts'),
    import('../services/create-services.ts'),
  ]);
  const database = await openConfiguredDatabase(config, 'small');
  try {
    await runMigrations(database);
    console.log('Migrations are up to date.');
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * Runs a data-changing command. With embedded Postgres a running server owns the files, so the
 * command goes through its control socket; otherwise it opens the database itself.
 */
async function admin(config: Config, command: AdminCommand): Promise<number> {
  const [result] = await adminAll(config, [command]);
  return report(command, result!);
}

/**
 * Runs data-changing commands, one after the other. With embedded Postgres held by a running
 * server they go through its control socket (progress streamed back); otherwise this process
 * opens the database and runs them itself. Long commands draw a progress bar either way.
 */
async function adminAll(config: Config, commands: AdminCommand[]): Promise<Record<string, unknown>[]> {
  const results: Record<string, unknown>[] = [];
  if (!config.databaseUrl) {
    const holder = await lockHolder(config.dataDir);
    if (holder !== undefined) {
      const path = controlSocketPath(config.dataDir);
      if (!path) throw new DataDirBusyError(config.dataDir, holder);
      for (const command of commands) {
        const view = createProgressView();
        let answer: Awaited<ReturnType<typeof sendControlCommand>>;
        try {
          answer = await sendControlCommand(path, command, { timeoutMs: 120_000, onProgress: view.update });
        } catch {
          throw new DataDirBusyError(config.dataDir, holder);
        } finally {
          view.stop();
        }
        if (!answer.ok) {
          const { AdminCommandError } = await import('./admin-commands.ts');
          throw new AdminCommandError(answer.error);
        }
        results.push(answer.result);
      }
      return results;
    }
  }
  const [{ openCommandServices }, { runAdminCommand }] = await Promise.all([
    import('../services/create-services.ts'),
    import('./admin-commands.ts'),
  ]);
  // The CLI prints its own messages; the services' logs are for servers.
  const services = await openCommandServices(config);
  try {
    for (const command of commands) {
      const view = createProgressView();
      try {
        results.push(await runAdminCommand(services, command, view.update));
      } finally {
        view.stop();
      }
    }
    return results;
  } finally {
    await services.close();
  }
}

function report(command: AdminCommand, result: Record<string, unknown>): number {
  switch (command.name) {
    case 'account.connect':
      console.log(
        `${result['created'] ? 'Connected' : 'Updated'} ${result['platform']} account ${result['accountId']}${result['username'] ? ` (${result['username']})` : ''} for ${result['tenant']}. The token is stored encrypted.`,
      );
      return 0;
    case 'account.list': {
      const accounts = Array.isArray(result['accounts']) ? result['accounts'] : [];
      if (accounts.length === 0) console.log(`${result['tenant']} has no connected account.`);
      for (const account of accounts) {
        const a = typeof account === 'object' && account !== null ? account : {};
        console.log(
          [
            Reflect.get(a, 'platform'),
            Reflect.get(a, 'accountId'),
            Reflect.get(a, 'username') ?? '-',
            Reflect.get(a, 'graphApi'),
            Reflect.get(a, 'active') ? 'active' : 'inactive',
          ].join('\t'),
        );
      }
      return 0;
    }
    case 'account.disconnect':
      console.log(
        `Disconnected ${result['platform']} account ${result['accountId']} from ${result['tenant']}; its token is deleted.`,
      );
      return 0;
    case 'tenant.create':
      console.log(`Created tenant ${result['slug']} (${result['name']}), id ${result['id']}`);
      return 0;
    case 'apikey.create':
      console.log(
        `API key for ${result['tenant']} (${result['name']}). It is shown only this once:\n\n  ${result['key']}\n`,
      );
      return 0;
    case 'documents.list': {
      const items = (result['items'] as Record<string, unknown>[]) ?? [];
      if (items.length === 0) console.log('No documents.');
      for (const item of items) {
        const error = item['error'] ? `  ${item['error']}` : '';
        console.log(
          `${item['id']}  ${String(item['status']).padEnd(9)} ${String(item['chunkCount']).padStart(5)} chunks  ${item['filename']}${error}`,
        );
      }
      return 0;
    }
    case 'documents.delete':
      console.log(`Deleted document ${result['id']} and its chunks.`);
      return 0;
    case 'websites.list': {
      const items = (result['items'] as Record<string, unknown>[]) ?? [];
      if (items.length === 0) console.log('No website sources.');
      for (const item of items) {
        const error = item['error'] ? `  ${item['error']}` : '';
        console.log(
          `${item['id']}  ${String(item['status']).padEnd(9)} ${String(item['chunkCount']).padStart(5)} pages  ${item['filename']}${error}`,
        );
      }
      return 0;
    }
    case 'websites.delete':
      console.log(`Deleted website source ${result['id']}, its pages and chunks.`);
      return 0;
    case 'topics.run':
      for (const day of records(result['days'])) {
        console.log(
          `${day['tenant']} ${day['date']}: ${day['messageCount']} customer messages, ${day['topicCount']} topics, ${day['unansweredCount']} unanswered in ${day['unansweredGroups']} groups (${day['method']})`,
        );
      }
      return 0;
    case 'topics.show':
      printDayReport(result);
      return 0;
    default: {
      const failed = result['status'] !== 'succeeded';
      const line = failed
        ? `${result['filename']}: failed: ${result['error']}`
        : `${result['filename']}: ${result['chunks']} chunks indexed`;
      (failed ? console.error : console.log)(line);
      return failed ? 1 : 0;
    }
  }
}

async function documents(config: Config, subcommand: string | undefined, args: string[]): Promise<number> {
  const { values, positionals } = parseWithPositionals(args, {
    tenant: { type: 'string' },
    description: { type: 'string' },
  });
  const tenant = values['tenant'];
  if (!tenant) throw new UsageError(`documents ${subcommand ?? ''} needs --tenant`);
  switch (subcommand) {
    case 'add': {
      if (positionals.length === 0) throw new UsageError('documents add needs at least one FILE');
      const commands: AdminCommand[] = positionals.map((file) => ({
        name: 'documents.add',
        tenant,
        path: resolve(file),
        ...(values['description'] ? { description: values['description'] } : {}),
      }));
      const results = await adminAll(config, commands);
      return Math.max(...results.map((result, i) => report(commands[i]!, result)));
    }
    case 'list':
      return admin(config, { name: 'documents.list', tenant });
    case 'reprocess':
    case 'delete': {
      const id = positionals[0];
      if (!id) throw new UsageError(`documents ${subcommand} needs a document ID`);
      return admin(config, {
        name: subcommand === 'delete' ? 'documents.delete' : 'documents.reprocess',
        tenant,
        id,
      });
    }
    default:
      return usage(`Unknown documents command "${subcommand ?? ''}"`);
  }
}

async function websitesCommand(
  config: Config,
  subcommand: string | undefined,
  args: string[],
): Promise<number> {
  const { values, positionals } = parseWithPositionals(args, {
    tenant: { type: 'string' },
    'max-pages': { type: 'string' },
    'max-depth': { type: 'string' },
    frequency: { type: 'string' },
  });
  const tenant = values['tenant'];
  if (!tenant) throw new UsageError(`websites ${subcommand ?? ''} needs --tenant`);
  const whole = (name: string) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number`);
    return Number(raw);
  };
  switch (subcommand) {
    case 'add': {
      const url = positionals[0];
      if (!url) throw new UsageError('websites add needs a URL');
      const frequency = values['frequency'];
      if (frequency !== undefined && !['manual', 'daily', 'weekly'].includes(frequency)) {
        throw new UsageError('--frequency must be manual, daily or weekly');
      }
      const maxPages = whole('max-pages');
      const maxDepth = whole('max-depth');
      return admin(config, {
        name: 'websites.add',
        tenant,
        url,
        ...(maxPages !== undefined ? { maxPages } : {}),
        ...(maxDepth !== undefined ? { maxDepth } : {}),
        ...(frequency ? { frequency: frequency as 'manual' | 'daily' | 'weekly' } : {}),
      });
    }
    case 'list':
      return admin(config, { name: 'websites.list', tenant });
    case 'crawl':
    case 'delete': {
      const id = positionals[0];
      if (!id) throw new UsageError(`websites ${subcommand} needs a source ID`);
      return admin(config, {
        name: subcommand === 'crawl' ? 'websites.crawl' : 'websites.delete',
        tenant,
        id,
      });
    }
    default:
      return usage(`Unknown websites command "${subcommand ?? ''}"`);
  }
}

async function knowledgeCommand(
  config: Config,
  subcommand: string | undefined,
  args: string[],
): Promise<number> {
  if (subcommand !== 'reembed' && subcommand !== 'reindex') {
    return usage(`Unknown knowledge command "${subcommand ?? ''}"`);
  }
  let parsed: { values: Record<string, string | boolean | undefined> };
  try {
    parsed = parseArgs({
      args,
      options: { tenant: { type: 'string' }, stale: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const tenant = typeof parsed.values['tenant'] === 'string' ? parsed.values['tenant'] : undefined;
  return admin(config, {
    name: 'knowledge.rebuild',
    ...(tenant ? { tenant } : {}),
    kind: subcommand,
    scope: subcommand === 'reembed' && parsed.values['stale'] ? 'stale' : 'all',
  });
}

function topicsCommand(subcommand: string | undefined, args: string[]): AdminCommand {
  const { values } = parse(args, { tenant: { type: 'string' }, date: { type: 'string' } });
  const tenant = text(values['tenant']);
  const date = text(values['date']);
  // Checked here too, so a typo is reported before the database is opened.
  if (date !== undefined) parseTopicDate(date);
  const day = date !== undefined ? { date } : {};
  if (subcommand === 'run') return { name: 'topics.run', ...(tenant ? { tenant } : {}), ...day };
  if (subcommand === 'show') {
    if (!tenant) throw new UsageError('topics show needs --tenant');
    return { name: 'topics.show', tenant, ...day };
  }
  throw new UsageError(`Unknown topics command "${subcommand ?? ''}"`);
}

function printDayReport(result: Record<string, unknown>): void {
  const run = isRecord(result['run']) ? result['run'] : undefined;
  const { tenant, date } = result;
  if (!run) {
    console.log(
      `No topics computed for ${tenant} on ${date}: run "causette topics run --tenant ${tenant} --date ${date}".`,
    );
    return;
  }
  console.log(
    `Topics of ${tenant} on ${date} (${run['timezone']}): ${run['messageCount']} customer messages, ${run['clusteredCount']} clustered`,
  );
  const topics = records(result['topics']);
  if (topics.length === 0) console.log('  none');
  for (const topic of topics) {
    const keywords = Array.isArray(topic['keywords']) ? topic['keywords'].join(', ') : '';
    console.log(
      `  ${String(topic['topicId']).padStart(3)}  ${Number(topic['percentage']).toFixed(2).padStart(6)}%  ${String(topic['messageCount']).padStart(5)}  ${topic['label'] ?? '(no topic)'}  [${keywords}]`,
    );
  }
  console.log(`Questions the bot could not answer: ${run['unansweredCount']}`);
  for (const group of records(result['unanswered'])) {
    console.log(`  ${String(group['messageCount']).padStart(5)}×  ${group['question']}`);
  }
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tenantCreate(args: string[]): AdminCommand {
  const { values } = parse(args, { slug: { type: 'string' }, name: { type: 'string' } });
  const slug = text(values['slug']);
  const displayName = text(values['name']);
  if (!slug || !displayName) throw new UsageError('tenant create needs --slug and --name');
  return { name: 'tenant.create', slug, displayName };
}

function apiKeyCreate(args: string[]): AdminCommand {
  const { values } = parse(args, { tenant: { type: 'string' }, name: { type: 'string' } });
  const tenant = text(values['tenant']);
  if (!tenant) throw new UsageError('apikey create needs --tenant');
  return { name: 'apikey.create', tenant, label: text(values['name']) ?? 'cli' };
}

function parseWithPositionals(args: string[], options: Record<string, { type: 'string' }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true }) as {
      values: Record<string, string | undefined>;
      positionals: string[];
    };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function accountCommand(
  subcommand: string | undefined,
  args: string[],
  stdin: () => Promise<string>,
): Promise<AdminCommand> {
  if (subcommand === 'list') {
    const { values } = parse(args, { tenant: { type: 'string' } });
    const tenant = text(values['tenant']);
    if (!tenant) throw new UsageError('account list needs --tenant');
    return { name: 'account.list', tenant };
  }
  const platformOf = (value: string | undefined) => {
    if (value !== 'whatsapp' && value !== 'instagram')
      throw new UsageError('--platform must be whatsapp or instagram');
    return value;
  };
  if (subcommand === 'disconnect') {
    const { values } = parse(args, {
      tenant: { type: 'string' },
      platform: { type: 'string' },
      'account-id': { type: 'string' },
    });
    const tenant = text(values['tenant']);
    const accountId = text(values['account-id']);
    if (!tenant || !accountId) {
      throw new UsageError('account disconnect needs --tenant, --platform and --account-id');
    }
    return { name: 'account.disconnect', tenant, platform: platformOf(text(values['platform'])), accountId };
  }
  if (subcommand !== 'connect') throw new UsageError(`Unknown account command "${subcommand ?? ''}"`);
  const { values } = parse(args, {
    tenant: { type: 'string' },
    platform: { type: 'string' },
    'account-id': { type: 'string' },
    token: { type: 'string' },
    username: { type: 'string' },
    login: { type: 'string' },
    'skip-verify': { type: 'boolean' },
  });
  const tenant = text(values['tenant']);
  const accountId = text(values['account-id']);
  let token = text(values['token']);
  if (typeof tenant !== 'string' || typeof accountId !== 'string' || typeof token !== 'string') {
    throw new UsageError('account connect needs --tenant, --platform, --account-id and --token');
  }
  if (!/^[0-9]{1,64}$/.test(accountId))
    throw new UsageError('--account-id must be the numeric id Meta shows');
  // A token on the command line lands in the shell history; "-" reads it from stdin instead.
  if (token === '-') token = (await stdin()).trim();
  if (token.length < 10 || /\s/.test(token))
    throw new UsageError('--token does not look like an access token');
  const login = text(values['login']);
  if (login !== undefined && login !== 'facebook' && login !== 'instagram') {
    throw new UsageError(
      '--login must be facebook (Page or system user token) or instagram (Instagram Login token)',
    );
  }
  const username = text(values['username']);
  return {
    name: 'account.connect',
    tenant,
    platform: platformOf(text(values['platform'])),
    accountId,
    token,
    ...(typeof username === 'string' ? { username } : {}),
    ...(login ? { graphApi: login } : {}),
    verify: values['skip-verify'] !== true,
  };
}

function text(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function parse(args: string[], options: Record<string, { type: 'string' } | { type: 'boolean' }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
