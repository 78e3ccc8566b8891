import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { AdminSession } from './admin-session.ts';

/** A mistake in the command line: reported with the usage text, and exit code 2. */
export class UsageError extends Error {}

/** What a command group gets besides its arguments. */
export interface CliContext {
  /** Runs admin commands where the database is: in this process, or in the running server. */
  admin: AdminSession;
  stdin(): Promise<string>;
}

/** One command group (`causette documents …`): parses its arguments, runs, prints; returns the exit code. */
export type CommandGroup = (
  subcommand: string | undefined,
  args: string[],
  cli: CliContext,
) => Promise<number>;

/** The options of a command line, parsed strictly by node:util; its refusals become usage errors. */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The value of a required option, or a usage error saying what the command needs. */
export function required(value: string | undefined, problem: string): string {
  if (!value) throw new UsageError(problem);
  return value;
}
