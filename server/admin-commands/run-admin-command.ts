import { accountCommands } from './account-commands.ts';
import type {
  AdminCommandName,
  CommandContext,
  CommandOf,
  CommandRunners,
  ProgressSink,
  ResultOf,
} from './admin-commands.ts';
import { knowledgeCommands } from './knowledge-commands.ts';
import { tenantCommands } from './tenant-commands.ts';
import { topicCommands } from './topic-commands.ts';

const runners: CommandRunners<AdminCommandName> = {
  ...tenantCommands,
  ...accountCommands,
  ...knowledgeCommands,
  ...topicCommands,
};

/** Runs one admin command in this process, against its services. */
export function runAdminCommand<N extends AdminCommandName>(
  context: CommandContext,
  command: CommandOf<N> & { name: N },
  onProgress?: ProgressSink,
): Promise<ResultOf<N>> {
  const run: CommandRunners<AdminCommandName>[N] = runners[command.name];
  return run(context, command, onProgress);
}
