import { extname } from 'node:path';
import { ExtractionError } from './extraction-error.ts';

export type DocumentFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

export const MIME_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
};

const BY_EXTENSION: Record<string, DocumentFormat> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
};

const BY_MIME: Record<string, DocumentFormat> = Object.fromEntries(
  Object.entries(MIME_TYPES).map(([format, mime]) => [mime, format as DocumentFormat]),
);

/** The file extension documents of each format are stored under. */
export const EXTENSIONS: Record<DocumentFormat, string> = {
  pdf: '.pdf',
  docx: '.docx',
  html: '.html',
  markdown: '.md',
  text: '.txt',
};

/** The format a file claims by its name, or else by its declared type; undefined if unsupported. */
export function claimedFormat(
  filename: string,
  declaredMime: string | undefined,
): DocumentFormat | undefined {
  return (
    BY_EXTENSION[extname(filename).toLowerCase()] ??
    (declaredMime ? BY_MIME[declaredMime.split(';')[0]!.trim().toLowerCase()] : undefined)
  );
}

/**
 * Checks a file's first bytes against the format it claims: a "PDF" without a PDF header or a
 * "DOCX" that is no zip is refused here rather than failing obscurely later.
 */
export function verifyFormat(format: DocumentFormat, head: Uint8Array): void {
  if (format === 'pdf' && !startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    throw new ExtractionError('The file is named as a PDF but is not one (no %PDF header).');
  }
  if (format === 'docx' && !startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    throw new ExtractionError('The file is named as a Word document but is not a DOCX (zip) file.');
  }
}

/** What a file is, from its name or declared type, checked against its first bytes. */
export function detectFormat(
  filename: string,
  declaredMime: string | undefined,
  head: Uint8Array,
): DocumentFormat {
  const claimed = claimedFormat(filename, declaredMime);
  if (!claimed) {
    if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
    throw new ExtractionError(
      `Unsupported file type "${extname(filename) || declaredMime || 'unknown'}": upload PDF, DOCX, Markdown, HTML or plain text.`,
    );
  }
  verifyFormat(claimed, head);
  return claimed;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}
