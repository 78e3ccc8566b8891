export class BusyError extends Error {
  readonly code = 'CAUSETTE_ERR_BUSY';
  constructor() {
    super('Too much waiting work; try again later');
  }
}

/**
 * Every job starts on a later turn of the event loop, at most `concurrency` of them per turn.
 * Embedded Postgres answers within this thread, so a job started at once from a socket's data
 * callback runs to its end there: a storm of 5,000 hellos was then all done inside one turn, and
 * no timer (heartbeats, deadlines, retries) fired for 15 s.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

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
      await nextTurn();
    }
    try {
      return await job();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next job, on a later turn, so `running` never drops under
      // the queue.
      if (next) setImmediate(next);
      else this.running--;
    }
  }

  get waiting(): number {
    return this.queue.length;
  }
}
