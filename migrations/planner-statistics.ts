import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './database.ts';

/** The tables whose statistics retrieval's plans depend on. */
export const KNOWLEDGE_TABLES = ['knowledge_chunks', 'knowledge_terms'] as const;

/** Autovacuum's default thresholds: 50 rows plus this share of the table. */
const ANALYZE_SHARE = 0.1;
const VACUUM_SHARE = 0.2;

export interface MaintenanceOptions {
  /** Only these tables (default: every table of the schema). */
  tables?: readonly string[];
  /** Also vacuums tables with enough dead rows: embedded Postgres has no autovacuum to do it. */
  vacuum?: boolean;
}

/**
 * Does what autovacuum would for the tables that need it now: gathers the planner's statistics
 * again once a table changed by more than a tenth since they were gathered, and, with `vacuum`,
 * reclaims dead rows once they are a fifth of it. Embedded Postgres runs no autovacuum at all, and
 * a real one gets to a table only after a while: until then a table that grew from nothing is
 * planned as if it were empty, and a lookup by key turns into a walk of the whole tenant's rows.
 * Returns the tables it analysed.
 */
export async function refreshPlannerStatistics(db: Db, options: MaintenanceOptions = {}): Promise<string[]> {
  const filter = options.tables
    ? sql`and relname in (${sql.join(
        options.tables.map((table) => sql`${table}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await queryRows<{
    table: string;
    changed: number | string;
    dead: number | string;
    live: number | string;
  }>(
    db,
    sql`select relname as table, n_mod_since_analyze as changed, n_dead_tup as dead, n_live_tup as live
        from pg_stat_user_tables where schemaname = 'public' ${filter}`,
  );
  // Names come from the catalog, not from anyone's input; quoted all the same.
  const quoted = (table: string) => `"${table.replace(/"/g, '""')}"`;
  const stale = rows.filter((row) => Number(row.changed) > 50 + ANALYZE_SHARE * Number(row.live));
  const bloated = options.vacuum
    ? rows.filter((row) => Number(row.dead) > 50 + VACUUM_SHARE * (Number(row.live) + Number(row.dead)))
    : [];
  for (const row of bloated) await db.execute(sql.raw(`vacuum ${quoted(row.table)}`));
  const toAnalyze = stale.map((row) => row.table);
  if (toAnalyze.length > 0) await db.execute(sql.raw(`analyze ${toAnalyze.map(quoted).join(', ')}`));
  return toAnalyze;
}

export interface StatisticsKeeper {
  stop(): Promise<void>;
}

/** Runs refreshPlannerStatistics every `everyMs` in the background, logging its failures. */
export function startStatisticsKeeper(
  db: Db,
  options: MaintenanceOptions & {
    everyMs?: number;
    onError?: (error: unknown) => void;
  } = {},
): StatisticsKeeper {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= refreshPlannerStatistics(db, options)
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
