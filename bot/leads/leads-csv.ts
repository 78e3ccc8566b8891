import type { LeadWithChannel } from './lead-store.ts';

const COLUMNS: [string, (lead: LeadWithChannel) => string | number | null][] = [
  ['id', (l) => l.id],
  ['created_at', (l) => l.createdAt.toISOString()],
  ['updated_at', (l) => l.updatedAt.toISOString()],
  ['name', (l) => l.name],
  ['email', (l) => l.email],
  ['phone', (l) => l.phone],
  ['company', (l) => l.company],
  ['need', (l) => l.need],
  ['score', (l) => l.score],
  ['score_value', (l) => l.scoreValue],
  ['status', (l) => l.status],
  ['channel', (l) => l.channel],
  ['conversation_id', (l) => l.conversationId],
  ['notes', (l) => l.notes],
];

export const LEADS_CSV_HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;

/** One CSV line (RFC 4180, CRLF) per lead, in the header's column order. */
export function leadCsvRow(lead: LeadWithChannel): string {
  return `${COLUMNS.map(([, value]) => csvCell(value(lead))).join(',')}\r\n`;
}

/**
 * Quotes a cell when needed, and defuses spreadsheet formulas: visitor text such as "=HYPERLINK(…)"
 * would otherwise run when the export is opened in Excel or LibreOffice (CSV injection).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // A phone number in E.164 ("+33…") is data, not a formula, and keeps its plus sign.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^\+\d{6,15}$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
