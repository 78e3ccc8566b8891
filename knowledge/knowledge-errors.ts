/** Why a knowledge request is refused, with a stable code the API answers with. */
export class KnowledgeRequestError extends Error {
  constructor(
    readonly code:
      | 'CAUSETTE_ERR_UPLOAD_TOO_LARGE'
      | 'CAUSETTE_ERR_UNSUPPORTED_FILE_TYPE'
      | 'CAUSETTE_ERR_SOURCE_BUSY'
      | 'CAUSETTE_ERR_INVALID_URL'
      | 'CAUSETTE_ERR_NOT_FOUND'
      | 'CAUSETTE_ERR_CONFLICT',
    message: string,
  ) {
    super(message);
  }
}
