import { type CommandGroup, parseOptions, UsageError } from './cli-arguments.ts';
import { printIndexing, printRow } from './documents-cli.ts';

const FREQUENCIES = ['manual', 'daily', 'weekly'] as const;

/** `causette websites add|list|crawl|delete`: a tenant's crawled websites. */
export const websitesCli: CommandGroup = async (subcommand, args, { admin }) => {
  const { values, positionals } = parseOptions(
    args,
    {
      tenant: { type: 'string' },
      'max-pages': { type: 'string' },
      'max-depth': { type: 'string' },
      frequency: { type: 'string' },
    },
    true,
  );
  const { tenant } = values;
  if (!tenant) throw new UsageError(`websites ${subcommand ?? ''} needs --tenant`);
  const idOf = () => {
    const [id] = positionals;
    if (!id) throw new UsageError(`websites ${subcommand} needs a source ID`);
    return id;
  };
  switch (subcommand) {
    case 'add': {
      const [url] = positionals;
      if (!url) throw new UsageError('websites add needs a URL');
      const frequency = FREQUENCIES.find((known) => known === values.frequency);
      if (values.frequency !== undefined && !frequency) {
        throw new UsageError('--frequency must be manual, daily or weekly');
      }
      const maxPages = wholeNumber(values['max-pages'], 'max-pages');
      const maxDepth = wholeNumber(values['max-depth'], 'max-depth');
      return printIndexing(
        await admin.run({ name: 'websites.add', tenant, url, maxPages, maxDepth, frequency }),
      );
    }
    case 'list': {
      const { sources } = await admin.run({ name: 'websites.list', tenant });
      if (sources.length === 0) console.log('No website sources.');
      for (const s of sources) {
        printRow(s.id, s.status, `${String(s.pagesCrawled).padStart(5)} pages  ${s.baseUrl}`, s.error);
      }
      return 0;
    }
    case 'crawl':
      return printIndexing(await admin.run({ name: 'websites.crawl', tenant, id: idOf() }));
    case 'delete': {
      const { id } = await admin.run({ name: 'websites.delete', tenant, id: idOf() });
      console.log(`Deleted website source ${id}, its pages and chunks.`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown websites command "${subcommand ?? ''}"`);
  }
};

function wholeNumber(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number`);
  return Number(raw);
}
