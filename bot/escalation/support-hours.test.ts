import { describe, expect, it } from 'vitest';
import { supportAvailability } from './support-hours.ts';

const WEEKDAYS = {
  mon: [['09:00', '18:00']],
  tue: [['09:00', '18:00']],
  wed: [['09:00', '18:00']],
  thu: [['09:00', '18:00']],
  fri: [
    ['09:00', '12:00'],
    ['14:00', '17:00'],
  ],
} as const satisfies Record<string, [string, string][]>;
const hours = WEEKDAYS as unknown as Parameters<typeof supportAvailability>[0];

describe('supportAvailability', () => {
  it('is open inside a range, in the tenant’s time zone', () => {
    // Wednesday 2025-06-11 10:00 in Paris is 08:00 UTC (summer time).
    expect(supportAvailability(hours, 'Europe/Paris', new Date('2025-06-11T08:00:00Z'))).toEqual({
      kind: 'open',
    });
    // 07:30 UTC is 09:30 in Paris but 03:30 in New York.
    expect(supportAvailability(hours, 'America/New_York', new Date('2025-06-11T07:30:00Z')).kind).toBe(
      'later',
    );
  });

  it('gives the next opening: after the lunch break, and after the weekend', () => {
    // Friday 12:30 Paris → 14:00 Paris, 12:00 UTC.
    expect(supportAvailability(hours, 'Europe/Paris', new Date('2025-06-13T10:30:00Z'))).toEqual({
      kind: 'later',
      at: new Date('2025-06-13T12:00:00Z'),
    });
    // Saturday → Monday 09:00 Paris.
    expect(supportAvailability(hours, 'Europe/Paris', new Date('2025-06-14T10:00:00Z'))).toEqual({
      kind: 'later',
      at: new Date('2025-06-16T07:00:00Z'),
    });
  });

  it('follows daylight saving: Monday 09:00 Paris is 08:00 UTC in winter', () => {
    expect(supportAvailability(hours, 'Europe/Paris', new Date('2025-01-04T12:00:00Z'))).toEqual({
      kind: 'later',
      at: new Date('2025-01-06T08:00:00Z'),
    });
  });

  it('knows nothing without hours, and survives an invalid zone', () => {
    expect(supportAvailability({}, 'Europe/Paris', new Date())).toEqual({ kind: 'unknown' });
    expect(supportAvailability(hours, 'Not/AZone', new Date('2025-06-11T10:00:00Z'))).toEqual({
      kind: 'open',
    });
  });
});
