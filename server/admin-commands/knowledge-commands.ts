import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { withTenant } from '../../db/tenant-scope.ts';
import { listDocuments } from '../../knowledge/documents/document-store.ts';
import type { JobOutcome } from '../../knowledge/jobs/job-runner.ts';
import { KnowledgeRequestError } from '../../knowledge/knowledge-errors.ts';
import { allTenantIds } from '../../knowledge/maintenance/knowledge-maintenance.ts';
import { listWebsiteSources } from '../../knowledge/web/website-store.ts';
import type { Knowledge } from '../services/create-knowledge.ts';
import {
  AdminCommandError,
  type CommandContext,
  type CommandRunner,
  type CommandRunners,
  type ProgressSink,
  type ResultOf,
} from './admin-commands.ts';
import { tenantIdOf } from './tenant-id-of.ts';

type KnowledgeCommandName =
  | 'documents.add'
  | 'documents.list'
  | 'documents.reprocess'
  | 'documents.delete'
  | 'websites.add'
  | 'websites.list'
  | 'websites.crawl'
  | 'websites.delete'
  | 'knowledge.rebuild';

/** Documents, websites and the vectors of their chunks; long commands report progress until their job ends. */
export const knowledgeCommands: CommandRunners<KnowledgeCommandName> = {
  'documents.add': refusing(async ({ database, knowledge }, command, onProgress) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const info = await stat(command.path).catch(() => undefined);
    if (!info?.isFile()) throw new AdminCommandError(`No file at ${command.path}`);
    const limit = knowledge.deps.maxUploadBytes;
    if (info.size > limit) {
      throw new AdminCommandError(
        `${command.path} is ${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${limit / 1024 / 1024} MB (CAUSETTE_MAX_UPLOAD_MB).`,
      );
    }
    const { document, job } = await knowledge.documents.upload(tenantId, {
      filename: basename(command.path),
      mimeType: undefined,
      bytes: await readFile(command.path),
      description: command.description,
    });
    const outcome = job ? await follow(knowledge, job.id, onProgress) : undefined;
    return indexing(document.filename, outcome, document.error);
  }),
  'documents.list': refusing(async ({ database }, command) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const rows = await withTenant(database.db, tenantId, (tx) => listDocuments(tx));
    return {
      documents: rows.map((row) => ({
        id: row.id,
        filename: row.filename,
        status: row.status,
        chunkCount: row.chunkCount,
        error: row.error,
      })),
    };
  }),
  'documents.reprocess': refusing(async ({ database, knowledge }, command, onProgress) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const { document, job } = await knowledge.documents.reprocess(tenantId, command.id);
    const outcome = job ? await follow(knowledge, job.id, onProgress) : undefined;
    return indexing(document.filename, outcome, null);
  }),
  'documents.delete': refusing(async ({ database, knowledge }, command) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    if (!(await knowledge.documents.remove(tenantId, command.id))) {
      throw new AdminCommandError(`No document ${command.id} in ${command.tenant}`);
    }
    return { id: command.id, deleted: true };
  }),
  'websites.add': refusing(async ({ database, knowledge }, command, onProgress) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const { source, job } = await knowledge.websites.create(tenantId, {
      baseUrl: command.url,
      ...(command.maxPages ? { maxPages: command.maxPages } : {}),
      ...(command.maxDepth !== undefined ? { maxDepth: command.maxDepth } : {}),
      ...(command.frequency ? { crawlFrequency: command.frequency } : {}),
    });
    return indexing(source.baseUrl, await follow(knowledge, job.id, onProgress), null);
  }),
  'websites.list': refusing(async ({ database }, command) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const rows = await withTenant(database.db, tenantId, (tx) => listWebsiteSources(tx));
    return {
      sources: rows.map((row) => ({
        id: row.id,
        baseUrl: row.baseUrl,
        status: row.status,
        pagesCrawled: row.pagesCrawled,
        error: row.error,
      })),
    };
  }),
  'websites.crawl': refusing(async ({ database, knowledge }, command, onProgress) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    const job = await knowledge.websites.crawl(tenantId, command.id);
    return indexing(command.id, await follow(knowledge, job.id, onProgress), null);
  }),
  'websites.delete': refusing(async ({ database, knowledge }, command) => {
    const tenantId = await tenantIdOf(database.db, command.tenant);
    if (!(await knowledge.websites.remove(tenantId, command.id))) {
      throw new AdminCommandError(`No website source ${command.id} in ${command.tenant}`);
    }
    return { id: command.id, deleted: true };
  }),
  'knowledge.rebuild': refusing(async ({ database, knowledge }, command, onProgress) => {
    const tenants = command.tenant
      ? [await tenantIdOf(database.db, command.tenant)]
      : await allTenantIds(knowledge.deps);
    let chunks = 0;
    for (const tenantId of tenants) {
      const job = await knowledge.rebuild(tenantId, command.scope, command.kind);
      const outcome = await follow(knowledge, job.id, onProgress);
      if (outcome.status !== 'succeeded') {
        return indexing(`${command.kind} of ${command.tenant ?? 'every tenant'}`, outcome, null);
      }
      chunks += outcome.chunksIndexed;
    }
    const what = `${command.kind} of ${command.tenant ?? `${tenants.length} tenants`}`;
    return { filename: what, status: 'succeeded', error: null, chunks };
  }),
};

/** The knowledge side's refusals (a bad URL, an unknown document) are the user's to read. */
function refusing<N extends KnowledgeCommandName>(run: CommandRunner<N>): CommandRunner<N> {
  return async (context: CommandContext, command, onProgress) => {
    try {
      return await run(context, command, onProgress);
    } catch (error) {
      if (error instanceof KnowledgeRequestError) throw new AdminCommandError(error.message);
      throw error;
    }
  };
}

/** Waits for a job this process runs, passing on its progress. */
async function follow(knowledge: Knowledge, jobId: string, onProgress?: ProgressSink): Promise<JobOutcome> {
  const stop = onProgress ? knowledge.deps.runner.watch(jobId, onProgress) : undefined;
  try {
    const outcome = knowledge.deps.runner.wait(jobId);
    if (!outcome) throw new AdminCommandError('The job is not running in this process.');
    return await outcome;
  } finally {
    stop?.();
  }
}

/** How an indexing job ended; no job at all is a failure, with the reason it was refused. */
function indexing(
  filename: string,
  outcome: JobOutcome | undefined,
  refusal: string | null,
): ResultOf<'documents.add'> {
  if (!outcome) return { filename, status: 'failed', error: refusal, chunks: 0 };
  return { filename, status: outcome.status, error: outcome.error, chunks: outcome.chunksIndexed };
}
