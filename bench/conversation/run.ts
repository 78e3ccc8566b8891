import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { benchConversation, parseScript, scoreTurns } from './conversation-bench.ts';

const USAGE = `Usage: npm run bench:conversation -- --data FILE [--now ISO_TIME] [--no-escalation]
       [--without lexicon|gazetteer|stemming|follow-ups|profile-answers]…

  --data FILE     a JSON list of {"q", "expect", "reject"?} turns, played in one conversation
  --now TIME      the bot's clock (default 2026-12-08T11:00:00+01:00, a Tuesday at 11:00 in Paris)
  --no-escalation a diagnostic: the tenant's escalation rules off, so that no hand-off silences
                  the turns after it
  --without PART  measure without a part of how the offline bot reads questions (repeatable)

Plays the turns through the server's real turn handler (offline bot, the demo tenant as npm start
seeds it), prints each turn, then one JSON object on the last line.`;

const DEFAULT_NOW = '2026-12-08T11:00:00+01:00';

async function main(argv: string[]): Promise<number> {
  let values: { data?: string; now?: string; 'no-escalation'?: boolean; without?: string[] };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        now: { type: 'string' },
        'no-escalation': { type: 'boolean' },
        without: { type: 'string', multiple: true },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!values.data) {
    console.error(USAGE);
    return 2;
  }
  const now = new Date(values.now ?? DEFAULT_NOW);
  if (Number.isNaN(now.getTime())) {
    console.error(`--now must be a date and time such as ${DEFAULT_NOW} (got "${values.now}")`);
    return 2;
  }
  const without = new Set(values.without ?? []);
  const parts = ['lexicon', 'gazetteer', 'stemming', 'follow-ups', 'profile-answers'];
  const unknown = [...without].filter((part) => !parts.includes(part));
  if (unknown.length > 0) {
    console.error(`--without takes ${parts.join(', ')} (got "${unknown.join('", "')}")`);
    return 2;
  }
  let turns: ReturnType<typeof parseScript>;
  try {
    turns = parseScript(JSON.parse(await readFile(values.data, 'utf8')));
  } catch (error) {
    console.error(`${values.data}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const played = await benchConversation(turns, {
    now,
    noEscalation: values['no-escalation'] === true,
    understanding: {
      expansion: {
        lexicon: !without.has('lexicon'),
        gazetteer: !without.has('gazetteer'),
        exactForms: without.has('stemming'),
      },
      offline: {
        followUps: !without.has('follow-ups'),
        profileAnswers: !without.has('profile-answers'),
        exactForms: without.has('stemming'),
      },
    },
    onTurn: (turn, i) => {
      const reply = turn.reply === null ? '(silent)' : JSON.stringify(turn.reply.slice(0, 160));
      console.log(
        `${turn.matched ? 'ok  ' : 'MISS'} ${String(i + 1).padStart(2)} ${JSON.stringify(turn.q)}\n` +
          `        → ${reply} [${turn.source ?? '-'}, intent ${turn.intent ?? '-'}, ${turn.ms} ms]`,
      );
    },
  });
  const score = scoreTurns(played);
  console.log(`${score.matched} of ${score.turns} replies matched (${(score.share * 100).toFixed(1)} %)`);
  console.log(
    JSON.stringify({
      data: values.data,
      now: now.toISOString(),
      escalation: values['no-escalation'] ? 'off' : 'on',
      without: [...without],
      ...score,
    }),
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
