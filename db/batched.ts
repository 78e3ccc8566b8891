export interface BatchedOptions {
  /** Items that arrive beyond this many wait for the next batch. */
  maxBatch?: number;
  /** Batches that may be under way at once (each holds a connection of the pool). */
  parallel?: number;
}

/**
 * Database work done in batches, as a group commit does: items that arrive while a batch is under
 * way are handled together by the next one, so a burst costs a few transactions rather than one
 * per item, and nothing waits on a timer (an item that arrives alone goes at once). `run` handles
 * a batch all or nothing and returns one result per item, in order. Should a batch fail, each of
 * its items is tried again on its own, so that one bad item (a constraint it breaks, a deadlock
 * it was caught in) fails alone.
 */
export function batched<I, O>(
  run: (items: I[]) => Promise<O[]>,
  options: BatchedOptions = {},
): (item: I) => Promise<O> {
  const maxBatch = options.maxBatch ?? 256;
  const parallel = options.parallel ?? 2;
  type Waiting = { item: I; resolve: (result: O) => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  let flushing = 0;

  async function alone(waiting: Waiting): Promise<void> {
    try {
      const [result] = await run([waiting.item]);
      waiting.resolve(result as O);
    } catch (error) {
      waiting.reject(error);
    }
  }

  async function flush(): Promise<void> {
    flushing++;
    try {
      while (queue.length > 0) {
        const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
        queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
        if (batch.length === 1) {
          await alone(batch[0]!);
          continue;
        }
        let results: O[];
        try {
          results = await run(batch.map((waiting) => waiting.item));
        } catch {
          for (const waiting of batch) await alone(waiting);
          continue;
        }
        for (const [i, waiting] of batch.entries()) waiting.resolve(results[i] as O);
      }
    } finally {
      flushing--;
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (flushing < parallel) void flush();
    });
}

/** Splits items by a key (a tenant), keeping each one's position, to write each group apart. */
export async function byGroup<I, O>(
  items: I[],
  keyOf: (item: I) => string,
  write: (key: string, group: I[]) => Promise<O[]>,
): Promise<O[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    const positions = groups.get(key);
    if (positions) positions.push(i);
    else groups.set(key, [i]);
  });
  const results = new Array<O>(items.length);
  await Promise.all(
    [...groups].map(async ([key, positions]) => {
      const written = await write(
        key,
        positions.map((i) => items[i]!),
      );
      positions.forEach((position, j) => {
        results[position] = written[j] as O;
      });
    }),
  );
  return results;
}

/**
 * Items meant for one key (a transaction) gathered until the event loop's current turn ends, then
 * handled together: callers that each start the same kind of work in one transaction at about
 * the same moment (the turns answered in the transaction that stored their messages) share one
 * set of statements. `run` returns one result per item, in order; should it fail, every item of
 * the gathering fails with it (in a transaction, one failed statement fails all that follow).
 */
export function gathered<K, I, O>(
  run: (key: K, items: I[]) => Promise<O[]>,
): (key: K, item: I) => Promise<O> {
  type Waiting = { item: I; resolve: (result: O) => void; reject: (error: unknown) => void };
  const pending = new Map<K, Waiting[]>();
  return (key, item) =>
    new Promise<O>((resolve, reject) => {
      const waiting = pending.get(key);
      if (waiting) {
        waiting.push({ item, resolve, reject });
        return;
      }
      const gathering: Waiting[] = [{ item, resolve, reject }];
      pending.set(key, gathering);
      setImmediate(() => {
        pending.delete(key);
        const items = gathering.map((w) => w.item);
        (async () => run(key, items))().then(
          (results) => {
            for (const [i, w] of gathering.entries()) w.resolve(results[i] as O);
          },
          (error: unknown) => {
            for (const w of gathering) w.reject(error);
          },
        );
      });
    });
}
