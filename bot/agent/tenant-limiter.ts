import Bottleneck from 'bottleneck';

export interface TenantLimiter {
  /** Runs `task` when the tenant has a free slot; rejects at once when too many are waiting. */
  schedule<T>(tenantId: string, task: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** Calls waiting per tenant, per slot, beyond which new ones fail fast (the offline bot answers). */
const QUEUE_PER_SLOT = 25;

/**
 * Limits the LLM calls in flight per tenant, so one busy shop cannot use up the model's rate
 * limit (or a local GPU) for all the others. Idle tenants' limiters are dropped after a while.
 */
export function createTenantLimiter(maxConcurrent: number): TenantLimiter {
  const group = new Bottleneck.Group({
    maxConcurrent,
    highWater: maxConcurrent * QUEUE_PER_SLOT,
    strategy: Bottleneck.strategy.OVERFLOW,
    timeout: 5 * 60_000,
  });
  return {
    schedule: (tenantId, task) => group.key(tenantId).schedule(task),
    async stop() {
      await Promise.all(group.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true })));
    },
  };
}
