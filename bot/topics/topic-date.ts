/** A day as the topics job names it: YYYY-MM-DD, in the tenant's time zone. */
export class InvalidTopicDateError extends Error {
  readonly code = 'CAUSETTE_ERR_INVALID_DATE';
}

/** The date itself when it is a real calendar day written YYYY-MM-DD; a coded error otherwise. */
export function parseTopicDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC rolls 2026-02-30 over to March: a day that does not survive the round trip is no day.
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return value;
    }
  }
  throw new InvalidTopicDateError(`"${value}" is not a date: use YYYY-MM-DD, e.g. 2026-11-21`);
}

/** The calendar day an instant falls on in a time zone, YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** The day before a YYYY-MM-DD day. */
export function previousDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/** The zone when the runtime knows it, UTC otherwise (a profile edited by hand, an old tz database). */
export function knownTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
