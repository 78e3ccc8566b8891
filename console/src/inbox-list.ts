import type { InboxPage, InboxRow } from '../../server/protocol/console-inbox.ts';
import { belongs, compare, type ListFilter, type Position, positionOf } from './inbox-rules.ts';

/**
 * One list of the inbox as the console holds it, kept equal to what a fresh load would give.
 * Every row it has seen is kept with the seq of its state (null once removed), so an HTTP page
 * and an event that cross each other converge to the newer. The rows shown are derived: those
 * that belong to the view and filters and sort before the last loaded row (all of them once the
 * list is complete).
 */
export interface InboxList {
  readonly filter: ListFilter;
  readonly me: string;
  readonly known: ReadonlyMap<string, Known>;
  /** A search's rows, as the server found them; null for other lists. */
  readonly found: ReadonlySet<string> | null;
  /** The last loaded row's position, or null when every row is loaded. */
  readonly boundary: Position | null;
  readonly nextCursor: string | null;
  readonly loaded: boolean;
  readonly rows: readonly InboxRow[];
}

interface Known {
  row: InboxRow | null;
  seq: number;
}

export function emptyList(filter: ListFilter, me: string): InboxList {
  return {
    filter,
    me,
    known: new Map(),
    found: filter.q ? new Set() : null,
    boundary: null,
    nextCursor: null,
    loaded: false,
    rows: [],
  };
}

/**
 * A page from the server. The first page starts the list afresh, keeping only what events
 * newer than the page said; a next page extends it.
 */
export function withPage(list: InboxList, page: InboxPage, first: boolean): InboxList {
  const known = new Map<string, Known>();
  for (const [id, entry] of list.known) if (!first || entry.seq > page.seq) known.set(id, entry);
  const found = list.filter.q ? new Set(first ? [] : list.found) : null;
  for (const row of page.items) {
    found?.add(row.id);
    if ((known.get(row.id)?.seq ?? -1) > page.seq) continue;
    known.set(row.id, { row, seq: page.seq });
  }
  const last = page.items.at(-1);
  const boundary = page.nextCursor && last ? positionOf(last) : null;
  return derive({ ...list, known, found, boundary, nextCursor: page.nextCursor, loaded: true });
}

/** A `conversation` event: the row's state as of `seq`. */
export function withRow(list: InboxList, row: InboxRow, seq: number): InboxList {
  if ((list.known.get(row.id)?.seq ?? -1) >= seq) return list;
  const known = new Map(list.known);
  known.set(row.id, { row, seq });
  return derive({ ...list, known });
}

/** A `conversation_removed` event. */
export function withoutRow(list: InboxList, id: string, seq: number): InboxList {
  if ((list.known.get(id)?.seq ?? -1) >= seq) return list;
  const known = new Map(list.known);
  known.set(id, { row: null, seq });
  return derive({ ...list, known });
}

/** The newest state the list knows of a conversation, shown or not. */
export function knownRow(list: InboxList, id: string): InboxRow | undefined {
  return list.known.get(id)?.row ?? undefined;
}

function derive(list: Omit<InboxList, 'rows'> & { rows?: readonly InboxRow[] }): InboxList {
  const rows: InboxRow[] = [];
  if (list.loaded) {
    for (const [id, { row }] of list.known) {
      if (!row || (list.found && !list.found.has(id))) continue;
      if (!belongs(row, list.filter, list.me)) continue;
      if (list.boundary && compare(positionOf(row), list.boundary) > 0) continue;
      rows.push(row);
    }
    rows.sort((a, b) => compare(positionOf(a), positionOf(b)));
  }
  return { ...list, rows };
}
