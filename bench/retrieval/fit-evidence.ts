import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { abstentionFigures, evidenceProbability, fitEvidence } from './abstention.ts';

const USAGE = `Usage: node --import tsx bench/retrieval/fit-evidence.ts --samples FILE [--samples FILE…]

Fits one evidence model (HYBRID_EVIDENCE in knowledge/retrieve/hybrid-retriever.ts) on half A of
every set's samples, each set counting alike whatever its size (abstention precision >= 0.85
over them), and reports every set's halves A (fitted on) and B (held out). The sample files are
written by npm run bench:retrieval -- --leave-gold-out --samples-out FILE.`;

const SampleFile = Type.Object({
  name: Type.String(),
  samples: Type.Array(
    Type.Object({
      index: Type.Number(),
      answerable: Type.Boolean(),
      score: Type.Number(),
      features: Type.Optional(Type.Array(Type.Number())),
      half: Type.Union([Type.Literal('A'), Type.Literal('B')]),
    }),
  ),
});
const checkFile = Compile(SampleFile);

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { samples: { type: 'string', multiple: true } } });
  if (!values.samples?.length) {
    console.error(USAGE);
    return 2;
  }
  const sets = [];
  for (const path of values.samples) {
    const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (!checkFile.Check(raw)) {
      console.error(`${path} is not a sample file.\n\n${USAGE}`);
      return 2;
    }
    sets.push(raw);
  }
  const halfA = sets.flatMap((set) =>
    set.samples.filter((s) => s.half === 'A').map((s) => ({ ...s, set: set.name })),
  );
  const sizeOf = new Map(sets.map((set) => [set.name, set.samples.filter((s) => s.half === 'A').length]));
  const evidence = fitEvidence(halfA, 0.85, (sample) => 1 / (sizeOf.get(sample.set) ?? 1));
  const report = sets.map((set) => {
    const figures = (half: 'A' | 'B') =>
      abstentionFigures(
        set.samples
          .filter((s) => s.half === half)
          .map((s) => ({ ...s, score: evidenceProbability(evidence, s.features) })),
        evidence.cut,
      );
    return { set: set.name, A: figures('A'), B: figures('B') };
  });
  for (const r of report) {
    console.log(
      `${r.set}\n  half A (fitted on) ${JSON.stringify(r.A)}\n  half B (held out)  ${JSON.stringify(r.B)}`,
    );
  }
  console.log(JSON.stringify({ evidence, report }));
  return 0;
}

process.exitCode = await main();
