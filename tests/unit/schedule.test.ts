// The digest's moments in Amsterdam time, across the clock changes (fixed dates, no timers).
import { cronTimes } from '../../src/time';

const mondays = cronTimes('0 8 * * 1');

it('sends on Monday 08:00 Amsterdam time in winter (07:00 UTC) and summer (06:00 UTC)', () => {
  expect(mondays(new Date('2026-01-07T12:00:00Z'))?.toISOString()).toBe('2026-01-12T07:00:00.000Z');
  expect(mondays(new Date('2026-06-03T12:00:00Z'))?.toISOString()).toBe('2026-06-08T06:00:00.000Z');
});

it('keeps 08:00 local on the Monday after the spring change (29 March 2026)', () => {
  expect(mondays(new Date('2026-03-23T07:00:00Z'))?.toISOString()).toBe('2026-03-30T06:00:00.000Z');
});

it('keeps 08:00 local on the Monday after the autumn change (25 October 2026)', () => {
  expect(mondays(new Date('2026-10-19T06:00:00Z'))?.toISOString()).toBe('2026-10-26T07:00:00.000Z');
});

it('runs a moment in the hour that happens twice (autumn) only once', () => {
  const daily = cronTimes('30 2 * * *');
  const first = daily(new Date('2026-10-24T23:00:00Z'))!;
  expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  expect(daily(first)?.toISOString()).toBe('2026-10-26T01:30:00.000Z');
});

it('puts a moment in the skipped hour (spring) right after the change, not never', () => {
  const daily = cronTimes('30 2 * * *');
  const moment = daily(new Date('2026-03-28T12:00:00Z'))!;
  expect(moment.getTime()).toBeGreaterThan(Date.parse('2026-03-29T00:59:00Z'));
  expect(moment.getTime()).toBeLessThan(Date.parse('2026-03-29T02:00:00Z'));
});
