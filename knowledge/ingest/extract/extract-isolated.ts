import { Worker } from 'node:worker_threads';
import type { DocumentFormat } from './document-format.ts';
import type { ExtractedText } from './extract-html.ts';
import { ExtractionError } from './extraction-error.ts';

export interface IsolationLimits {
  timeoutMs: number;
  /** Heap the extraction may use before it is stopped. */
  maxMemoryMb: number;
}

export const DEFAULT_ISOLATION: IsolationLimits = { timeoutMs: 120_000, maxMemoryMb: 768 };

const workerUrl = new URL('./extract-worker-boot.mjs', import.meta.url);

/**
 * Extracts a document in a worker thread with its own memory limit and a deadline, so a
 * malicious or pathological file (a PDF that loops, an archive that expands without end) costs
 * the worker, never the server.
 */
export function extractIsolated(
  format: DocumentFormat,
  bytes: Uint8Array,
  limits: IsolationLimits = DEFAULT_ISOLATION,
  signal?: AbortSignal,
): Promise<ExtractedText> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, {
      workerData: { format, bytes },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: 64 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new ExtractionError(
              `Reading the file took longer than ${Math.round(limits.timeoutMs / 1000)} s; it was stopped.`,
            ),
          ),
        ),
      limits.timeoutMs,
    );
    const onAbort = () => finish(() => reject(signal?.reason ?? new Error('aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: { ok: true; result: ExtractedText } | { ok: false; error: string }) =>
      finish(() => (message.ok ? resolve(message.result) : reject(new ExtractionError(message.error)))),
    );
    worker.on('error', (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          new ExtractionError(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `Reading the file needed more than ${limits.maxMemoryMb} MB of memory; it was stopped.`
              : `The file could not be read: ${error.message.slice(0, 200)}`,
          ),
        ),
      ),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(new ExtractionError(`The file could not be read (the reader stopped with code ${code}).`)),
      ),
    );
  });
}
