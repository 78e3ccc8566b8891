import { type Config, ConfigError, loadConfig } from '../config.ts';
import type { AdminSession } from './admin-session.ts';
import { type CommandGroup, UsageError } from './cli-arguments.ts';
import { migrateCli, startCli } from './server-cli.ts';

// Each command loads what it uses when it runs: the server, the database driver, the knowledge
// side and the LLM clients take seconds to load, and `help` or a usage error should not wait.

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

/** The commands that run the server or its migrations, given the configuration. */
const SERVER_COMMANDS = new Map<string, (config: Config) => Promise<number>>([
  ['start', startCli],
  ['migrate', migrateCli],
]);

/** The groups of data-changing commands, each in its own file. */
const COMMAND_GROUPS = new Map<string, () => Promise<CommandGroup>>([
  ['tenant', async () => (await import('./tenant-cli.ts')).tenantCli],
  ['apikey', async () => (await import('./apikey-cli.ts')).apikeyCli],
  ['account', async () => (await import('./account-cli.ts')).accountCli],
  ['documents', async () => (await import('./documents-cli.ts')).documentsCli],
  ['websites', async () => (await import('./websites-cli.ts')).websitesCli],
  ['knowledge', async () => (await import('./knowledge-cli.ts')).knowledgeCli],
  ['topics', async () => (await import('./topics-cli.ts')).topicsCli],
]);

const HELP = new Set(['help', '--help', '-h']);

export interface CliIo {
  stdin?: (() => Promise<string>) | undefined;
  /** Where admin commands run (tests); by default wherever the configured database is. */
  admin?: AdminSession | undefined;
}

/** Runs one CLI invocation and returns the process exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo = {}): Promise<number> {
  const [command, subcommand, ...rest] = argv;
  if (command === undefined || HELP.has(command)) {
    console.log(USAGE);
    return 0;
  }
  try {
    const server = SERVER_COMMANDS.get(command);
    if (server) return await server(loadConfig(env));
    const loadGroup = COMMAND_GROUPS.get(command);
    if (!loadGroup) return usage(`Unknown command "${command}"`);
    const config = loadConfig(env);
    const [group, { createAdminSession }] = await Promise.all([loadGroup(), import('./admin-session.ts')]);
    return await group(subcommand, rest, {
      admin: io.admin ?? createAdminSession(config),
      stdin: io.stdin ?? readStdin,
    });
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    // Coded errors are the expected refusals (a taken slug, a busy data directory, a bad value):
    // the message is for the user, a stack trace would only hide it.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CAUSETTE_ERR_')) {
      console.error(error.message);
      return error instanceof ConfigError ? 2 : 1;
    }
    throw error;
  }
}

function usage(problem: string): number {
  console.error(`${problem}\n\n${USAGE}`);
  return 2;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
