import { DataDirBusyError, lockHolder } from '../../db/data-dir-lock.ts';
import {
  type AdminCommand,
  AdminCommandError,
  type ProgressSink,
  type ResultOf,
  resultOf,
} from '../admin-commands/admin-commands.ts';
import type { Config } from '../config.ts';
import { sendControlCommand } from '../control/control-client.ts';
import { controlSocketPath } from '../control/control-socket-path.ts';
import { createProgressView } from './progress-bar.ts';

/** Where the CLI's admin commands run. */
export interface AdminSession {
  run<C extends AdminCommand>(command: C): Promise<ResultOf<C['name']>>;
  /** Runs the commands one after the other, opening the database once. */
  runAll<C extends AdminCommand>(commands: readonly C[]): Promise<ResultOf<C['name']>[]>;
}

/** Runs one command somewhere and returns what it answered, unchecked. */
export type ExecuteCommand = (command: AdminCommand, onProgress: ProgressSink) => Promise<unknown>;

type RunOne = <C extends AdminCommand>(command: C) => Promise<ResultOf<C['name']>>;
type WithRunner = <T>(work: (run: RunOne) => Promise<T>) => Promise<T>;

/**
 * Runs admin commands where the database is. With embedded Postgres held by a running server they
 * go through its control socket (progress streamed back); otherwise this process opens the
 * database, runs them itself, and closes it again.
 */
export function createAdminSession(config: Config): AdminSession {
  return sessionOf((work) => withRunner(config, work));
}

/** A session that runs every command with `execute` (tests run them against a test database). */
export function adminSessionOf(execute: ExecuteCommand): AdminSession {
  return sessionOf((work) => work(checked(execute)));
}

function sessionOf(withRun: WithRunner): AdminSession {
  return {
    run: (command) => withRun((run) => run(command)),
    runAll: (commands) =>
      withRun(async (run) => {
        const results = [];
        for (const command of commands) results.push(await run(command));
        return results;
      }),
  };
}

async function withRunner<T>(config: Config, work: (run: RunOne) => Promise<T>): Promise<T> {
  const server = await runningServer(config);
  if (server) {
    return work(
      checked(async (command, onProgress) => {
        const answer = await sendControlCommand(server.path, command, {
          timeoutMs: 120_000,
          onProgress,
        }).catch(() => {
          throw new DataDirBusyError(config.dataDir, server.holder);
        });
        if (!answer.ok) throw new AdminCommandError(answer.error);
        return answer.result;
      }),
    );
  }
  // Loaded only now: the knowledge side and the LLM clients take seconds to load, and a usage
  // error or a command sent to a running server need none of it.
  const [{ openCommandServices }, { runAdminCommand }] = await Promise.all([
    import('../services/create-services.ts'),
    import('../admin-commands/run-admin-command.ts'),
  ]);
  const services = await openCommandServices(config);
  try {
    return await work(checked((command, onProgress) => runAdminCommand(services, command, onProgress)));
  } finally {
    await services.close();
  }
}

/** Runs with a progress bar, and checks the answer against the command's result schema. */
function checked(execute: ExecuteCommand): RunOne {
  return async <C extends AdminCommand>(command: C) => {
    const name: C['name'] = command.name;
    const view = createProgressView();
    try {
      return resultOf(name, await execute(command, view.update));
    } finally {
      view.stop();
    }
  };
}

/** The running server that holds the embedded database, if one does. */
async function runningServer(config: Config): Promise<{ path: string; holder: number } | undefined> {
  if (config.databaseUrl) return undefined;
  const holder = await lockHolder(config.dataDir);
  if (holder === undefined) return undefined;
  const path = controlSocketPath(config.dataDir);
  if (!path) throw new DataDirBusyError(config.dataDir, holder);
  return { path, holder };
}
