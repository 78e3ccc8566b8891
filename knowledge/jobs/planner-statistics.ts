import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../migrations/database.ts';

/** The tables whose statistics retrieval's plans depend on. */
const KNOWLEDGE_TABLES = ['knowledge_chunks', 'knowledge_terms'] as const;

/**
 * Gathers the planner's statistics of the knowledge tables again once they changed by more than
 * autovacuum's default share (50 rows plus a tenth of the table). Embedded Postgres runs no
 * autovacuum at all, and a real one gets to it only after a while: without this, a tenant that
 * just loaded thousands of chunks is searched with plans made for an empty table. Returns the
 * tables analysed.
 */
export async function refreshPlannerStatistics(db: Db): Promise<string[]> {
  const rows = await queryRows<{ table: string; changed: number | string; live: number | string }>(
    db,
    sql`select relname as table, n_mod_since_analyze as changed, n_live_tup as live
        from pg_stat_user_tables
        where schemaname = 'public' and relname in (${sql.join(
          KNOWLEDGE_TABLES.map((table) => sql`${table}`),
          sql`, `,
        )})`,
  );
  const stale = rows
    .filter((row) => Number(row.changed) > 50 + 0.1 * Number(row.live))
    .map((row) => row.table)
    .filter((table): table is (typeof KNOWLEDGE_TABLES)[number] =>
      (KNOWLEDGE_TABLES as readonly string[]).includes(table),
    );
  if (stale.length > 0) await db.execute(sql.raw(`analyze ${stale.join(', ')}`));
  return stale;
}
