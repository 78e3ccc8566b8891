export class BusyError extends Error {
  readonly code = 'CAUSETTE_ERR_BUSY';
  constructor() {
    super('Too much waiting work; try again later');
  }
}

/**
 * Runs at most `concurrency` jobs at once, in arrival order, and refuses new ones beyond
 * `maxQueued` waiting. It keeps a burst of new sockets (a reconnect storm) from taking every
 * database connection the sockets already chatting need.
 */
export class Limiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
  ) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.queue.length >= this.maxQueued) throw new BusyError();
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next job, so `running` never drops under the queue.
      if (next) next();
      else this.running--;
    }
  }

  get waiting(): number {
    return this.queue.length;
  }
}
