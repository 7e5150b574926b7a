import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../src/core/errors.js';
import { dt, long, openHarness, real, span, str, US, type Harness } from './duckdb-functions-b-harness.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

describe('now and ago (compiler appends the query now as the last datetime argument)', () => {
  const now = dt('2024-01-01 00:00:00');
  it('ago subtracts the timespan from the fixed now', async () => {
    expect(await h.call('ago', [span(US.h), now], 'datetime')).toBe('2023-12-31 23:00:00');
    expect(await h.call('ago', [span(7n * US.d), now], 'datetime')).toBe('2023-12-25 00:00:00');
  });
  it('now() and now(offset)', async () => {
    expect(await h.call('now', [now], 'datetime')).toBe('2024-01-01 00:00:00');
    expect(await h.call('now', [span(-2n * US.d), now], 'datetime')).toBe('2023-12-30 00:00:00');
  });
  it('falls back to the clock when the compiler passes no now', async () => {
    const v = await h.call('ago', [span(0n)], 'datetime');
    expect(Math.abs(Date.parse(v!.replace(' ', 'T') + 'Z') - Date.now())).toBeLessThan(60_000);
  });
});

describe('bin', () => {
  it('bins datetimes by days like the Kusto docs', async () => {
    expect(await h.call('bin', [dt('1970-05-11 13:45:07'), span(US.d)], 'datetime')).toBe('1970-05-11 00:00:00');
  });
  it('aligns 7d bins on Mondays (ticks counted from 0001-01-01), not on the Unix epoch Thursday', async () => {
    expect(await h.call('bin', [dt('2024-01-03 10:00'), span(7n * US.d)], 'datetime')).toBe('2024-01-01 00:00:00');
    expect(await h.call('bin', [dt('2024-01-07 23:59'), span(7n * US.d)], 'datetime')).toBe('2024-01-01 00:00:00');
    expect(await h.call('bin', [dt('2024-01-08 00:00'), span(7n * US.d)], 'datetime')).toBe('2024-01-08 00:00:00');
  });
  it('floors before 1970 as well', async () => {
    expect(await h.call('bin', [dt('1969-12-31 23:30'), span(US.h)], 'datetime')).toBe('1969-12-31 23:00:00');
    expect(await h.call('bin', [dt('2024-03-05 10:17:45'), span(15n * US.m)], 'datetime')).toBe('2024-03-05 10:15:00');
  });
  it('bins numbers and timespans (floor, also for negatives)', async () => {
    expect(await h.call('bin', [real(4.5), long(1)], 'real')).toBe('4.0');
    expect(await h.call('bin', [real(-4.5), long(1)], 'real')).toBe('-5.0');
    expect(await h.call('bin', [long(-7), long(2)], 'long')).toBe('-8');
    expect(await h.call('bin', [span(16n * US.d), span(7n * US.d)], 'timespan')).toBe(String(14n * US.d));
    expect(await h.call('floor', [long(17), long(5)], 'long')).toBe('15');
    expect(await h.call('floor', [real(-1.5)], 'real')).toBe('-2.0');
  });
  it('gives null for a non-positive bin size', async () => {
    expect(await h.call('bin', [long(7), long(0)], 'long')).toBeNull();
    expect(await h.call('bin', [dt('2024-01-01'), span(0n)], 'datetime')).toBeNull();
  });
  it('bin_at follows the Kusto doc examples', async () => {
    expect(await h.call('bin_at', [dt('2017-05-15 10:20:00'), span(US.d), dt('1970-01-01 12:00:00')], 'datetime')).toBe('2017-05-14 12:00:00');
    expect(await h.call('bin_at', [real(6.5), real(2.5), long(7)], 'real')).toBe('4.5');
    expect(await h.call('bin_at', [span(US.h), span(US.d), span(12n * US.h)], 'timespan')).toBe(String(-12n * US.h));
  });
});

describe('start/end of periods', () => {
  const t = dt('2017-01-01 10:10:17');
  it('with offsets (doc examples)', async () => {
    expect(await h.call('startofday', [t, long(-1)], 'datetime')).toBe('2016-12-31 00:00:00');
    expect(await h.call('startofweek', [t, long(-1)], 'datetime')).toBe('2016-12-25 00:00:00');
    expect(await h.call('startofmonth', [t, long(-1)], 'datetime')).toBe('2016-12-01 00:00:00');
    expect(await h.call('startofyear', [t, long(-1)], 'datetime')).toBe('2016-01-01 00:00:00');
    expect(await h.call('startofweek', [dt('2024-01-03')], 'datetime')).toBe('2023-12-31 00:00:00');
  });
  it('ends one microsecond before the next period', async () => {
    expect(await h.call('endofday', [t, long(-1)], 'datetime')).toBe('2016-12-31 23:59:59.999999');
    expect(await h.call('endofmonth', [t, long(1)], 'datetime')).toBe('2017-02-28 23:59:59.999999');
    expect(await h.call('endofmonth', [dt('2024-02-10')], 'datetime')).toBe('2024-02-29 23:59:59.999999');
    expect(await h.call('endofweek', [t], 'datetime')).toBe('2017-01-07 23:59:59.999999');
    expect(await h.call('endofyear', [t], 'datetime')).toBe('2017-12-31 23:59:59.999999');
  });
});

