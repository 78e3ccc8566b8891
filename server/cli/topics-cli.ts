import { parseTopicDate } from '../../bot/topics/topic-date.ts';
import type { ResultOf } from '../admin-commands/admin-commands.ts';
import { type CommandGroup, parseOptions, UsageError } from './cli-arguments.ts';

/** `causette topics run|show`: the daily topics and the questions the bot could not answer. */
export const topicsCli: CommandGroup = async (subcommand, args, { admin }) => {
  const { values } = parseOptions(args, { tenant: { type: 'string' }, date: { type: 'string' } });
  const { tenant, date } = values;
  // Checked here too, so a typo is reported before the database is opened.
  if (date !== undefined) parseTopicDate(date);
  switch (subcommand) {
    case 'run': {
      const { days } = await admin.run({ name: 'topics.run', tenant: tenant || undefined, date });
      for (const day of days) {
        console.log(
          `${day.tenant} ${day.date}: ${day.messageCount} customer messages, ${day.topicCount} topics, ${day.unansweredCount} unanswered in ${day.unansweredGroups} groups (${day.method})`,
        );
      }
      return 0;
    }
    case 'show': {
      if (!tenant) throw new UsageError('topics show needs --tenant');
      printDayReport(await admin.run({ name: 'topics.show', tenant, date }));
      return 0;
    }
    default:
      throw new UsageError(`Unknown topics command "${subcommand ?? ''}"`);
  }
};

function printDayReport({ tenant, date, run, topics, unanswered }: ResultOf<'topics.show'>): void {
  if (!run) {
    console.log(
      `No topics computed for ${tenant} on ${date}: run "causette topics run --tenant ${tenant} --date ${date}".`,
    );
    return;
  }
  console.log(
    `Topics of ${tenant} on ${date} (${run.timezone}): ${run.messageCount} customer messages, ${run.clusteredCount} clustered`,
  );
  if (topics.length === 0) console.log('  none');
  for (const topic of topics) {
    console.log(
      `  ${String(topic.topicId).padStart(3)}  ${topic.percentage.toFixed(2).padStart(6)}%  ${String(topic.messageCount).padStart(5)}  ${topic.label ?? '(no topic)'}  [${topic.keywords.join(', ')}]`,
    );
  }
  console.log(`Questions the bot could not answer: ${run.unansweredCount}`);
  for (const group of unanswered) {
    console.log(`  ${String(group.messageCount).padStart(5)}×  ${group.question}`);
  }
}
