/**
 * A file or page that cannot become knowledge, with a message an admin can act on ("the PDF is
 * password-protected"). Anything else that goes wrong during extraction is reported as a generic
 * failure.
 */
export class ExtractionError extends Error {
  readonly code = 'CAUSETTE_ERR_EXTRACTION';
}

/** The admin-facing message of any error thrown while reading or indexing a source. */
export function readableError(error: unknown): string {
  if (error instanceof ExtractionError) return error.message;
  if (error instanceof Error && 'code' in error && String(error.code).startsWith('CAUSETTE_ERR_')) {
    return error.message;
  }
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
}
