import { describe, expect, it } from 'vitest';
import { DEFAULT_INTENTS } from './default-intents.ts';
import { trainIntentClassifier } from './intent-classifier.ts';
import { trainInWorker } from './train-in-worker.ts';

const EXAMPLES = DEFAULT_INTENTS.flatMap((intent) =>
  intent.examples.en.map((text) => ({ text, intent: intent.name })),
);

describe('training in a worker thread', () => {
  it('gives the model trained in the process, while the event loop keeps turning', async () => {
    let turns = 0;
    const ticking = setInterval(() => {
      turns += 1;
    }, 0);
    const trained = await trainInWorker(EXAMPLES).finally(() => clearInterval(ticking));
    // Timers fired while the worker trained: the thread was never held for the whole training.
    expect(turns).toBeGreaterThan(1);
    const inline = trainIntentClassifier(EXAMPLES);
    expect(trained.calibration).toEqual(inline.calibration);
    for (const text of ['where is my order?', 'hello', 'tell me a joke']) {
      expect(trained.classify(text)).toEqual(inline.classify(text));
    }
  });

  it('rejects with the reason when training fails', async () => {
    await expect(trainInWorker([])).rejects.toThrow(/needs examples/);
  });

  it('stops a training that runs past its deadline', async () => {
    await expect(trainInWorker(EXAMPLES, { timeoutMs: 1, maxMemoryMb: 256 })).rejects.toThrow(
      /longer than 1 ms/,
    );
  });
});