describe('datetime_diff counts boundaries crossed (doc examples)', () => {
  const cases: [string, string, string, string][] = [
    ['year', '2017-01-01', '2000-12-31', '17'],
    ['quarter', '2017-07-01', '2017-03-30', '2'],
    ['month', '2017-01-01', '2015-12-30', '13'],
    ['week', '2017-10-29 00:00', '2017-09-30 23:59', '5'],
    ['day', '2017-10-29 00:00', '2017-09-30 23:59', '29'],
    ['hour', '2017-10-31 01:00', '2017-10-30 23:59', '2'],
    ['minute', '2017-10-30 23:05:01', '2017-10-30 23:00:59', '5'],
    ['second', '2017-10-30 23:00:10.100', '2017-10-30 23:00:00.900', '10'],
    ['millisecond', '2017-10-30 23:00:00.200100', '2017-10-30 23:00:00.100900', '100'],
    ['microsecond', '2017-10-30 23:00:00.100900', '2017-10-30 23:00:00.100800', '100'],
    ['nanosecond', '2017-10-30 23:00:00.000000', '2017-10-30 23:00:00.000001', '-1000'],
  ];
  for (const [part, a, b, want] of cases) {
    it(`${part}: ${a} - ${b} = ${want}`, async () => {
      expect(await h.call('datetime_diff', [str(part), dt(a), dt(b)], 'long')).toBe(want);
    });
  }
  it('handles leap years and case-insensitive part names', async () => {
    expect(await h.call('datetime_diff', [str('Day'), dt('2024-03-01'), dt('2024-02-28')], 'long')).toBe('2');
    expect(await h.call('datetime_diff', [str('day'), dt('2023-03-01'), dt('2023-02-28')], 'long')).toBe('1');
    expect(await h.call('datetime_diff', [str('day'), dt('2025-01-01'), dt('2024-01-01')], 'long')).toBe('366');
    expect(await h.call('datetime_diff', [str('YEAR'), dt('2024-02-29'), dt('2023-12-31 23:59:59')], 'long')).toBe('1');
  });
  it('floors correctly across the epoch', async () => {
    expect(await h.call('datetime_diff', [str('hour'), dt('1970-01-01 00:00'), dt('1969-12-31 23:59')], 'long')).toBe('1');
  });
  it('rejects an unknown or non-constant part', () => {
    expect(() => h.render('datetime_diff', [str('fortnight'), dt('2024-01-01'), dt('2024-01-01')])).toThrow(QuarryError);
    expect(() => h.render('datetime_diff', [{ sql: 'p', type: 'string' }, dt('2024-01-01'), dt('2024-01-01')])).toThrow(/constant/);
  });
});

describe('datetime_add', () => {
  it('adds calendar and fixed units, clamping month ends like .NET AddMonths', async () => {
    expect(await h.call('datetime_add', [str('month'), long(1), dt('2024-01-31')], 'datetime')).toBe('2024-02-29 00:00:00');
    expect(await h.call('datetime_add', [str('year'), long(1), dt('2024-02-29')], 'datetime')).toBe('2025-02-28 00:00:00');
    expect(await h.call('datetime_add', [str('quarter'), long(-1), dt('2017-10-30 01:02:03')], 'datetime')).toBe('2017-07-30 01:02:03');
    expect(await h.call('datetime_add', [str('week'), long(2), dt('2017-10-30')], 'datetime')).toBe('2017-11-13 00:00:00');
    expect(await h.call('datetime_add', [str('hour'), long(-3), dt('2017-10-30 01:00')], 'datetime')).toBe('2017-10-29 22:00:00');
    expect(await h.call('datetime_add', [str('millisecond'), long(5), dt('2017-10-30')], 'datetime')).toBe('2017-10-30 00:00:00.005');
  });
});

describe('datetime parts', () => {
  const t = dt('2017-10-30 01:02:03.765432');
  const parts: [string, string][] = [
    ['Year', '2017'], ['Quarter', '4'], ['Month', '10'], ['week_of_year', '44'], ['Day', '30'], ['DayOfYear', '303'],
    ['Hour', '1'], ['Minute', '2'], ['Second', '3'], ['Millisecond', '765'], ['Microsecond', '765432'], ['Nanosecond', '765432000'],
  ];
  for (const [part, want] of parts) {
    it(`datetime_part(${part})`, async () => {
      expect(await h.call('datetime_part', [str(part), t], 'int')).toBe(want);
    });
  }
  it('dayofweek is a timespan of days since Sunday', async () => {
    expect(await h.call('dayofweek', [dt('1947-11-30 10:00:05')], 'timespan')).toBe('0');
    expect(await h.call('dayofweek', [dt('1970-05-11')], 'timespan')).toBe(String(US.d));
  });
  it('other getters', async () => {
    expect(await h.call('dayofmonth', [t], 'int')).toBe('30');
    expect(await h.call('dayofyear', [dt('2024-12-31')], 'int')).toBe('366');
    expect(await h.call('hourofday', [t], 'int')).toBe('1');
    expect(await h.call('getyear', [t], 'int')).toBe('2017');
    expect(await h.call('getmonth', [t], 'int')).toBe('10');
    expect(await h.call('monthofyear', [t], 'int')).toBe('10');
    expect(await h.call('weekofyear', [dt('2020-12-31')], 'int')).toBe('53');
    expect(await h.call('weekofyear', [dt('2015-12-14')], 'int')).toBe('51');
  });
});

