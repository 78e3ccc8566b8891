import type { PublicBusinessHours } from '../../server/protocol/widget-config.ts';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * Whether the team answers now, in the business's own time zone, or when it next opens:
 * { open: true } or { day: 0-6 (0 is Sunday), at: "09:00" }, or undefined when it never opens.
 */
export function teamAvailability(
  hours: PublicBusinessHours,
  now = new Date(),
): { open: true } | { open: false; day: number; at: string } | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: hours.timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    return undefined;
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const today = DAYS.indexOf(part('weekday').slice(0, 3).toLowerCase());
  const time = `${part('hour')}:${part('minute')}`;
  for (let offset = 0; offset < 8; offset++) {
    const day = (today + offset) % 7;
    for (const [from, to] of hours.weekly[DAYS[day]!] ?? []) {
      if (offset === 0 && from <= time && time < to) return { open: true };
      if (offset > 0 || time < from) return { open: false, day, at: from };
    }
  }
  return undefined;
}
