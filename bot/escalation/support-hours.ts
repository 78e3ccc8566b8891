import type { WeeklyHours } from '../../migrations/schema/index.ts';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export type Availability =
  /** Someone is there now. */
  | { kind: 'open' }
  /** Nobody now; the next support hours start at `at`. */
  | { kind: 'later'; at: Date }
  /** The tenant gave no support hours. */
  | { kind: 'unknown' };

/**
 * When a human can answer, from the tenant's weekly support hours in its own time zone. Ranges
 * are wall-clock times ("09:00"–"18:00"); daylight saving changes are handled by converting each
 * candidate wall-clock time through the zone.
 */
export function supportAvailability(hours: WeeklyHours, timeZone: string, now: Date): Availability {
  const days = Object.values(hours).filter((ranges) => ranges && ranges.length > 0);
  if (days.length === 0) return { kind: 'unknown' };
  const zone = validZone(timeZone);
  for (let offset = 0; offset <= 7; offset += 1) {
    const day = localDate(new Date(now.getTime() + offset * 86_400_000), zone);
    const ranges = [...(hours[DAYS[day.weekday]!] ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
    for (const [start, end] of ranges) {
      const from = zonedTime(day, start, zone);
      const to = zonedTime(day, end, zone);
      if (offset === 0 && now >= from && now < to) return { kind: 'open' };
      if (from > now) return { kind: 'later', at: from };
    }
  }
  return { kind: 'unknown' };
}

/** The day of the week (0 = Sunday) and the wall-clock time ("09:30") at an instant in a zone. */
export function localClock(instant: Date, timeZone: string): { weekday: number; time: string } {
  const zone = validZone(timeZone);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { weekday, time: `${get('hour').padStart(2, '0')}:${get('minute').padStart(2, '0')}` };
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

function validZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function localDate(instant: Date, timeZone: string): LocalDay {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), weekday };
}

/** The instant at which the zone's clocks show `hhmm` on that day. */
function zonedTime(day: LocalDay, hhmm: string, timeZone: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const wall = Date.UTC(day.year, day.month - 1, day.day, h ?? 0, m ?? 0);
  let guess = wall;
  // Twice: the offset at the first guess may differ from the offset at the answer (DST days).
  for (let i = 0; i < 2; i += 1) guess = wall - zoneOffset(new Date(guess), timeZone);
  return new Date(guess);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffset(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}
