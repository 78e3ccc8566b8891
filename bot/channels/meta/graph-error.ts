/**
 * An error answered by the Graph API (or the failure to reach it), classified for the outbox:
 * what to retry, what means "outside the customer service window", and what is final.
 */
export class GraphApiError extends Error {
  readonly code: string = 'CAUSETTE_ERR_GRAPH';
  constructor(
    message: string,
    /** HTTP status; 0 when Meta was not reached at all (refused, reset, timed out). */
    readonly status: number,
    readonly graphCode: number | undefined,
    readonly graphSubcode: number | undefined,
    readonly details: string | undefined,
  ) {
    super(message);
  }

  get kind(): GraphErrorKind {
    return classifyGraphError(this.status, this.graphCode, this.graphSubcode);
  }
}

export type GraphErrorKind =
  /** Meta unreachable, 5xx, or a transient Graph error: try again later. */
  | 'transient'
  /** Throughput or app/account rate limit: slow the whole account down. */
  | 'rate_limit'
  /** Too many messages to this one customer (WhatsApp pair rate, 131056): back off 4^n seconds. */
  | 'pair_rate_limit'
  /** The 24-hour customer service window is closed (WhatsApp 131047, Instagram 10/2534022). */
  | 'window_closed'
  /** The token was revoked, expired or lacks a permission: nothing works until it is replaced. */
  | 'auth'
  /** Anything else: this message will not go through as it is. */
  | 'permanent';

/** Graph error codes that mean one thing wherever they are read. */
export const GraphCode = {
  /** WhatsApp's "Re-engagement message": the customer service window is closed. */
  whatsappWindowClosed: 131047,
  /** WhatsApp's pair rate limit: too many messages to this one customer. */
  whatsappPairRateLimit: 131056,
} as const;

/** Graph codes that mean "too fast": app, account, business or phone-number throughput. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429]);
/** Codes Meta documents as temporary. */
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016, 133004]);
const AUTH_CODES = new Set([102, 190, 200, 10]);
/** "This message is sent outside of allowed window" for Instagram (2534022) and Messenger (2018278). */
const WINDOW_SUBCODES = new Set([2534022, 2018278]);

export function classifyGraphError(
  status: number,
  code: number | undefined,
  subcode: number | undefined,
): GraphErrorKind {
  if (code === GraphCode.whatsappWindowClosed) return 'window_closed';
  if (subcode !== undefined && WINDOW_SUBCODES.has(subcode)) return 'window_closed';
  if (code === GraphCode.whatsappPairRateLimit) return 'pair_rate_limit';
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return 'rate_limit';
  if (status === 429) return 'rate_limit';
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
  if (status === 0 || status >= 500) return 'transient';
  if (status === 401 || (code !== undefined && AUTH_CODES.has(code))) return 'auth';
  return 'permanent';
}
