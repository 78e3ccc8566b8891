import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  type IntentExample,
  OUT_OF_SCOPE,
  trainIntentClassifier,
} from '../../bot/intents/intent-classifier.ts';
import { intentMetrics, percentile } from '../../bot/intents/intent-metrics.ts';
import { mulberry32, shuffle } from '../../bot/intents/softmax-regression.ts';

const USAGE = `Usage: npm run bench:intent -- --train FILE (--test FILE | --split FRACTION) [--seed N]
         [--without-oos] [--unknown-intents FRACTION]

  --train FILE       JSON Lines {"text","intent"} to train on ("oos" marks out-of-scope)
  --test FILE        JSON Lines to evaluate on
  --split FRACTION   instead of --test: hold out this share of the train file (stratified)
  --seed N           seed of the --split (default 42)
  --test-part A|B    evaluate on one half of the test file only (stratified, seeded by --seed):
                     tune on one half, report the other as held out
  --without-oos      train without the out-of-scope rows, as a tenant's own intents are
  --unknown-intents FRACTION
                     the open-intent protocol: this share of the intents (chosen by --seed) is
                     left out of training, and their test rows count as out of scope

Prints the figures, then one JSON object on the last line.`;

/**
 * Trains the offline intent classifier on one file and measures it on another (or on a seeded,
 * stratified split of the same file). Latency is per message, classification only.
 */
async function main(argv: string[]): Promise<number> {
  let values: {
    train?: string;
    test?: string;
    split?: string;
    seed?: string;
    'test-part'?: string;
    'without-oos'?: boolean;
    'unknown-intents'?: string;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        train: { type: 'string' },
        test: { type: 'string' },
        split: { type: 'string' },
        seed: { type: 'string' },
        'test-part': { type: 'string' },
        'without-oos': { type: 'boolean' },
        'unknown-intents': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!values.train || (!values.test && !values.split)) {
    console.error(USAGE);
    return 2;
  }
  let train = await readJsonLines(values.train);
  let test: IntentExample[];
  if (values.test) {
    test = await readJsonLines(values.test);
    const part = values['test-part'];
    if (part !== undefined) {
      if (part !== 'A' && part !== 'B') {
        console.error(`--test-part must be A or B (got "${part}")`);
        return 2;
      }
      const [b, a] = stratifiedSplit(test, 0.5, Number(values.seed ?? 42));
      test = part === 'A' ? a : b;
    }
  } else {
    const fraction = Number(values.split);
    if (!(fraction > 0 && fraction < 1)) {
      console.error(`--split must be a fraction between 0 and 1 (got "${values.split}")`);
      return 2;
    }
    [train, test] = stratifiedSplit(train, fraction, Number(values.seed ?? 42));
  }

  if (values['without-oos']) train = train.filter((example) => example.intent !== OUT_OF_SCOPE);
  if (values['unknown-intents'] !== undefined) {
    const fraction = Number(values['unknown-intents']);
    if (!(fraction > 0 && fraction < 1)) {
      console.error(
        `--unknown-intents must be a fraction between 0 and 1 (got "${values['unknown-intents']}")`,
      );
      return 2;
    }
    const unknown = chooseUnknownIntents(train, fraction, Number(values.seed ?? 42));
    train = train.filter((example) => !unknown.has(example.intent));
    test = test.map((example) =>
      unknown.has(example.intent) ? { text: example.text, intent: OUT_OF_SCOPE } : example,
    );
    console.log(`unknown intents (${unknown.size}): ${[...unknown].sort().join(', ')}`);
  }

  const started = performance.now();
  const classifier = trainIntentClassifier(train);
  const trainMs = performance.now() - started;

  // A first pass warms up the JIT so that the timed pass measures steady-state latency.
  for (const example of test.slice(0, 200)) classifier.classify(example.text);
  const latencies: number[] = [];
  const pairs = test.map((example) => {
    const t0 = performance.now();
    const { intent } = classifier.classify(example.text);
    latencies.push(performance.now() - t0);
    return { expected: example.intent, predicted: intent };
  });
  latencies.sort((a, b) => a - b);
  const metrics = intentMetrics(pairs);
  const result = {
    ...metrics,
    train_ms: Math.round(trainMs),
    p50_ms: round3(percentile(latencies, 0.5)),
    p95_ms: round3(percentile(latencies, 0.95)),
  };
  const inScope = test.filter((e) => e.intent !== OUT_OF_SCOPE).length;
  console.log(
    `train ${train.length} examples, ${classifier.intents.length} labels; test ${test.length} (${inScope} in scope, ${test.length - inScope} out of scope)`,
  );
  console.log(
    `calibration: temperature ${classifier.calibration.temperature.toFixed(3)}, out-of-scope threshold ${classifier.calibration.oosThreshold}`,
  );
  console.log(`accuracy             ${metrics.accuracy.toFixed(2)} %`);
  console.log(`in-scope accuracy    ${metrics.in_scope_accuracy.toFixed(2)} %`);
  console.log(`out-of-scope recall  ${metrics.oos_recall.toFixed(2)} %`);
  console.log(`out-of-scope prec.   ${metrics.oos_precision.toFixed(2)} %`);
  console.log(`macro-F1             ${metrics.macro_f1.toFixed(2)} %`);
  console.log(`training time        ${result.train_ms} ms`);
  console.log(`latency p50 / p95    ${result.p50_ms} / ${result.p95_ms} ms`);
  console.log(JSON.stringify(result));
  return 0;
}

async function readJsonLines(path: string): Promise<IntentExample[]> {
  const examples: IntentExample[] = [];
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const row: unknown = JSON.parse(line);
    if (
      typeof row !== 'object' ||
      row === null ||
      typeof (row as Record<string, unknown>)['text'] !== 'string' ||
      typeof (row as Record<string, unknown>)['intent'] !== 'string'
    ) {
      throw new Error(`${path}:${i + 1}: expected {"text": string, "intent": string}`);
    }
    const { text, intent } = row as { text: string; intent: string };
    examples.push({ text, intent });
  });
  return examples;
}

/** Holds out `fraction` of each label's examples, chosen by a seeded shuffle. */
export function stratifiedSplit(
  examples: readonly IntentExample[],
  fraction: number,
  seed: number,
): [IntentExample[], IntentExample[]] {
  const byIntent = new Map<string, IntentExample[]>();
  for (const example of examples) {
    const group = byIntent.get(example.intent) ?? [];
    group.push(example);
    byIntent.set(example.intent, group);
  }
  const random = mulberry32(seed);
  const train: IntentExample[] = [];
  const test: IntentExample[] = [];
  for (const intent of [...byIntent.keys()].sort()) {
    const group = [...byIntent.get(intent)!];
    shuffle(group, random);
    const held = Math.round(group.length * fraction);
    test.push(...group.slice(0, held));
    train.push(...group.slice(held));
  }
  return [train, test];
}

/** A seeded choice of `fraction` of the in-scope intents, to be treated as never seen. */
function chooseUnknownIntents(
  examples: readonly IntentExample[],
  fraction: number,
  seed: number,
): Set<string> {
  const intents = [...new Set(examples.map((e) => e.intent))].filter((i) => i !== OUT_OF_SCOPE).sort();
  shuffle(intents, mulberry32(seed + 7));
  return new Set(intents.slice(0, Math.round(intents.length * fraction)));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

process.exitCode = await main(process.argv.slice(2));
