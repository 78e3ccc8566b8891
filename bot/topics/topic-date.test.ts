import { describe, expect, it } from 'vitest';
import {
  InvalidTopicDateError,
  knownTimeZone,
  localDate,
  parseTopicDate,
  previousDay,
} from './topic-date.ts';

describe('topic dates', () => {
  it('accepts real calendar days written YYYY-MM-DD', () => {
    expect(parseTopicDate('2026-11-21')).toBe('2026-11-21');
    expect(parseTopicDate('2024-02-29')).toBe('2024-02-29');
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-1-5',
    '21/11/2026',
    'yesterday',
    '',
    '2026-11-21T00:00',
  ])('refuses %j with a coded error', (value) => {
    expect(() => parseTopicDate(value)).toThrow(InvalidTopicDateError);
    expect(() => parseTopicDate(value)).toThrow(/YYYY-MM-DD/);
  });

  it("tells the day of an instant in the tenant's zone", () => {
    const instant = new Date('2026-11-21T23:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-11-21');
    expect(localDate(instant, 'Europe/Paris')).toBe('2026-11-22');
    expect(localDate(instant, 'America/New_York')).toBe('2026-11-21');
  });

  it('steps back a day across months and years', () => {
    expect(previousDay('2026-03-01')).toBe('2026-02-28');
    expect(previousDay('2027-01-01')).toBe('2026-12-31');
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    expect(knownTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(knownTimeZone('Mars/Olympus')).toBe('UTC');
    expect(knownTimeZone(null)).toBe('UTC');
  });
});
