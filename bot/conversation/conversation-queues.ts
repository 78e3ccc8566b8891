/**
 * Work of one conversation run one after another, in the order it was queued; the conversations
 * run side by side. A failure is reported to `failed` and does not stop the work queued after it.
 */
export class ConversationQueues {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly failed: (error: unknown, conversationId: string) => void) {}

  /** Whether work of the conversation is queued or running. */
  has(conversationId: string): boolean {
    return this.tails.has(conversationId);
  }

  run(conversationId: string, work: () => Promise<void>): void {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const settled = previous.then(work).catch((error: unknown) => this.failed(error, conversationId));
    this.tails.set(conversationId, settled);
    this.inFlight.add(settled);
    void settled.finally(() => {
      this.inFlight.delete(settled);
      if (this.tails.get(conversationId) === settled) this.tails.delete(conversationId);
    });
  }

  /** Resolves once all the work queued so far, and the work it queued meanwhile, is done. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
