import { describe, expect, it } from '@jest/globals';

import { expectTraceError } from '../../test/support/trace-error.js';
import { formatHashTimestamp } from './timestamp.js';

// CBV 2.0 event hash ID rules 8-9. Expected values are plain UTC arithmetic, e.g.
// `date -u -d '2020-03-04T11:00:30+01:00' +%FT%T.%3NZ` for the offset cases.
describe('formatHashTimestamp', () => {
  it.each([
    ['offset east', '2020-03-04T11:00:30.000+01:00', '2020-03-04T10:00:30.000Z'],
    ['offset west, crossing midnight', '2022-02-16T20:33:31.116-06:00', '2022-02-17T02:33:31.116Z'],
    ['half-hour offset', '2020-01-01T00:10:00-01:30', '2020-01-01T01:40:00.000Z'],
    ['+14:00 into the previous year', '2020-01-01T00:00:00+14:00', '2019-12-31T10:00:00.000Z'],
    ['Z kept, milliseconds zero-filled', '2019-10-21T14:45:00Z', '2019-10-21T14:45:00.000Z'],
    ['-00:00', '2019-10-21T14:45:00-00:00', '2019-10-21T14:45:00.000Z'],
    ['one fractional digit', '2022-02-17T11:30:47.5Z', '2022-02-17T11:30:47.500Z'],
    ['six fractional digits', '2022-02-15T01:33:31.116000-06:00', '2022-02-15T07:33:31.116Z'],
    ['4th digit 4: down', '2023-02-02T11:04:03.1414Z', '2023-02-02T11:04:03.141Z'],
    ['4th digit 5: up', '2023-02-02T11:04:03.1415Z', '2023-02-02T11:04:03.142Z'],
    [
      '4th digit 5 after an even 3rd: up (half-up, not half-even)',
      '2020-01-01T00:00:00.0005Z',
      '2020-01-01T00:00:00.001Z',
    ],
    ['digits after the 4th ignored', '2020-01-01T00:00:00.12349999Z', '2020-01-01T00:00:00.123Z'],
    ['carry into the next year', '2020-12-31T23:59:59.9996-01:30', '2021-01-01T01:30:00.000Z'],
    ['leap day', '2024-02-29T12:00:00+12:00', '2024-02-29T00:00:00.000Z'],
    ['year 2000 is a leap year', '2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['early year, no 19xx surprise', '0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('%s', (_name, input, want) => {
    expect(formatHashTimestamp(input, '/eventTime')).toBe(want);
  });

  it.each([
    ['no offset', '2020-03-04T11:00:30'],
    ['no seconds', '2020-03-04T11:00Z'],
    ['a date only', '2020-03-04'],
    ['a space for T', '2020-03-04 11:00:30Z'],
    ['an offset without colon', '2020-03-04T11:00:30+0100'],
    ['month 13', '2020-13-01T00:00:00Z'],
    ['month 0', '2020-00-01T00:00:00Z'],
    ['day 0', '2020-01-00T00:00:00Z'],
    ['31 April', '2020-04-31T00:00:00Z'],
    ['29 February of a common year', '1900-02-29T00:00:00Z'],
    ['hour 24', '2020-01-01T24:00:00Z'],
    ['minute 60', '2020-01-01T00:60:00Z'],
    ['second 60', '2020-01-01T00:00:60Z'],
    ['offset +15:00', '2020-01-01T00:00:00+15:00'],
    ['offset minutes 60', '2020-01-01T00:00:00+01:60'],
    ['year 0 in UTC', '0001-01-01T00:30:00+01:00'],
    ['year 10000 in UTC', '9999-12-31T23:30:00-01:00'],
  ])('rejects %s, naming the field', (_name, input) => {
    expectTraceError(
      () => formatHashTimestamp(input, '/sensorElementList/0/sensorMetadata/time'),
      'INVALID_EVENT',
      `/sensorElementList/0/sensorMetadata/time "${input}"`,
    );
  });
});
