import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import type { TurnHandler } from '../../bot/conversation/turn-handler.ts';
import type { Understanding } from '../../bot/create-bot.ts';
import { updateBotSettings } from '../../bot/settings/bot-settings-store.ts';
import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { type Db, queryRows } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { DEMO_SLUG, seedDemo } from '../../demo/seed-demo.ts';
import { loadConfig } from '../../server/config.ts';
import { type RunningServer, startServer } from '../../server/main.ts';
import { TestVisitor } from '../../server/testing/test-visitor.ts';

/** One scripted turn: what the customer writes, and what the reply must (and must not) match. */
export const ScriptedTurn = Type.Object(
  {
    q: Type.String({ minLength: 1 }),
    /** A case-insensitive regular expression the reply must match. */
    expect: Type.String({ minLength: 1 }),
    /** One it must not match (an abstention where a fact was due, say). */
    reject: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type ScriptedTurn = Type.Static<typeof ScriptedTurn>;
const checkScript = Compile(Type.Array(ScriptedTurn, { minItems: 1 }));

export interface PlayedTurn extends ScriptedTurn {
  /** The bot's reply; null when it stayed silent. */
  reply: string | null;
  matched: boolean;
  /** Where the reply came from (its metadata's `source`), and the message's intent. */
  source: string | null;
  intent: string | null;
  ms: number;
}

export interface ConversationScore {
  turns: number;
  matched: number;
  share: number;
  silent: number;
}

/** Reads a script, checked against its schema; each regular expression must compile. */
export function parseScript(json: unknown): ScriptedTurn[] {
  if (!checkScript.Check(json)) {
    const [first] = checkScript.Errors(json);
    throw new Error(
      `not a list of {q, expect, reject?} turns: ${first?.instancePath ?? ''} ${first?.message ?? ''}`,
    );
  }
  const turns = json;
  for (const [i, turn] of turns.entries()) {
    for (const pattern of [turn.expect, turn.reject]) {
      if (pattern === undefined) continue;
      try {
        new RegExp(pattern, 'i');
      } catch (error) {
        throw new Error(`turn ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return turns;
}

/** Whether a reply passes its turn: `expect` matches and `reject`, if any, does not. */
export function replyMatches(turn: ScriptedTurn, reply: string | null): boolean {
  if (reply === null) return false;
  if (!new RegExp(turn.expect, 'i').test(reply)) return false;
  return !(turn.reject && new RegExp(turn.reject, 'i').test(reply));
}

export function scoreTurns(played: readonly PlayedTurn[]): ConversationScore {
  const matched = played.filter((turn) => turn.matched).length;
  return {
    turns: played.length,
    matched,
    share: played.length === 0 ? 0 : Math.round((matched / played.length) * 1000) / 1000,
    silent: played.filter((turn) => turn.reply === null).length,
  };
}

/**
 * Plays the turns, in order and in one conversation, as one widget visitor of the demo tenant,
 * against `npm start`'s server (offline bot, embedded Postgres in a scratch directory) whose
 * clock reads `now`. A turn the bot leaves unanswered counts as silent once every answer the
 * server had scheduled is stored.
 */
export async function benchConversation(
  turns: readonly ScriptedTurn[],
  options: {
    now: Date;
    /** Turn the tenant's escalation rules off, to see every turn's answer (a diagnostic). */
    noEscalation?: boolean;
    /** Parts of the offline bot's reading switched off, to measure what each brings. */
    understanding?: Understanding;
    onTurn?: (turn: PlayedTurn, index: number) => void;
  },
): Promise<PlayedTurn[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-conversation-'));
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      loadConfig({
        PORT: '0',
        LOG_LEVEL: 'silent',
        CAUSETTE_DATA_DIR: dataDir,
        CAUSETTE_TOPICS_JOB: 'off',
        // One scripted visitor types faster than a person.
        CAUSETTE_VISITOR_MESSAGES_PER_MINUTE: '6000',
        CAUSETTE_VISITOR_MESSAGE_BURST: '100',
      }),
      {
        prepare: async (database) => {
          await seedDemo(database.db);
          const tenantId = await findTenantIdBySlug(database.db, DEMO_SLUG);
          if (options.noEscalation && tenantId) {
            await withTenant(database.db, tenantId, (tx) =>
              updateBotSettings(tx, tenantId, {
                escalationIntents: [],
                escalateOnNegativeSentiment: false,
                lowConfidenceTurns: 0,
              }),
            );
          }
        },
        clock: { now: () => options.now },
        ...(options.understanding ? { understanding: options.understanding } : {}),
        widgetBundlePath: join(dataDir, 'no-widget.js'),
      },
    );
    return await playConversation(
      { wsUrl: server.url.replace(/^http/, 'ws'), db: server.database.db, turns: server.turns },
      turns,
      options.onTurn,
    );
  } finally {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A server with the demo tenant seeded: where its sockets listen, its database and its turns. */
export interface ConversationTarget {
  wsUrl: string;
  db: Db;
  turns: Pick<TurnHandler, 'drain'>;
}

/** Plays the turns as one visitor of the demo tenant; see benchConversation. */
export async function playConversation(
  server: ConversationTarget,
  turns: readonly ScriptedTurn[],
  onTurn?: (turn: PlayedTurn, index: number) => void,
): Promise<PlayedTurn[]> {
  const tenantId = await findTenantIdBySlug(server.db, DEMO_SLUG);
  if (!tenantId) throw new Error('the demo tenant was not seeded');
  const { visitor, welcome } = await TestVisitor.greet(server.wsUrl, DEMO_SLUG);
  const played: PlayedTurn[] = [];
  try {
    for (const [i, turn] of turns.entries()) {
      const started = performance.now();
      const clientId = `t${i}`;
      const acked = visitor.next('ack', (frame) => frame.clientId === clientId);
      visitor.send({ type: 'message', clientId, text: turn.q });
      const ack = await acked;
      await server.turns.drain();
      const [stored] = await withTenant(server.db, tenantId, (tx) =>
        queryRows<{ seq: number; source: string | null }>(
          tx,
          sql`select seq, metadata->>'source' as source from conversation_messages
              where conversation_id = ${welcome.conversationId} and role = 'assistant'
                and metadata->>'reply_to' = ${ack.id}`,
        ),
      );
      const [asked] = await withTenant(server.db, tenantId, (tx) =>
        queryRows<{ intent: string | null }>(
          tx,
          sql`select metadata->>'intent' as intent from conversation_messages where id = ${ack.id}`,
        ),
      );
      const reply = stored
        ? (await visitor.next('message', (frame) => frame.message.seq === Number(stored.seq))).message.text
        : null;
      const result: PlayedTurn = {
        ...turn,
        reply,
        matched: replyMatches(turn, reply),
        source: stored?.source ?? null,
        intent: asked?.intent ?? null,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      played.push(result);
      onTurn?.(result, i);
    }
  } finally {
    await visitor.close();
  }
  return played;
}
