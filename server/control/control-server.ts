import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { Compile } from 'typebox/compile';
import type { Logger } from '../../bot/logger.ts';
import { AdminCommand, type CommandContext, runAdminCommand } from '../cli/admin-commands.ts';
import { controlSocketPath } from './control-socket-path.ts';

export interface ControlServer {
  close(): Promise<void>;
}

const checkCommand = Compile(AdminCommand);
const MAX_REQUEST_BYTES = 16 * 1024;

/**
 * A Unix socket in the data directory through which the CLI runs admin commands while the server
 * holds the embedded database. Only this user can open it (mode 0600). One JSON line in; out, for
 * a request with `"progress": true`, any number of `{"progress": {...}}` lines while a long
 * command runs, then one answer line `{"ok": ...}`.
 */
export async function startControlServer(options: {
  dataDir: string;
  log: Logger;
  /** What the commands run against: the running server's services. */
  context: CommandContext;
}): Promise<ControlServer | undefined> {
  const path = controlSocketPath(options.dataDir);
  if (!path) {
    options.log.warn({ dataDir: options.dataDir }, 'data directory path too long for a control socket');
    return undefined;
  }
  // We hold the data directory's lock, so a socket file left here is from a dead process.
  await rm(path, { force: true });
  const server: Server = createServer((connection) => {
    let buffer = '';
    connection.setEncoding('utf8');
    connection.on('error', () => connection.destroy());
    connection.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) {
        connection.end(`${JSON.stringify({ ok: false, error: 'request too large' })}\n`);
        return;
      }
      const newline = buffer.indexOf('\n');
      if (newline === -1) return;
      const line = buffer.slice(0, newline);
      buffer = '';
      const progress = (snapshot: unknown) => {
        if (!connection.destroyed) connection.write(`${JSON.stringify({ progress: snapshot })}\n`);
      };
      void answer(line, progress).then((response) => connection.end(`${JSON.stringify(response)}\n`));
    });
  });

  async function answer(
    line: string,
    progress: (snapshot: unknown) => void,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      return { ok: false, error: 'not JSON' };
    }
    const wantsProgress =
      typeof request === 'object' &&
      request !== null &&
      (request as { progress?: unknown }).progress === true;
    const command =
      typeof request === 'object' && request !== null ? { ...(request as Record<string, unknown>) } : request;
    if (typeof command === 'object' && command !== null) delete (command as { progress?: unknown }).progress;
    if (!checkCommand.Check(command)) return { ok: false, error: 'unknown or malformed command' };
    try {
      return {
        ok: true,
        result: await runAdminCommand(options.context, command, wantsProgress ? progress : undefined),
      };
    } catch (error) {
      options.log.info({ err: error, command: command.name }, 'control command failed');
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        void rm(path, { force: true });
      }),
  };
}
