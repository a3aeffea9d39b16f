import { describe, expect, it } from '@jest/globals';

import { nextScheduledTime, parseQuerySchedule, ScheduleError } from './query-schedule.js';

const at = (iso: string): Date => new Date(iso);
const next = (schedule: Record<string, string>, after: string): string | undefined =>
  nextScheduledTime(parseQuerySchedule(schedule), at(after))?.toISOString();

const refusal = (schedule: unknown): ScheduleError => {
  try {
    parseQuerySchedule(schedule);
  } catch (error) {
    if (error instanceof ScheduleError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(schedule)}`);
};

describe(parseQuerySchedule.name, () => {
  it('reads numbers, [low-high] ranges and comma-separated lists of both', () => {
    expect(parseQuerySchedule({ second: '0,[10-12],59', hour: '1' })).toEqual({
      second: new Set([0, 10, 11, 12, 59]),
      hour: new Set([1]),
    });
  });

  it('accepts an empty schedule (every second)', () => {
    expect(parseQuerySchedule({})).toEqual({});
  });

  it.each([
    [{ second: '60' }, 'second', /outside 0–59/],
    [{ minute: '-1' }, 'minute', /not a list/],
    [{ hour: '24' }, 'hour', /outside 0–23/],
    [{ dayOfMonth: '0' }, 'dayOfMonth', /outside 1–31/],
    [{ month: '13' }, 'month', /outside 1–12/],
    [{ dayOfWeek: '[0-6]' }, 'dayOfWeek', /outside 1–7/],
    [{ second: '[30-10]' }, 'second', /empty/],
    [{ second: '0/30' }, 'second', /not a list/],
    [{ second: '1, 2' }, 'second', /not a list/],
    [{ second: '' }, 'second', /not a list/],
    [{ second: 5 }, 'second', /must be a string/],
  ])('refuses %j, naming %s', (schedule, field, message) => {
    const error = refusal(schedule);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('refuses unknown members, non-objects and schedules that never fire', () => {
    expect(refusal({ year: '2030' }).message).toMatch(/schedule\.year is not a schedule field/);
    expect(refusal(null).message).toMatch(/must be an object/);
    expect(refusal(['1']).message).toMatch(/must be an object/);
    expect(refusal({ dayOfMonth: '31', month: '2' }).message).toMatch(/never fires/);
  });
});

describe(nextScheduledTime.name, () => {
  it('fires every second when every field is omitted', () => {
    expect(next({}, '2026-11-27T10:00:00.400Z')).toBe('2026-11-27T10:00:01.000Z');
  });

  it('fires strictly after the given time', () => {
    expect(next({ second: '0' }, '2026-11-27T10:00:00.000Z')).toBe('2026-11-27T10:01:00.000Z');
  });

  it("runs at 1:05 every day (the binding's example, every second of that minute)", () => {
    expect(next({ hour: '1', minute: '5', second: '0' }, '2026-11-27T10:00:00Z')).toBe(
      '2026-11-28T01:05:00.000Z',
    );
    expect(next({ hour: '1', minute: '5' }, '2026-11-28T01:05:00Z')).toBe(
      '2026-11-28T01:05:01.000Z',
    );
  });

  it('takes day of week 1 as Monday and 7 as Sunday', () => {
    // 2026-11-27 is a Friday.
    expect(
      next({ dayOfWeek: '1', hour: '0', minute: '0', second: '0' }, '2026-11-27T10:00:00Z'),
    ).toBe('2026-11-30T00:00:00.000Z');
    expect(
      next({ dayOfWeek: '7', hour: '0', minute: '0', second: '0' }, '2026-11-27T10:00:00Z'),
    ).toBe('2026-11-29T00:00:00.000Z');
  });

  it('needs both dayOfMonth and dayOfWeek to match when both are given', () => {
    // The next Friday the 13th after 2026-11-27 is in August 2027.
    expect(
      next(
        { dayOfMonth: '13', dayOfWeek: '5', hour: '0', minute: '0', second: '0' },
        '2026-11-27T00:00:00Z',
      ),
    ).toBe('2027-08-13T00:00:00.000Z');
  });

  it('crosses months and years, and finds 29 February', () => {
    expect(
      next(
        { month: '1', dayOfMonth: '1', hour: '0', minute: '0', second: '0' },
        '2026-11-27T00:00:00Z',
      ),
    ).toBe('2027-01-01T00:00:00.000Z');
    expect(
      next(
        { month: '2', dayOfMonth: '29', hour: '0', minute: '0', second: '0' },
        '2026-11-27T00:00:00Z',
      ),
    ).toBe('2028-02-29T00:00:00.000Z');
  });

  it('fires at each listed second in turn', () => {
    const schedule = parseQuerySchedule({ second: '[0-1],30' });
    const times: string[] = [];
    let t = at('2026-11-27T10:00:59.999Z');
    for (let i = 0; i < 4; i += 1) {
      t = nextScheduledTime(schedule, t)!;
      times.push(t.toISOString().slice(14, 19));
    }
    expect(times).toEqual(['01:00', '01:01', '01:30', '02:00']);
  });
});
