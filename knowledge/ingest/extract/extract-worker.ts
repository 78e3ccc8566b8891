import { parentPort, workerData } from 'node:worker_threads';
import type { DocumentFormat } from './document-format.ts';
import { extractDocument } from './extract-document.ts';
import { readableError } from './extraction-error.ts';

/** Runs one extraction in this worker thread and posts its outcome. */
const { format, bytes } = workerData as { format: DocumentFormat; bytes: Uint8Array };
try {
  parentPort?.postMessage({ ok: true, result: await extractDocument(format, bytes) });
} catch (error) {
  parentPort?.postMessage({ ok: false, error: readableError(error) });
}