describe('formatting', () => {
  const t = dt('2017-01-29 09:00:05');
  it('format_datetime doc examples', async () => {
    expect(await h.call('format_datetime', [t, str('yy-MM-dd [HH:mm:ss]')])).toBe('17-01-29 [09:00:05]');
    expect(await h.call('format_datetime', [t, str('yyyy-M-dd [H:mm:ss]')])).toBe('2017-1-29 [9:00:05]');
    expect(await h.call('format_datetime', [t, str('yy-MM-dd [hh:mm:ss tt]')])).toBe('17-01-29 [09:00:05 AM]');
  });
  it('format_datetime fractions, 12-hour clock and nulls', async () => {
    const f = dt('2009-06-15 13:45:30.617500');
    expect(await h.call('format_datetime', [f, str('ss.fff')])).toBe('30.617');
    expect(await h.call('format_datetime', [f, str('ss.fffffff')])).toBe('30.6175000');
    expect(await h.call('format_datetime', [f, str('ss.FFFFFFF')])).toBe('30.6175');
    expect(await h.call('format_datetime', [f, str('h tt')])).toBe('1 PM');
    expect(await h.call('format_datetime', [dt('2009-06-15 00:05'), str('hh:mm')])).toBe('12:05');
    expect(await h.call('format_datetime', [{ sql: 'CAST(NULL AS TIMESTAMP)', type: 'datetime' }, str('yyyy')])).toBeNull();
    expect(() => h.render('format_datetime', [t, str('yyyy-MMMM')])).toThrow(QuarryError);
  });
  it('format_timespan doc examples', async () => {
    const ts = 29n * US.d + 9n * US.h + 5n * US.s + 123450n;
    expect(await h.call('format_timespan', [span(ts), str('dd.hh:mm:ss:FF')])).toBe('29.09:00:05:12');
    expect(await h.call('format_timespan', [span(ts), str('ddd.h:mm:ss [fffffff]')])).toBe('029.9:00:05 [1234500]');
  });
  it('kql_timespan_text and kql_datetime_text give Kusto text forms', async () => {
    expect(await h.value(`kql_timespan_text(${US.d + 2n * US.h + 500000n})`)).toBe('1.02:00:00.5000000');
    expect(await h.value(`kql_timespan_text(${-90n * US.m})`)).toBe('-01:30:00');
    expect(await h.value(`kql_datetime_text(TIMESTAMP '2020-01-02 03:04:05')`)).toBe('2020-01-02T03:04:05Z');
    expect(await h.value(`kql_datetime_text(TIMESTAMP '2020-01-02 03:04:05.12')`)).toBe('2020-01-02T03:04:05.1200000Z');
  });
});

describe('construction and unix time', () => {
  it('make_datetime, with invalid dates giving null', async () => {
    expect(await h.call('make_datetime', [long(2017), long(10), long(1), long(12), long(10), real(10.5)], 'datetime')).toBe('2017-10-01 12:10:10.5');
    expect(await h.call('make_datetime', [long(2017), long(10), long(1)], 'datetime')).toBe('2017-10-01 00:00:00');
    expect(await h.call('make_datetime', [long(2023), long(2), long(29)], 'datetime')).toBeNull();
    expect(await h.call('make_datetime', [long(2024), long(2), long(29)], 'datetime')).toBe('2024-02-29 00:00:00');
  });
  it('make_timespan in its 2, 3 and 4 argument forms', async () => {
    expect(await h.call('make_timespan', [long(1), long(12)], 'timespan')).toBe(String(US.h + 12n * US.m));
    expect(await h.call('make_timespan', [long(1), long(12), real(30.5)], 'timespan')).toBe(String(US.h + 12n * US.m + 30_500_000n));
    expect(await h.call('make_timespan', [long(1), long(12), long(30), real(55.2)], 'timespan'))
      .toBe(String(US.d + 12n * US.h + 30n * US.m + 55_200_000n));
  });
  it('unixtime_*_todatetime', async () => {
    expect(await h.call('unixtime_seconds_todatetime', [long(1546300800)], 'datetime')).toBe('2019-01-01 00:00:00');
    expect(await h.call('unixtime_seconds_todatetime', [real(1546300800.5)], 'datetime')).toBe('2019-01-01 00:00:00.5');
    expect(await h.call('unixtime_milliseconds_todatetime', [long(1546300800123)], 'datetime')).toBe('2019-01-01 00:00:00.123');
    expect(await h.call('unixtime_microseconds_todatetime', [long(1546300800123456)], 'datetime')).toBe('2019-01-01 00:00:00.123456');
    expect(await h.call('unixtime_seconds_todatetime', [long(null)], 'datetime')).toBeNull();
  });
});
