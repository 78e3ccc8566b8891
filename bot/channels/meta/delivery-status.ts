/**
 * How far a sent message got. Webhooks arrive in any order (read before delivered, delivered
 * after failed), so a status only ever moves forward along this ranking, whatever the order:
 * a late "sent" never undoes "read". A failure outranks "sent" (the message did not arrive) but
 * not "delivered" or "read" (it evidently did).
 */
const RANK: Record<string, number> = {
  pending: 0,
  sending: 0,
  refused: 1,
  sent: 2,
  failed: 3,
  delivered: 4,
  read: 5,
  played: 6,
};

export function statusRank(status: string): number {
  return RANK[status] ?? 0;
}

/** The status to keep when `incoming` arrives for a message that is at `current`. */
export function mergeStatus(current: string, incoming: string): string {
  return statusRank(incoming) > statusRank(current) ? incoming : current;
}

/** The SQL twin of statusRank, so that the merge happens in one UPDATE, safe under concurrency. */
export const STATUS_RANK_SQL = `case %s when 'refused' then 1 when 'sent' then 2 when 'failed' then 3 when 'delivered' then 4 when 'read' then 5 when 'played' then 6 else 0 end`;
