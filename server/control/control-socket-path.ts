import { join } from 'node:path';

/** Unix socket paths are limited to about 104 bytes on the platforms Node supports. */
const MAX_SOCKET_PATH = 100;

/** Where the control socket of a data directory lives, or undefined when the path is too long. */
export function controlSocketPath(dataDir: string): string | undefined {
  const path = join(dataDir, 'control.sock');
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH ? path : undefined;
}
