// The Amsterdam clock across both clock changes. The dates are fixed: in 2026 the clocks go forward on
// Sunday 29 March (02:00 CET becomes 03:00 CEST, 01:00 UTC) and back on Sunday 25 October (03:00 CEST becomes
// 02:00 CET, 01:00 UTC); in 2027 on 28 March and 31 October. A hard-coded offset fails on one side of each.
import { addDays, endOfLocalDay, fromLocal, localDay, localStamp, toLocal, weekdayOnOrAfter } from '../../src/time';

const iso = (d: Date | undefined) => d?.toISOString();

describe('local wall time to a UTC instant', () => {
  it('is one hour ahead of UTC in winter and two in summer', () => {
    expect(iso(fromLocal('2027-01-10', '14:00'))).toBe('2027-01-10T13:00:00.000Z');
    expect(iso(fromLocal('2027-07-10', '14:00'))).toBe('2027-07-10T12:00:00.000Z');
  });

  it('switches to summer time on the last Sunday of March', () => {
    expect(iso(fromLocal('2026-03-28', '08:00'))).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(fromLocal('2026-03-29', '01:30'))).toBe('2026-03-29T00:30:00.000Z');
    expect(iso(fromLocal('2026-03-29', '03:30'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(fromLocal('2026-03-30', '08:00'))).toBe('2026-03-30T06:00:00.000Z');
  });

  it('moves a time in the skipped hour (02:00-03:00 in March) forward an hour', () => {
    expect(iso(fromLocal('2026-03-29', '02:30'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(fromLocal('2027-03-28', '02:00'))).toBe('2027-03-28T01:00:00.000Z');
  });

  it('switches back to winter time on the last Sunday of October', () => {
    expect(iso(fromLocal('2026-10-24', '08:00'))).toBe('2026-10-24T06:00:00.000Z');
    expect(iso(fromLocal('2026-10-25', '01:30'))).toBe('2026-10-24T23:30:00.000Z');
    expect(iso(fromLocal('2026-10-25', '03:30'))).toBe('2026-10-25T02:30:00.000Z');
    expect(iso(fromLocal('2026-10-26', '08:00'))).toBe('2026-10-26T07:00:00.000Z');
  });

  it('takes the first of the two 02:30s in October (still summer time)', () => {
    expect(iso(fromLocal('2026-10-25', '02:30'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(fromLocal('2027-10-31', '02:30'))).toBe('2027-10-31T00:30:00.000Z');
  });

  it('ends a day at 23:59:59 local time, in either season', () => {
    expect(iso(endOfLocalDay('2027-06-30'))).toBe('2027-06-30T21:59:59.000Z');
    expect(iso(endOfLocalDay('2026-10-25'))).toBe('2026-10-25T22:59:59.000Z');
  });

  it('reads a time typed with seconds or spaces, and rejects dates and times that do not exist', () => {
    expect(iso(fromLocal(' 2027-01-10 ', '14:00:00'))).toBe('2027-01-10T13:00:00.000Z');
    expect(fromLocal('2027-02-30', '10:00')).toBeUndefined();
    expect(fromLocal('2027-01-10', '25:00')).toBeUndefined();
    expect(fromLocal('2027-01-10', '10:60')).toBeUndefined();
    expect(fromLocal('morgen', '10:00')).toBeUndefined();
  });
});

describe('a UTC instant to local parts', () => {
  it('changes the offset at 01:00 UTC on the last Sunday of March', () => {
    expect(toLocal(new Date('2026-03-29T00:59:59Z'))).toEqual({ date: '2026-03-29', time: '01:59', seconds: '59' });
    expect(toLocal(new Date('2026-03-29T01:00:00Z'))).toEqual({ date: '2026-03-29', time: '03:00', seconds: '00' });
  });

  it('changes the offset at 01:00 UTC on the last Sunday of October', () => {
    expect(localStamp(new Date('2026-10-25T00:59:59Z'))).toBe('2026-10-25 02:59:59');
    expect(localStamp(new Date('2026-10-25T01:00:00Z'))).toBe('2026-10-25 02:00:00');
  });

  it('gives the Amsterdam day, not the UTC day, near midnight', () => {
    expect(localDay(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(localDay(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(localDay(new Date('2026-12-31T22:30:00Z'))).toBe('2026-12-31');
  });

  it('reads back every quarter hour of both change days the way it was typed, except the skipped hour', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        const back = toLocal(fromLocal(date, time)!);
        if (date === '2026-03-29' && time.startsWith('02:')) expect(back.time).toBe(`03:${time.slice(3)}`);
        else expect(back).toMatchObject({ date, time });
      }
    }
  });
});

describe('calendar days', () => {
  it('counts across month ends and finds the next Thursday', () => {
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(addDays('2026-03-30', -3)).toBe('2026-03-27');
    expect(weekdayOnOrAfter('2026-12-06', 4)).toBe('2026-12-10');
    expect(weekdayOnOrAfter('2026-12-10', 4)).toBe('2026-12-10');
  });
});
