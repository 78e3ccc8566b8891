import { KnowledgeRequestError } from '../../../knowledge/knowledge-errors.ts';
import { Errors } from '../../errors.ts';

/** Turns a refusal of the knowledge layer into the API's coded error. */
export function toApiError(error: unknown): unknown {
  if (!(error instanceof KnowledgeRequestError)) return error;
  switch (error.code) {
    case 'CAUSETTE_ERR_UPLOAD_TOO_LARGE':
      return new Errors.PayloadTooLarge(error.message);
    case 'CAUSETTE_ERR_UNSUPPORTED_FILE_TYPE':
      return new Errors.UnsupportedMediaType(error.message);
    case 'CAUSETTE_ERR_NOT_FOUND':
      return new Errors.NotFound(error.message.replace(/ not found$/, ''));
    case 'CAUSETTE_ERR_SOURCE_BUSY':
    case 'CAUSETTE_ERR_CONFLICT':
      return new Errors.Conflict(error.message);
    case 'CAUSETTE_ERR_INVALID_URL':
      return new Errors.BadRequest(error.message);
  }
}
