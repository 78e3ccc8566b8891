import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import Type, { type Static } from 'typebox';
import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { listDocuments } from '../../knowledge/documents/document-store.ts';
import type { ProgressSnapshot } from '../../knowledge/jobs/job-progress.ts';
import type { JobOutcome } from '../../knowledge/jobs/job-runner.ts';
import { KnowledgeRequestError } from '../../knowledge/knowledge-errors.ts';
import { allTenantIds } from '../../knowledge/maintenance/knowledge-maintenance.ts';
import { listWebsiteSources } from '../../knowledge/web/website-store.ts';
import type { Knowledge } from '../services/create-knowledge.ts';
import type { CommandContext } from './admin-commands.ts';

const Tenant = Type.String({ minLength: 1, maxLength: 100 });
const Id = Type.String({ format: 'uuid' });

/** The knowledge commands of the CLI, run directly or through a running server's control socket. */
export const KnowledgeCommand = Type.Union([
  Type.Object({
    name: Type.Literal('documents.add'),
    tenant: Tenant,
    /** Absolute path of the file, read by whichever process runs the command. */
    path: Type.String({ minLength: 1, maxLength: 4096 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
  }),
  Type.Object({ name: Type.Literal('documents.list'), tenant: Tenant }),
  Type.Object({ name: Type.Literal('documents.reprocess'), tenant: Tenant, id: Id }),
  Type.Object({ name: Type.Literal('documents.delete'), tenant: Tenant, id: Id }),
  Type.Object({
    name: Type.Literal('websites.add'),
    tenant: Tenant,
    url: Type.String({ minLength: 1, maxLength: 500 }),
    maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    maxDepth: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    frequency: Type.Optional(
      Type.Union([Type.Literal('manual'), Type.Literal('daily'), Type.Literal('weekly')]),
    ),
  }),
  Type.Object({ name: Type.Literal('websites.list'), tenant: Tenant }),
  Type.Object({ name: Type.Literal('websites.crawl'), tenant: Tenant, id: Id }),
  Type.Object({ name: Type.Literal('websites.delete'), tenant: Tenant, id: Id }),
  Type.Object({
    name: Type.Literal('knowledge.rebuild'),
    /** Undefined: every tenant. */
    tenant: Type.Optional(Tenant),
    kind: Type.Union([Type.Literal('reembed'), Type.Literal('reindex')]),
    scope: Type.Union([Type.Literal('stale'), Type.Literal('all')]),
  }),
]);
export type KnowledgeCommand = Static<typeof KnowledgeCommand>;

export class KnowledgeCommandError extends Error {
  readonly code = 'CAUSETTE_ERR_COMMAND';
}

export type ProgressSink = (snapshot: ProgressSnapshot) => void;

/** Runs one knowledge command; long ones report progress until their job ends. */
export async function runKnowledgeCommand(
  context: Pick<CommandContext, 'database' | 'knowledge'>,
  command: KnowledgeCommand,
  onProgress?: ProgressSink,
): Promise<Record<string, unknown>> {
  const { knowledge } = context;
  if (command.name === 'knowledge.rebuild') return rebuild(context, command, onProgress);
  const tenantId = await findTenantIdBySlug(context.database.db, command.tenant);
  if (!tenantId) throw new KnowledgeCommandError(`No tenant has the slug "${command.tenant}"`);
  try {
    switch (command.name) {
      case 'websites.add': {
        const { source, job } = await knowledge.websites.create(tenantId, {
          baseUrl: command.url,
          ...(command.maxPages ? { maxPages: command.maxPages } : {}),
          ...(command.maxDepth !== undefined ? { maxDepth: command.maxDepth } : {}),
          ...(command.frequency ? { crawlFrequency: command.frequency } : {}),
        });
        const outcome = await follow(knowledge, job.id, onProgress);
        return { id: source.id, filename: source.baseUrl, ...outcomeFields(outcome, null) };
      }
      case 'websites.crawl': {
        const job = await knowledge.websites.crawl(tenantId, command.id);
        const outcome = await follow(knowledge, job.id, onProgress);
        return { id: command.id, filename: command.id, ...outcomeFields(outcome, null) };
      }
      case 'websites.delete': {
        if (!(await knowledge.websites.remove(tenantId, command.id))) {
          throw new KnowledgeCommandError(`No website source ${command.id} in ${command.tenant}`);
        }
        return { id: command.id, deleted: true };
      }
      case 'websites.list': {
        const rows = await withTenant(context.database.db, tenantId, (tx) => listWebsiteSources(tx));
        return {
          items: rows.map((row) => ({
            id: row.id,
            filename: row.baseUrl,
            status: row.status,
            chunkCount: row.pagesCrawled,
            error: row.error,
          })),
        };
      }
      case 'documents.add': {
        const info = await stat(command.path).catch(() => undefined);
        if (!info?.isFile()) throw new KnowledgeCommandError(`No file at ${command.path}`);
        if (info.size > knowledge.deps.maxUploadBytes) {
          throw new KnowledgeCommandError(
            `${command.path} is ${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${knowledge.deps.maxUploadBytes / 1024 / 1024} MB (CAUSETTE_MAX_UPLOAD_MB).`,
          );
        }
        const { document, job } = await knowledge.documents.upload(tenantId, {
          filename: basename(command.path),
          mimeType: undefined,
          bytes: await readFile(command.path),
          description: command.description,
        });
        const outcome = job ? await follow(knowledge, job.id, onProgress) : undefined;
        return { id: document.id, filename: document.filename, ...outcomeFields(outcome, document.error) };
      }
      case 'documents.reprocess': {
        const { document, job } = await knowledge.documents.reprocess(tenantId, command.id);
        const outcome = job ? await follow(knowledge, job.id, onProgress) : undefined;
        return { id: document.id, filename: document.filename, ...outcomeFields(outcome, null) };
      }
      case 'documents.delete': {
        if (!(await knowledge.documents.remove(tenantId, command.id))) {
          throw new KnowledgeCommandError(`No document ${command.id} in ${command.tenant}`);
        }
        return { id: command.id, deleted: true };
      }
      case 'documents.list': {
        const rows = await withTenant(context.database.db, tenantId, (tx) => listDocuments(tx));
        return {
          items: rows.map((row) => ({
            id: row.id,
            filename: row.filename,
            status: row.status,
            chunkCount: row.chunkCount,
            error: row.error,
          })),
        };
      }
    }
  } catch (error) {
    if (error instanceof KnowledgeRequestError) throw new KnowledgeCommandError(error.message);
    throw error;
  }
}

async function rebuild(
  context: Pick<CommandContext, 'database' | 'knowledge'>,
  command: Extract<KnowledgeCommand, { name: 'knowledge.rebuild' }>,
  onProgress?: ProgressSink,
): Promise<Record<string, unknown>> {
  let tenants: string[];
  if (command.tenant) {
    const id = await findTenantIdBySlug(context.database.db, command.tenant);
    if (!id) throw new KnowledgeCommandError(`No tenant has the slug "${command.tenant}"`);
    tenants = [id];
  } else {
    tenants = await allTenantIds(context.knowledge.deps);
  }
  let chunks = 0;
  for (const tenantId of tenants) {
    const job = await context.knowledge.rebuild(tenantId, command.scope, command.kind);
    const outcome = await follow(context.knowledge, job.id, onProgress);
    if (outcome.status !== 'succeeded') {
      return {
        filename: `${command.kind} of ${command.tenant ?? 'every tenant'}`,
        status: 'failed',
        error: outcome.error,
      };
    }
    chunks += outcome.chunksIndexed;
  }
  return {
    filename: `${command.kind} of ${command.tenant ?? `${tenants.length} tenants`}`,
    status: 'succeeded',
    chunks,
  };
}

/** Waits for a job this process runs, passing on its progress. */
async function follow(knowledge: Knowledge, jobId: string, onProgress?: ProgressSink): Promise<JobOutcome> {
  const stop = onProgress ? knowledge.deps.runner.watch(jobId, onProgress) : undefined;
  try {
    const outcome = knowledge.deps.runner.wait(jobId);
    if (!outcome) throw new KnowledgeCommandError('The job is not running in this process.');
    return await outcome;
  } finally {
    stop?.();
  }
}

function outcomeFields(outcome: JobOutcome | undefined, refusal: string | null) {
  if (!outcome) return { status: 'failed', error: refusal };
  return {
    status: outcome.status,
    error: outcome.error,
    chunks: outcome.chunksIndexed,
    pagesCrawled: outcome.pagesCrawled,
    pagesFailed: outcome.pagesFailed,
  };
}
