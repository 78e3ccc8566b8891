import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../db/database.ts';
import { runAdminCommand } from '../admin-commands/run-admin-command.ts';
import { adminSessionOf } from '../cli/admin-session.ts';
import { runCli } from '../cli/run-cli.ts';
import { type CommandServices, openCommandServices } from '../services/create-services.ts';
import { type TestAppOptions, testConfig } from './test-app.ts';

export interface TestCli {
  /** Runs `causette ARGS…` in this process: its exit code, and what it printed (stdout and stderr). */
  run(args: string[], stdin?: string): Promise<{ code: number; output: string }>;
  services: CommandServices;
  close(): Promise<void>;
}

/**
 * The CLI as a user runs it, its commands run against a test database's services: the argument
 * parsing, the output and the exit codes are the real ones, without a process or a data directory
 * per command.
 */
export async function startTestCli(
  database: Database,
  options: Pick<TestAppOptions, 'knowledge' | 'meta'> = {},
): Promise<TestCli> {
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-cli-'));
  const services = await openCommandServices(testConfig(dataDir, options), { database });
  // No progress bar: tests read what is printed, not what is drawn.
  const admin = adminSessionOf((command) => runAdminCommand(services, command, undefined));
  return {
    services,
    async run(args, stdin = '') {
      const lines: string[] = [];
      const { log, error } = console;
      console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
      console.error = console.log;
      try {
        const code = await runCli(args, { CAUSETTE_DATA_DIR: dataDir }, { stdin: async () => stdin, admin });
        return { code, output: lines.join('\n') };
      } finally {
        console.log = log;
        console.error = error;
      }
    },
    close: () => services.close(),
  };
}
