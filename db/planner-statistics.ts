import { sql } from 'drizzle-orm';
import { type Database, queryRows } from './database.ts';

/** What maintenance needs: the app's connection to read statistics, the owner's to act on them. */
export type Maintained = Pick<Database, 'db' | 'maintain'>;

/** The tables whose statistics retrieval's plans depend on. */
export const KNOWLEDGE_TABLES = ['knowledge_chunks', 'knowledge_terms'] as const;

/** Autovacuum's default thresholds: 50 rows plus this share of the table. */
const ANALYZE_SHARE = 0.1;
const VACUUM_SHARE = 0.2;

export interface MaintenanceOptions {
  /** Only these tables (default: every table of the schema). */
  tables?: readonly string[];
  /**
   * Gathers a table's statistics again only once it holds this many times the rows they counted
   * (beyond 50), whatever was updated meanwhile; without it, autovacuum's rule: once a tenth of
   * the table changed, updated rows included.
   */
  analyzeOnGrowth?: number;
  /** Also vacuums tables with enough dead rows: embedded Postgres has no autovacuum to do it. */
  vacuum?: boolean;
}

/**
 * Does what autovacuum would for the tables that need it now: gathers the planner's statistics
 * again once a table changed by more than a tenth since they were gathered (or grew, with
 * `analyzeOnGrowth`), and, with `vacuum`,
 * reclaims dead rows once they are a fifth of it. Embedded Postgres runs no autovacuum at all, and
 * a real one gets to a table only after a while: until then a table that grew from nothing is
 * planned as if it were empty, and a lookup by key turns into a walk of the whole tenant's rows.
 * The statistics are read through the app's connection; only when a table needs work is a
 * connection with the owner's rights opened (`maintain`). Returns the tables it analysed.
 */
export async function refreshPlannerStatistics(
  database: Maintained,
  options: MaintenanceOptions = {},
): Promise<string[]> {
  const filter = options.tables
    ? sql`and s.relname in (${sql.join(
        options.tables.map((table) => sql`${table}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await queryRows<{
    table: string;
    changed: number | string;
    dead: number | string;
    live: number | string;
    counted: number | string;
  }>(
    database.db,
    sql`select s.relname as table, s.n_mod_since_analyze as changed, s.n_dead_tup as dead,
               s.n_live_tup as live, greatest(c.reltuples, 0) as counted
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.schemaname = 'public' ${filter}`,
  );
  // Names come from the catalog, not from anyone's input; quoted all the same.
  const quoted = (table: string) => `"${table.replace(/"/g, '""')}"`;
  const growth = options.analyzeOnGrowth;
  const stale = rows.filter((row) =>
    growth === undefined
      ? Number(row.changed) > 50 + ANALYZE_SHARE * Number(row.live)
      : Number(row.live) > 50 + growth * Number(row.counted),
  );
  const bloated = options.vacuum
    ? rows.filter((row) => Number(row.dead) > 50 + VACUUM_SHARE * (Number(row.live) + Number(row.dead)))
    : [];
  const toAnalyze = stale.map((row) => row.table);
  if (bloated.length === 0 && toAnalyze.length === 0) return [];
  await database.maintain(async (owner) => {
    for (const row of bloated) await owner.execute(sql.raw(`vacuum ${quoted(row.table)}`));
    if (toAnalyze.length > 0) await owner.execute(sql.raw(`analyze ${toAnalyze.map(quoted).join(', ')}`));
  });
  return toAnalyze;
}

export interface StatisticsKeeper {
  stop(): Promise<void>;
}

/** Runs refreshPlannerStatistics every `everyMs` in the background, logging its failures. */
export function startStatisticsKeeper(
  database: Maintained,
  options: MaintenanceOptions & {
    everyMs?: number;
    onError?: (error: unknown) => void;
  } = {},
): StatisticsKeeper {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= refreshPlannerStatistics(database, options)
      .then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      )
      .finally(() => {
        running = undefined;
      });
  }, options.everyMs ?? 5_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
