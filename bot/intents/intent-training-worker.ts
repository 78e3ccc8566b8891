import { parentPort, workerData } from 'node:worker_threads';
import { type IntentExample, trainIntentClassifier } from './intent-classifier.ts';

/** Trains one classifier in this worker thread and posts its state (or why it failed). */
const { examples } = workerData as { examples: IntentExample[] };
try {
  const { state } = trainIntentClassifier(examples);
  parentPort?.postMessage({ ok: true, state });
} catch (error) {
  parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
