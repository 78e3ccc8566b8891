import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { KnowledgeLogger } from '../knowledge-logger.ts';
import type { LexicalIndexCache } from './lexical-index-cache.ts';

/**
 * Loads the tenants' lexical indexes one after the other, in the background of a server start:
 * otherwise the first visitor of each tenant after a restart waits for the load (from a
 * snapshot when there is one, from the database otherwise). Stops when the cache is full or
 * `signal` aborts. Returns the tenants loaded.
 */
export async function warmLexicalIndexes(options: {
  db: Db;
  cache: LexicalIndexCache;
  tenantIds: string[];
  signal?: AbortSignal;
  log?: KnowledgeLogger;
}): Promise<number> {
  const { db, cache, log } = options;
  let loaded = 0;
  for (const tenantId of options.tenantIds) {
    if (options.signal?.aborted || cache.full) break;
    const start = performance.now();
    try {
      const index = await withTenant(db, tenantId, (tx) => cache.warm(tx, tenantId));
      loaded += 1;
      log?.info(
        { tenantId, chunks: index.size, ms: Math.round(performance.now() - start) },
        'lexical index loaded',
      );
    } catch (error) {
      // Not fatal: the tenant's first question loads it instead.
      if (options.signal?.aborted) break;
      log?.warn({ err: error, tenantId }, 'could not load the lexical index ahead of use');
    }
  }
  return loaded;
}
