import { describe, expect, it } from 'vitest';
import { teamAvailability } from './panel.tsx';

const hours = {
  timezone: 'Europe/Paris',
  weekly: {
    mon: [
      ['09:00', '12:00'],
      ['14:00', '18:00'],
    ],
    fri: [['09:00', '18:00']],
  } as Record<string, [string, string][]>,
};

describe('team availability, in the business’s own time zone', () => {
  it('is open inside a range, whatever the visitor’s time zone', () => {
    // Monday 10:30 in Paris (UTC+1 in winter) is 09:30 UTC.
    expect(teamAvailability(hours, new Date('2026-11-23T09:30:00Z'))).toEqual({ open: true });
  });

  it('says when it opens next: later today, or the next open day', () => {
    expect(teamAvailability(hours, new Date('2026-11-23T12:30:00Z'))).toEqual({
      open: false,
      day: 1,
      at: '14:00',
    });
    expect(teamAvailability(hours, new Date('2026-11-23T18:30:00Z'))).toEqual({
      open: false,
      day: 5,
      at: '09:00',
    });
    expect(teamAvailability(hours, new Date('2026-11-28T10:00:00Z'))).toEqual({
      open: false,
      day: 1,
      at: '09:00',
    });
  });

  it('is undefined for a team that never opens, or an unknown time zone', () => {
    expect(teamAvailability({ timezone: 'Europe/Paris', weekly: {} })).toBeUndefined();
    expect(teamAvailability({ timezone: 'Mars/Olympus', weekly: hours.weekly })).toBeUndefined();
  });
});
