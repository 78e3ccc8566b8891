import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { withTenant } from '../../db/tenant-scope.ts';
import { documents } from '../../migrations/schema/index.ts';
import { claimedFormat, MIME_TYPES, verifyFormat } from '../ingest/extract/document-format.ts';
import { readableError } from '../ingest/extract/extraction-error.ts';
import { deleteSourceChunks, forget } from '../ingest/index-chunks.ts';
import { activeJobFor, createJob, type KnowledgeJob } from '../jobs/job-store.ts';
import type { KnowledgeDeps } from '../knowledge-deps.ts';
import { KnowledgeRequestError } from '../knowledge-errors.ts';
import { displayFilename, documentFilePath, removeDocumentFile, saveDocumentFile } from './document-files.ts';
import { type DocumentRow, getDocument, markDocumentPending } from './document-store.ts';
import { processDocument } from './process-document.ts';

export interface UploadInput {
  filename: string | undefined;
  mimeType: string | undefined;
  bytes: Uint8Array;
  description?: string | undefined;
}

export interface DocumentAndJob {
  document: DocumentRow;
  /** The ingestion job, null when the document failed before it could be queued. */
  job: KnowledgeJob | null;
}

/**
 * Uploaded documents: kept under the data directory, recorded pending, then processed in the
 * background by an ingestion job whose counters the API and CLI show.
 */
export function createDocumentService(deps: KnowledgeDeps) {
  return {
    async upload(tenantId: string, input: UploadInput): Promise<DocumentAndJob> {
      if (input.bytes.length > deps.maxUploadBytes) {
        throw new KnowledgeRequestError(
          'CAUSETTE_ERR_UPLOAD_TOO_LARGE',
          `The file is ${megabytes(input.bytes.length)}; the limit is ${megabytes(deps.maxUploadBytes)}.`,
        );
      }
      const filename = displayFilename(input.filename);
      const format = claimedFormat(filename, input.mimeType);
      if (!format) {
        throw new KnowledgeRequestError(
          'CAUSETTE_ERR_UNSUPPORTED_FILE_TYPE',
          `"${filename}" is not a supported document: upload PDF, DOCX, Markdown (.md), HTML or plain text (.txt).`,
        );
      }
      // A file whose bytes betray its name is recorded, as failed, so the admin sees why.
      let refusal: string | null = null;
      try {
        verifyFormat(format, input.bytes.subarray(0, 8));
      } catch (error) {
        refusal = readableError(error);
      }
      const id = randomUUID();
      const filePath = documentFilePath(tenantId, id, format);
      await saveDocumentFile(deps.dataDir, filePath, input.bytes);
      const created = await withTenant(deps.db, tenantId, async (tx) => {
        const [document] = await tx
          .insert(documents)
          .values({
            id,
            tenantId,
            filename,
            filePath,
            fileSize: input.bytes.length,
            mimeType: MIME_TYPES[format],
            status: refusal ? 'failed' : 'pending',
            error: refusal,
            contentHash: createHash('sha256').update(input.bytes).digest('hex'),
            metadata: {
              format,
              ...(input.mimeType ? { uploaded_mime_type: input.mimeType.slice(0, 100) } : {}),
              ...(input.description ? { description: input.description } : {}),
            },
          })
          .returning();
        const job = refusal ? null : await createJob(tx, tenantId, 'ingest', id);
        return { document: document!, job };
      });
      if (created.job) deps.runner.start(created.job, processDocument(deps, created.document));
      return created;
    },

    /** Processes a document again from its stored file (after a failure, or a change of embedder). */
    async reprocess(tenantId: string, id: string): Promise<DocumentAndJob> {
      const queued = await withTenant(deps.db, tenantId, async (tx) => {
        const document = await getDocument(tx, id);
        if (!document) throw new KnowledgeRequestError('CAUSETTE_ERR_NOT_FOUND', 'Document not found');
        if (await activeJobFor(tx, id)) {
          throw new KnowledgeRequestError(
            'CAUSETTE_ERR_SOURCE_BUSY',
            'The document is already being processed.',
          );
        }
        await markDocumentPending(tx, id);
        const job = await createJob(tx, tenantId, 'ingest', id);
        return { document: { ...document, status: 'pending', error: null }, job };
      });
      deps.runner.start(queued.job, processDocument(deps, queued.document));
      return queued;
    },

    /** Deletes a document, its chunks everywhere (vector store included) and its file. */
    async remove(tenantId: string, id: string): Promise<boolean> {
      const removed = await withTenant(deps.db, tenantId, async (tx) => {
        const document = await getDocument(tx, id);
        if (!document) return undefined;
        const chunkIds = await deleteSourceChunks(tx, { type: 'document', id });
        await tx.delete(documents).where(eq(documents.id, id));
        return { document, chunkIds };
      });
      if (!removed) return false;
      if (deps.vectors) await forget(deps, deps.vectors, tenantId, removed.chunkIds);
      await removeDocumentFile(deps.dataDir, removed.document.filePath).catch((error: unknown) =>
        deps.log.warn({ err: error, documentId: id }, 'could not remove a deleted document’s file'),
      );
      return true;
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
