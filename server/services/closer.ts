/** Something to undo: stop a worker, close a connection. */
export type CloseFunction = () => unknown;

/**
 * A stack of close functions, run last-registered first, so that what was opened last closes
 * first: the app before the bot it calls, the bot before the database it writes to. Startup
 * failure unwinds the same stack. (Node 20 has no `AsyncDisposableStack`.)
 */
export class Closer {
  readonly #stack: CloseFunction[] = [];
  #closing: Promise<void> | undefined;

  /** Registers what undoes the step just taken. */
  defer(close: CloseFunction): void {
    if (this.#closing) throw new Error('cannot defer a close function once closing has begun');
    this.#stack.push(close);
  }

  /**
   * Runs every close function once, in reverse order; one that fails does not keep the others
   * from running, and its error is thrown once all have run. Later calls wait for the same run.
   */
  close(): Promise<void> {
    this.#closing ??= this.#unwind();
    return this.#closing;
  }

  /** Closes what a failed start opened, then throws the start's error. */
  async fail(error: unknown): Promise<never> {
    try {
      await this.close();
    } catch (closeError) {
      throw new AggregateError([error, closeError], 'starting failed, and so did closing what had started');
    }
    throw error;
  }

  async #unwind(): Promise<void> {
    const errors: unknown[] = [];
    for (let close = this.#stack.pop(); close; close = this.#stack.pop()) {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several close functions failed');
  }
}
