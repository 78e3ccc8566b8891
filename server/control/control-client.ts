import { connect } from 'node:net';
import { Compile } from 'typebox/compile';
import type { AdminCommand, ProgressSink } from '../admin-commands/admin-commands.ts';
import { ControlAnswer, type ControlRequest, ProgressLine } from './control-protocol.ts';

const checkAnswer = Compile(ControlAnswer);
const checkProgress = Compile(ProgressLine);

/**
 * Sends one command to the running server's control socket and returns its answer. With
 * `onProgress`, the server streams the command's progress lines first; the timeout then counts
 * silence, not the whole command, since a crawl may take minutes.
 */
export function sendControlCommand(
  path: string,
  command: AdminCommand,
  options: { timeoutMs?: number; onProgress?: ProgressSink } = {},
): Promise<ControlAnswer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = '';
    let answer: ControlAnswer | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('the running server did not answer in time'));
      }, timeoutMs);
    };
    arm();
    socket.setEncoding('utf8');
    const request: ControlRequest = { command, progress: options.onProgress !== undefined };
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      arm();
      for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (checkProgress.Check(message)) options.onProgress?.(message.progress);
        else if (checkAnswer.Check(message)) answer = message;
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      if (answer) resolve(answer);
      else reject(new Error('the running server sent an unreadable answer'));
    });
  });
}
