import { getBusinessProfile, getTenant } from '../../bot/tenants/tenant-store.ts';
import { knownTimeZone, localDate, parseTopicDate, previousDay } from '../../bot/topics/topic-date.ts';
import { getDayReport } from '../../bot/topics/topic-store.ts';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { allTenantIds } from '../../knowledge/maintenance/knowledge-maintenance.ts';
import type { CommandRunners, ResultOf } from './admin-commands.ts';
import { tenantIdOf } from './tenant-id-of.ts';

/** The daily topics: computed on demand, or read back. */
export const topicCommands: CommandRunners<'topics.run' | 'topics.show'> = {
  async 'topics.run'({ database: { db }, knowledge, topics }, command) {
    // A bad date is refused before any work, whichever tenant it was meant for.
    if (command.date !== undefined) parseTopicDate(command.date);
    const tenantIds = command.tenant
      ? [await tenantIdOf(db, command.tenant)]
      : await allTenantIds(knowledge.deps);
    const days: ResultOf<'topics.run'>['days'] = [];
    for (const tenantId of tenantIds) {
      const slug = command.tenant ?? (await withTenant(db, tenantId, (tx) => getTenant(tx, tenantId)))?.slug;
      const date = command.date ?? (await yesterdayOf(db, tenantId));
      const summary = await topics.run(tenantId, date);
      days.push({
        tenant: slug ?? tenantId,
        date: summary.date,
        messageCount: summary.messageCount,
        topicCount: summary.topicCount,
        unansweredCount: summary.unansweredCount,
        unansweredGroups: summary.unansweredGroups,
        method: summary.method,
      });
    }
    return { days };
  },
  async 'topics.show'({ database: { db } }, command) {
    if (command.date !== undefined) parseTopicDate(command.date);
    const tenantId = await tenantIdOf(db, command.tenant);
    const date = command.date ?? (await yesterdayOf(db, tenantId));
    const report = await withTenant(db, tenantId, (tx) => getDayReport(tx, tenantId, date));
    return {
      tenant: command.tenant,
      date,
      run: report.run && {
        timezone: report.run.timezone,
        messageCount: report.run.messageCount,
        clusteredCount: report.run.clusteredCount,
        unansweredCount: report.run.unansweredCount,
      },
      topics: report.topics.map(({ topicId, label, keywords, messageCount, percentage }) => ({
        topicId,
        label,
        keywords,
        messageCount,
        percentage,
      })),
      unanswered: report.unanswered.map(({ question, messageCount }) => ({ question, messageCount })),
    };
  },
};

/** The day before today in the tenant's time zone. */
async function yesterdayOf(db: Db, tenantId: string): Promise<string> {
  const zone = await withTenant(db, tenantId, async (tx) =>
    knownTimeZone((await getBusinessProfile(tx, tenantId))?.timezone),
  );
  return previousDay(localDate(new Date(), zone));
}
