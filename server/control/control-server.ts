import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { Compile } from 'typebox/compile';
import type { Logger } from '../../bot/logger.ts';
import type { CommandContext, ProgressSnapshot } from '../admin-commands/admin-commands.ts';
import { runAdminCommand } from '../admin-commands/run-admin-command.ts';
import { type ControlAnswer, ControlRequest } from './control-protocol.ts';
import { controlSocketPath } from './control-socket-path.ts';

export interface ControlServer {
  close(): Promise<void>;
}

const checkRequest = Compile(ControlRequest);
const MAX_REQUEST_BYTES = 16 * 1024;

/**
 * A Unix socket in the data directory through which the CLI runs admin commands while the server
 * holds the embedded database. Only this user can open it (mode 0600). The messages are in
 * control-protocol.ts.
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
      const progress = (snapshot: ProgressSnapshot) => {
        if (!connection.destroyed) connection.write(`${JSON.stringify({ progress: snapshot })}\n`);
      };
      void answer(line, progress).then((response) => connection.end(`${JSON.stringify(response)}\n`));
    });
  });

  async function answer(
    line: string,
    progress: (snapshot: ProgressSnapshot) => void,
  ): Promise<ControlAnswer> {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      return { ok: false, error: 'not JSON' };
    }
    if (!checkRequest.Check(request)) return { ok: false, error: 'unknown or malformed command' };
    const { command } = request;
    try {
      return {
        ok: true,
        result: await runAdminCommand(options.context, command, request.progress ? progress : undefined),
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
