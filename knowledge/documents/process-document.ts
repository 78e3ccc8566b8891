import { extname } from 'node:path';
import { withTenant } from '../../db/tenant-scope.ts';
import { chunkMarkdown } from '../ingest/chunk-markdown.ts';
import type { DocumentFormat } from '../ingest/extract/document-format.ts';
import { extractDocument } from '../ingest/extract/extract-document.ts';
import type { ExtractedText } from '../ingest/extract/extract-html.ts';
import { extractIsolated } from '../ingest/extract/extract-isolated.ts';
import { readableError } from '../ingest/extract/extraction-error.ts';
import { deleteSourceChunks, forget, replaceSourceChunks } from '../ingest/index-chunks.ts';
import type { JobWork } from '../jobs/job-runner.ts';
import type { KnowledgeDeps } from '../knowledge-deps.ts';
import { readDocumentFile } from './document-files.ts';
import { type DocumentRow, markDocumentFailed, markDocumentProcessed } from './document-store.ts';

/** Raised when a document is deleted while it is being processed: its work is dropped. */
class DocumentGone extends Error {
  readonly code = 'CAUSETTE_ERR_DOCUMENT_GONE';
  constructor() {
    super('The document was deleted while it was being processed.');
  }
}

/**
 * The work of an ingestion job: read the stored file, extract its text (in a separate thread for
 * PDF and DOCX, whose parsers face untrusted binary input), chunk it, embed the chunks and
 * replace the document's chunks in one transaction that also marks it processed. On any failure
 * the document is marked failed with a readable error and keeps no chunks.
 */
export function processDocument(deps: KnowledgeDeps, document: DocumentRow): JobWork {
  return async (progress, signal) => {
    const tenantId = document.tenantId;
    try {
      progress.update({ phase: 'extracting' });
      const format = document.metadata['format'] as DocumentFormat;
      const bytes = await readDocumentFile(deps.dataDir, document.filePath);
      const extracted: ExtractedText =
        format === 'pdf' || format === 'docx'
          ? await extractIsolated(format, bytes, deps.isolation, signal)
          : await extractDocument(format, bytes);
      signal.throwIfAborted();
      progress.update({ phase: 'chunking' });
      const chunks = await chunkMarkdown(extracted.markdown, {
        sourceTitle: extracted.title ?? titleFromFilename(document.filename),
        locator: { filename: document.filename },
      });
      if (chunks.length === 0) throw new Error('The document contains no text to index.');
      progress.update({ phase: 'indexing', chunksTotal: chunks.length });
      await replaceSourceChunks(deps, tenantId, { type: 'document', id: document.id }, chunks, {
        signal,
        onProgress: (chunksIndexed) => progress.update({ chunksIndexed }),
        alsoInTransaction: async (tx, count) => {
          if (!(await markDocumentProcessed(tx, document.id, count))) throw new DocumentGone();
        },
      });
      progress.update({ phase: 'done' });
    } catch (error) {
      if (error instanceof DocumentGone) return;
      const message = signal.aborted
        ? 'Processing was interrupted; re-process the document.'
        : readableError(error);
      const removed = await withTenant(deps.db, tenantId, async (tx) => {
        const ids = await deleteSourceChunks(tx, { type: 'document', id: document.id });
        await markDocumentFailed(tx, document.id, message);
        return ids;
      });
      if (deps.vectors) await forget(deps, deps.vectors, tenantId, removed);
      throw error;
    }
  };
}

/** "politique_retours-2025.pdf" → "politique retours 2025". */
function titleFromFilename(filename: string): string {
  const base = filename.slice(0, filename.length - extname(filename).length);
  return base.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim() || filename;
}
