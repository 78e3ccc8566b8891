import Type, { type Static } from 'typebox';
import { getBusinessProfile, getTenant } from '../../bot/tenants/tenant-store.ts';
import { knownTimeZone, localDate, parseTopicDate, previousDay } from '../../bot/topics/topic-date.ts';
import { getDayReport } from '../../bot/topics/topic-store.ts';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { allTenantIds } from '../../knowledge/maintenance/knowledge-maintenance.ts';
import type { CommandContext } from './admin-commands.ts';

const Tenant = Type.String({ minLength: 1, maxLength: 100 });
const Day = Type.String({ maxLength: 40 });

/** The topics commands of the CLI, run directly or through a running server's control socket. */
export const TopicCommand = Type.Union([
  /** Computes a day (by default each tenant's yesterday) for one tenant or all of them. */
  Type.Object({ name: Type.Literal('topics.run'), tenant: Type.Optional(Tenant), date: Type.Optional(Day) }),
  Type.Object({ name: Type.Literal('topics.show'), tenant: Tenant, date: Type.Optional(Day) }),
]);

export type TopicCommand = Static<typeof TopicCommand>;

export async function runTopicCommand(
  context: CommandContext,
  command: TopicCommand,
  tenantIdOf: (db: Db, slug: string) => Promise<string>,
): Promise<Record<string, unknown>> {
  const { db } = context.database;
  // A bad date is refused before any work, whichever tenant it was meant for.
  if (command.date !== undefined) parseTopicDate(command.date);
  if (command.name === 'topics.show') {
    const tenantId = await tenantIdOf(db, command.tenant);
    const date = command.date ?? (await yesterdayOf(db, tenantId));
    const report = await withTenant(db, tenantId, (tx) => getDayReport(tx, tenantId, date));
    return { tenant: command.tenant, date, ...report };
  }
  const tenantIds = command.tenant
    ? [await tenantIdOf(db, command.tenant)]
    : await allTenantIds(context.knowledge.deps);
  const days: Record<string, unknown>[] = [];
  for (const tenantId of tenantIds) {
    const slug = command.tenant ?? (await withTenant(db, tenantId, (tx) => getTenant(tx, tenantId)))?.slug;
    const date = command.date ?? (await yesterdayOf(db, tenantId));
    const { tenantId: _id, ...summary } = await context.topics.run(tenantId, date);
    days.push({ tenant: slug, ...summary });
  }
  return { days };
}

/** The day before today in the tenant's time zone. */
async function yesterdayOf(db: Db, tenantId: string): Promise<string> {
  const zone = await withTenant(db, tenantId, async (tx) =>
    knownTimeZone((await getBusinessProfile(tx, tenantId))?.timezone),
  );
  return previousDay(localDate(new Date(), zone));
}
