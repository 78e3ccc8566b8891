import { Worker } from 'node:worker_threads';
import {
  classifierFromState,
  type IntentClassifier,
  type IntentExample,
  type IntentModelState,
} from './intent-classifier.ts';

export interface TrainingLimits {
  timeoutMs: number;
  /** Heap the training may use before it is stopped. */
  maxMemoryMb: number;
}

/** A tenant's few hundred examples train in about a second; a server's largest allowed set in a minute. */
export const DEFAULT_TRAINING_LIMITS: TrainingLimits = { timeoutMs: 300_000, maxMemoryMb: 1024 };

const workerUrl = new URL('./intent-training-worker-boot.mjs', import.meta.url);

/**
 * Trains an intent classifier in a worker thread, off the event loop: a tenant saving its intents
 * must not stall every conversation the process serves for the seconds training takes. The
 * worker has its own memory limit and a deadline; the trained model comes back as plain data.
 */
export function trainInWorker(
  examples: readonly IntentExample[],
  limits: TrainingLimits = DEFAULT_TRAINING_LIMITS,
): Promise<IntentClassifier> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, {
      workerData: { examples },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: 64 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`intent training took longer than ${limits.timeoutMs} ms`))),
      limits.timeoutMs,
    );
    worker.on('message', (message: { ok: true; state: IntentModelState } | { ok: false; error: string }) =>
      finish(() =>
        message.ok ? resolve(classifierFromState(message.state)) : reject(new Error(message.error)),
      ),
    );
    worker.on('error', (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new Error(`intent training needed more than ${limits.maxMemoryMb} MB of memory`)
            : error,
        ),
      ),
    );
    worker.on('exit', (code) => finish(() => reject(new Error(`intent training stopped with code ${code}`))));
  });
}
