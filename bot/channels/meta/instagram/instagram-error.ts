/** The Instagram Send API answered in a way this adapter does not understand. */
export class InstagramSendError extends Error {
  readonly code = 'CAUSETTE_ERR_INSTAGRAM_SEND';
}
