import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { Nullable } from '../plugins/admin/common-schemas.ts';
import type { CommandServices } from '../services/create-services.ts';

/**
 * The data-changing commands of the CLI, and what each answers. The CLI runs them itself, or
 * sends them through a running server's control socket: both sides check these schemas, since
 * a command and its result cross a process boundary. Only schemas here, so that a CLI talking to
 * a running server loads none of the code that runs them.
 */

const Tenant = Type.String({ minLength: 1, maxLength: 100 });
const Id = Type.String({ format: 'uuid' });
const Day = Type.String({ maxLength: 40 });
const Platform = Type.Union([Type.Literal('whatsapp'), Type.Literal('instagram')]);
const GraphApi = Type.Union([Type.Literal('facebook'), Type.Literal('instagram')]);
/** An optional field: absent, or undefined until the command is serialised. */
const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Undefined()]));

/** How an indexing job (a document, a crawl, a re-embedding) ended. */
const Indexing = Type.Object({
  /** What was indexed: a file name, a site's URL, "reembed of shop". */
  filename: Type.String(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  error: Nullable(Type.String()),
  chunks: Type.Integer(),
});
const Deleted = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });

/** Every command, as sent. */
export const AdminCommand = Type.Union([
  Type.Object({
    name: Type.Literal('tenant.create'),
    slug: Type.String({ minLength: 1, maxLength: 100 }),
    displayName: Type.String({ minLength: 1, maxLength: 255 }),
  }),
  Type.Object({
    name: Type.Literal('apikey.create'),
    tenant: Tenant,
    label: Type.String({ minLength: 1, maxLength: 100 }),
  }),
  Type.Object({
    name: Type.Literal('account.connect'),
    tenant: Tenant,
    platform: Platform,
    accountId: Type.String({ pattern: '^[0-9]{1,64}$' }),
    token: Type.String({ minLength: 10, maxLength: 4096, pattern: '^\\S+$' }),
    username: Maybe(Type.String({ minLength: 1, maxLength: 255 })),
    graphApi: Maybe(GraphApi),
    verify: Type.Boolean(),
  }),
  Type.Object({ name: Type.Literal('account.list'), tenant: Tenant }),
  Type.Object({
    name: Type.Literal('account.disconnect'),
    tenant: Tenant,
    platform: Platform,
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
  }),
  Type.Object({
    name: Type.Literal('documents.add'),
    tenant: Tenant,
    /** Absolute path of the file, read by whichever process runs the command. */
    path: Type.String({ minLength: 1, maxLength: 4096 }),
    description: Maybe(Type.String({ maxLength: 1000 })),
  }),
  Type.Object({ name: Type.Literal('documents.list'), tenant: Tenant }),
  Type.Object({ name: Type.Literal('documents.reprocess'), tenant: Tenant, id: Id }),
  Type.Object({ name: Type.Literal('documents.delete'), tenant: Tenant, id: Id }),
  Type.Object({
    name: Type.Literal('websites.add'),
    tenant: Tenant,
    url: Type.String({ minLength: 1, maxLength: 500 }),
    maxPages: Maybe(Type.Integer({ minimum: 1, maximum: 10_000 })),
    maxDepth: Maybe(Type.Integer({ minimum: 0, maximum: 20 })),
    frequency: Maybe(Type.Union([Type.Literal('manual'), Type.Literal('daily'), Type.Literal('weekly')])),
  }),
  Type.Object({ name: Type.Literal('websites.list'), tenant: Tenant }),
  Type.Object({ name: Type.Literal('websites.crawl'), tenant: Tenant, id: Id }),
  Type.Object({ name: Type.Literal('websites.delete'), tenant: Tenant, id: Id }),
  Type.Object({
    name: Type.Literal('knowledge.rebuild'),
    /** Undefined: every tenant. */
    tenant: Maybe(Tenant),
    kind: Type.Union([Type.Literal('reembed'), Type.Literal('reindex')]),
    scope: Type.Union([Type.Literal('stale'), Type.Literal('all')]),
  }),
  /** Computes a day (by default each tenant's yesterday) for one tenant or all of them. */
  Type.Object({
    name: Type.Literal('topics.run'),
    tenant: Maybe(Tenant),
    date: Maybe(Day),
  }),
  Type.Object({ name: Type.Literal('topics.show'), tenant: Tenant, date: Maybe(Day) }),
]);
export type AdminCommand = Static<typeof AdminCommand>;
export type AdminCommandName = AdminCommand['name'];
export type CommandOf<N extends AdminCommandName> = Extract<AdminCommand, { name: N }>;

