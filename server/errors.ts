import createError from '@fastify/error';
import Type from 'typebox';

/**
 * Every error the HTTP API answers with, each with a stable code clients can match on. Messages
 * are safe to show; anything else becomes CAUSETTE_ERR_INTERNAL.
 */
export const Errors = {
  Unauthorized: createError(
    'CAUSETTE_ERR_UNAUTHORIZED',
    'A valid API key is required: send "Authorization: Bearer <key>"',
    401,
  ),
  NotFound: createError('CAUSETTE_ERR_NOT_FOUND', '%s not found', 404),
  UnknownTenant: createError('CAUSETTE_ERR_UNKNOWN_TENANT', 'No tenant has the slug "%s"', 404),
  OriginNotAllowed: createError(
    'CAUSETTE_ERR_ORIGIN_NOT_ALLOWED',
    "This site (%s) is not allowed to open this tenant's chat",
    403,
  ),
  Conflict: createError('CAUSETTE_ERR_CONFLICT', '%s', 409),
  BadRequest: createError('CAUSETTE_ERR_BAD_REQUEST', '%s', 400),
  PayloadTooLarge: createError('CAUSETTE_ERR_UPLOAD_TOO_LARGE', '%s', 413),
  UnsupportedMediaType: createError('CAUSETTE_ERR_UNSUPPORTED_FILE_TYPE', '%s', 415),
  WidgetNotBuilt: createError(
    'CAUSETTE_ERR_WIDGET_NOT_BUILT',
    'The widget bundle has not been built: run `npm run build`',
    503,
  ),
  ConsoleNotBuilt: createError(
    'CAUSETTE_ERR_CONSOLE_NOT_BUILT',
    'The console has not been built: run `npm run build`',
    503,
  ),
  Busy: createError('CAUSETTE_ERR_BUSY', 'The server holds as many chats as it can; try again shortly', 503),
  RateLimited: createError(
    'CAUSETTE_ERR_RATE_LIMITED',
    'Too many requests from this address; retry in %s seconds',
    429,
  ),
  ShuttingDown: createError('CAUSETTE_ERR_SHUTTING_DOWN', 'The server is shutting down', 503),
  BadSignature: createError(
    'CAUSETTE_ERR_BAD_SIGNATURE',
    'The X-Hub-Signature-256 header is missing or does not match the body',
    401,
  ),
  BadWebhook: createError('CAUSETTE_ERR_BAD_WEBHOOK', '%s', 400),
  WebhookVerifyFailed: createError(
    'CAUSETTE_ERR_VERIFY_TOKEN',
    'hub.mode must be "subscribe" and hub.verify_token must match META_VERIFY_TOKEN',
    403,
  ),
  WebhooksNotConfigured: createError(
    'CAUSETTE_ERR_WEBHOOKS_NOT_CONFIGURED',
    'Meta webhooks are not configured on this server: set META_APP_SECRET and META_VERIFY_TOKEN',
    503,
  ),
  StorageUnavailable: createError(
    'CAUSETTE_ERR_STORAGE_UNAVAILABLE',
    'The event could not be stored; deliver it again later',
    503,
  ),
  AccountTaken: createError('CAUSETTE_ERR_ACCOUNT_TAKEN', '%s', 409),
  AccountVerifyFailed: createError('CAUSETTE_ERR_ACCOUNT_VERIFY', '%s', 422),
  IntentLimit: createError('CAUSETTE_ERR_INTENT_LIMIT', '%s', 422),
} as const;

/** The body of every error answer, for response schemas and the API reference. */
export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    /** Stable: CAUSETTE_ERR_*, or FST_ERR_VALIDATION for a request that does not match its schema. */
    code: Type.String(),
    error: Type.String(),
    /** For people; safe to show. */
    message: Type.String(),
  },
  { description: 'An error, with a stable `code` to match on' },
);
