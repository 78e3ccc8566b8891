import type { InboxRow, InboxView, ListQuery } from '../../server/protocol/console-inbox.ts';

/** What a list shows: a view and its filters, as in the URL and the list request. */
export type ListFilter = Omit<ListQuery, 'cursor' | 'limit'>;

/** A row's place in every list: (lastActivityAt, id), both descending. */
export interface Position {
  at: string;
  id: string;
}

/**
 * Whether a conversation belongs in a list, by the rules the server applies (docs/console-api.md):
 * the view, then each filter by AND, and no resolved conversation unless the status filter asks.
 * Full-text search (`q`) is the server's alone: the caller decides for those lists.
 */
export function belongs(row: InboxRow, filter: ListFilter, me: string): boolean {
  if (!inView(row, filter.view, me)) return false;
  if (filter.status ? row.status !== filter.status : row.status === 'resolved') return false;
  if (filter.channel && row.channel !== filter.channel) return false;
  if (filter.assignee && row.assignee?.id !== filter.assignee) return false;
  return true;
}

function inView(row: InboxRow, view: InboxView, me: string): boolean {
  switch (view) {
    case 'mine':
      return row.assignee?.id === me;
    case 'unassigned':
      return row.assignee === null;
    case 'waiting':
      return row.status === 'waiting';
    case 'all':
      return true;
  }
}

/** Negative when `a` comes first in a list: newer activity first, then the greater id. */
export function compare(a: Position, b: Position): number {
  const at = Date.parse(b.at) - Date.parse(a.at);
  if (at !== 0) return at;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function positionOf(row: InboxRow): Position {
  return { at: row.lastActivityAt, id: row.id };
}