/** What each command answers. */
export const ADMIN_RESULTS = {
  'tenant.create': Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
  'apikey.create': Type.Object({
    tenant: Type.String(),
    id: Type.String(),
    name: Type.String(),
    prefix: Type.String(),
    key: Type.String(),
  }),
  'account.connect': Type.Object({
    tenant: Type.String(),
    platform: Type.String(),
    accountId: Type.String(),
    username: Nullable(Type.String()),
    graphApi: Type.String(),
    created: Type.Boolean(),
  }),
  'account.list': Type.Object({
    tenant: Type.String(),
    accounts: Type.Array(
      Type.Object({
        platform: Type.String(),
        accountId: Type.String(),
        username: Nullable(Type.String()),
        graphApi: Type.String(),
        active: Type.Boolean(),
      }),
    ),
  }),
  'account.disconnect': Type.Object({
    tenant: Type.String(),
    platform: Type.String(),
    accountId: Type.String(),
  }),
  'documents.add': Indexing,
  'documents.list': Type.Object({
    documents: Type.Array(
      Type.Object({
        id: Type.String(),
        filename: Type.String(),
        status: Type.String(),
        chunkCount: Type.Integer(),
        error: Nullable(Type.String()),
      }),
    ),
  }),
  'documents.reprocess': Indexing,
  'documents.delete': Deleted,
  'websites.add': Indexing,
  'websites.list': Type.Object({
    sources: Type.Array(
      Type.Object({
        id: Type.String(),
        baseUrl: Type.String(),
        status: Type.String(),
        pagesCrawled: Type.Integer(),
        error: Nullable(Type.String()),
      }),
    ),
  }),
  'websites.crawl': Indexing,
  'websites.delete': Deleted,
  'knowledge.rebuild': Indexing,
  'topics.run': Type.Object({
    days: Type.Array(
      Type.Object({
        tenant: Type.String(),
        date: Type.String(),
        messageCount: Type.Integer(),
        topicCount: Type.Integer(),
        unansweredCount: Type.Integer(),
        unansweredGroups: Type.Integer(),
        method: Type.String(),
      }),
    ),
  }),
  'topics.show': Type.Object({
    tenant: Type.String(),
    date: Type.String(),
    /** Null: the day was never computed. */
    run: Nullable(
      Type.Object({
        timezone: Type.String(),
        messageCount: Type.Integer(),
        clusteredCount: Type.Integer(),
        unansweredCount: Type.Integer(),
      }),
    ),
    topics: Type.Array(
      Type.Object({
        topicId: Type.Integer(),
        label: Nullable(Type.String()),
        keywords: Type.Array(Type.String()),
        messageCount: Type.Integer(),
        percentage: Type.Number(),
      }),
    ),
    unanswered: Type.Array(Type.Object({ question: Type.String(), messageCount: Type.Integer() })),
  }),
} satisfies Record<AdminCommandName, TSchema>;
export type ResultOf<N extends AdminCommandName> = Static<(typeof ADMIN_RESULTS)[N]>;

/** A long command's progress, streamed to the CLI's progress bar. */
export const ProgressSnapshot = Type.Object({
  phase: Nullable(Type.String()),
  pagesFound: Type.Integer(),
  pagesCrawled: Type.Integer(),
  pagesFailed: Type.Integer(),
  pagesUnchanged: Type.Integer(),
  chunksTotal: Type.Integer(),
  chunksIndexed: Type.Integer(),
});
export type ProgressSnapshot = Static<typeof ProgressSnapshot>;
export type ProgressSink = (snapshot: ProgressSnapshot) => void;

/** What commands run against: the services of the CLI's own process, or of the running server. */
export type CommandContext = Pick<CommandServices, 'database' | 'knowledge' | 'cipher' | 'graph' | 'topics'>;

/** How one command runs. */
export type CommandRunner<N extends AdminCommandName> = (
  context: CommandContext,
  command: CommandOf<N>,
  onProgress: ProgressSink | undefined,
) => Promise<ResultOf<N>>;

/** The runners of a group of commands. */
export type CommandRunners<N extends AdminCommandName> = { [K in N]: CommandRunner<K> };

/** A refusal the user can act on (an unknown tenant, a missing file); its message is for them. */
export class AdminCommandError extends Error {
  readonly code = 'CAUSETTE_ERR_COMMAND';
}

/** A command's result checked against its schema: what a running server answers is only data. */
export function resultOf<N extends AdminCommandName>(name: N, value: unknown): ResultOf<N> {
  if (Value.Check(ADMIN_RESULTS[name], value)) return value;
  throw new AdminCommandError(
    `The answer to ${name} was not understood; are the CLI and the server the same version?`,
  );
}
