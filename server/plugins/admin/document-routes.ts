import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Db, Tx } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { type DocumentRow, getDocument, listDocuments } from '../../../knowledge/documents/document-store.ts';
import { activeJobFor, type KnowledgeJob, listJobs } from '../../../knowledge/jobs/job-store.ts';
import { Errors } from '../../errors.ts';
import type { Knowledge } from '../../services/create-knowledge.ts';
import { NoContent } from '../response-schemas.ts';
import { UuidParams } from './common-schemas.ts';
import { toApiError } from './knowledge-errors.ts';
import { Document, Job } from './knowledge-schemas.ts';

const Accepted = Type.Object({ document: Document, job: Type.Union([Job, Type.Null()]) });

/**
 * Uploaded documents. An upload is stored, answered 202 with the document (pending) and its
 * ingestion job, and processed in the background; GET shows the job's counters as it runs.
 */
export const documentRoutes: FastifyPluginAsync<{ db: Db; knowledge: Knowledge }> = async (base, options) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, knowledge } = options;
  await app.register(multipart, {
    limits: { fileSize: knowledge.deps.maxUploadBytes, files: 1, fields: 4, fieldSize: 2000 },
  });

  app.get(
    '/documents',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'List documents',
        description: 'Uploaded documents with their processing status and running or last job.',
        response: { 200: Type.Object({ items: Type.Array(Document) }) },
      },
    },
    async (request) => {
      const items = await withTenant(db, request.adminTenantId!, async (tx) => {
        const rows = await listDocuments(tx);
        return Promise.all(rows.map((row) => withJob(tx, row)));
      });
      return { items };
    },
  );

  app.get(
    '/documents/:id',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Read a document',
        description: 'One uploaded document with its processing status and running or last job.',
        params: UuidParams,
        response: { 200: Document },
      },
    },
    async (request) => {
      const document = await withTenant(db, request.adminTenantId!, async (tx) => {
        const row = await getDocument(tx, request.params.id);
        return row ? withJob(tx, row) : undefined;
      });
      if (!document) throw new Errors.NotFound('Document');
      return document;
    },
  );

  app.post(
    '/documents',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Upload a document',
        description:
          "Send `multipart/form-data` with a `file` field (PDF, DOCX, HTML, Markdown or text) and an optional `description`. Answers 202 with the document (`pending`) and its ingestion job; the document's `status` becomes `processed`, or `failed` with `error`.",
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new Errors.BadRequest('Send the document as multipart/form-data with a "file" field');
      }
      const part = await request.file();
      if (!part) throw new Errors.BadRequest('The form has no file: send it in a "file" field');
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new Errors.PayloadTooLarge(
            `The file is larger than the limit of ${Math.round(knowledge.deps.maxUploadBytes / 1024 / 1024)} MB.`,
          );
        }
        throw error;
      }
      const description = fieldValue(part.fields['description']);
      try {
        const { document, job } = await knowledge.documents.upload(request.adminTenantId!, {
          filename: part.filename,
          mimeType: part.mimetype,
          bytes,
          description,
        });
        return reply.code(202).send({ document: present(document, job), job });
      } catch (error) {
        throw toApiError(error);
      }
    },
  );

  app.post(
    '/documents/:id/reprocess',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Process a document again',
        description:
          'Extracts, chunks and embeds the stored file again (after a failure, or a change of embedding model); 202 with the job.',
        params: UuidParams,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      try {
        const { document, job } = await knowledge.documents.reprocess(
          request.adminTenantId!,
          request.params.id,
        );
        return reply.code(202).send({ document: present(document, job), job });
      } catch (error) {
        throw toApiError(error);
      }
    },
  );

  app.delete(
    '/documents/:id',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Delete a document',
        description: 'Deletes the document, its file and its chunks; the bot stops citing it.',
        response: { 204: NoContent },
        params: UuidParams,
      },
    },
    async (request, reply) => {
      if (!(await knowledge.documents.remove(request.adminTenantId!, request.params.id))) {
        throw new Errors.NotFound('Document');
      }
      return reply.code(204).send();
    },
  );
};

async function withJob(tx: Tx, row: DocumentRow) {
  const job =
    (await activeJobFor(tx, row.id)) ?? (await listJobs(tx, { sourceId: row.id, limit: 1 }))[0] ?? null;
  return present(row, job);
}

function present(row: DocumentRow, job: KnowledgeJob | null) {
  const description = row.metadata['description'];
  return { ...row, description: typeof description === 'string' ? description : null, job };
}

function fieldValue(field: unknown): string | undefined {
  const value = (Array.isArray(field) ? field[0] : field) as { type?: string; value?: unknown } | undefined;
  return value?.type === 'field' && typeof value.value === 'string' && value.value.trim() !== ''
    ? value.value.trim().slice(0, 1000)
    : undefined;
}
