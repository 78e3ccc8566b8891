import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface DataDirLock {
  release(): Promise<void>;
}

/** Thrown when another live process already has the embedded database open. */
export class DataDirBusyError extends Error {
  readonly code = 'CAUSETTE_ERR_DATA_DIR_BUSY';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Causette process (pid ${pid}). ` +
        'Embedded Postgres allows one process at a time: stop that process, or run this command ' +
        'while it runs so that it goes through it.',
    );
  }
}

export const LOCK_FILE = 'causette.pid';

/**
 * Takes the data directory for this process by creating a pid file exclusively. A pid file left
 * by a process that no longer runs is stale and is replaced.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await lockHolder(dataDir);
      if (holder !== undefined) throw new DataDirBusyError(dataDir, holder);
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`);
}

/** The pid of the live process holding the data directory, if any. */
export async function lockHolder(dataDir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, LOCK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return pid;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; it still holds the lock.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
