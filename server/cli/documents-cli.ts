import { resolve } from 'node:path';
import type { ResultOf } from '../admin-commands/admin-commands.ts';
import { type CommandGroup, parseOptions, UsageError } from './cli-arguments.ts';

/** `causette documents add|list|reprocess|delete`: a tenant's documents. */
export const documentsCli: CommandGroup = async (subcommand, args, { admin }) => {
  const { values, positionals } = parseOptions(
    args,
    { tenant: { type: 'string' }, description: { type: 'string' } },
    true,
  );
  const { tenant } = values;
  if (!tenant) throw new UsageError(`documents ${subcommand ?? ''} needs --tenant`);
  switch (subcommand) {
    case 'add': {
      if (positionals.length === 0) throw new UsageError('documents add needs at least one FILE');
      const results = await admin.runAll(
        positionals.map((file) => ({
          name: 'documents.add' as const,
          tenant,
          path: resolve(file),
          description: values.description || undefined,
        })),
      );
      return Math.max(...results.map(printIndexing));
    }
    case 'list': {
      const { documents } = await admin.run({ name: 'documents.list', tenant });
      if (documents.length === 0) console.log('No documents.');
      for (const d of documents) {
        printRow(d.id, d.status, `${String(d.chunkCount).padStart(5)} chunks  ${d.filename}`, d.error);
      }
      return 0;
    }
    case 'reprocess':
      return printIndexing(await admin.run({ name: 'documents.reprocess', tenant, id: idOf(positionals) }));
    case 'delete': {
      const { id } = await admin.run({ name: 'documents.delete', tenant, id: idOf(positionals) });
      console.log(`Deleted document ${id} and its chunks.`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown documents command "${subcommand ?? ''}"`);
  }

  function idOf(given: string[]): string {
    const [id] = given;
    if (!id) throw new UsageError(`documents ${subcommand} needs a document ID`);
    return id;
  }
};

/** One line per indexing job: chunks indexed, or why it failed (exit code 1). */
export function printIndexing(result: ResultOf<'documents.add'>): number {
  if (result.status !== 'succeeded') {
    console.error(`${result.filename}: failed: ${result.error}`);
    return 1;
  }
  console.log(`${result.filename}: ${result.chunks} chunks indexed`);
  return 0;
}

/** A row of a documents or websites listing. */
export function printRow(id: string, status: string, counts: string, error: string | null): void {
  console.log(`${id}  ${status.padEnd(9)} ${counts}${error ? `  ${error}` : ''}`);
}
