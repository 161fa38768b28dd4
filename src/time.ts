// The Amsterdam clock, in one place: people read and type local dates and times; storage and timers use UTC
// instants. The offset (CET or CEST) always comes from the time-zone database, never from a constant.
import { Cron } from 'croner';

export const TIME_ZONE = 'Europe/Amsterdam';

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LocalTime {
  date: string; // YYYY-MM-DD
  time: string; // HH:mm
  seconds: string; // ss
}

/** The Amsterdam wall clock at an instant. */
export function toLocal(instant: Date): LocalTime {
  const p = Object.fromEntries(wallClock.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, seconds: p.second ?? '00' };
}

/** The Amsterdam calendar day of an instant, as YYYY-MM-DD. */
export function localDay(instant: Date): string {
  return toLocal(instant).date;
}

/** Amsterdam time as a spreadsheet sorts and reads it: "2026-12-06 14:05:09" (no zone: it is local time). */
export function localStamp(instant: Date): string {
  const l = toLocal(instant);
  return `${l.date} ${l.time}:${l.seconds}`;
}

/** Minutes Amsterdam is ahead of UTC at an instant (60 in winter, 120 in summer). */
function offsetMinutes(instant: Date): number {
  const l = toLocal(instant);
  const asUtc = Date.parse(`${l.date}T${l.time}:${l.seconds}Z`);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const DAY_MS = 86_400_000;

/**
 * The instant of an Amsterdam date and time ("HH:mm", seconds ignored); undefined when the date or time does
 * not exist. A time in the hour skipped in March moves forward an hour; one that happens twice in October is
 * the first of the two.
 */
export function fromLocal(date: string, time: string): Date | undefined {
  date = date.trim();
  const hm = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(time.trim());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !hm || Number(hm[1]) > 23 || Number(hm[2]) > 59) return undefined;
  const naive = Date.parse(`${date}T${hm[1]}:${hm[2]}:00Z`);
  // Date.parse accepts 2027-02-30 on some engines: the day must read back the same.
  if (Number.isNaN(naive) || new Date(naive).toISOString().slice(0, 10) !== date) return undefined;
  // The offsets in force a day either side cover any clock change on that day.
  const before = offsetMinutes(new Date(naive - DAY_MS));
  const after = offsetMinutes(new Date(naive + DAY_MS));
  const wanted = `${hm[1]}:${hm[2]}`;
  const fits = [before, after]
    .map((offset) => naive - offset * 60_000)
    .filter((t) => {
      const l = toLocal(new Date(t));
      return l.date === date && l.time === wanted;
    })
    .sort((a, b) => a - b);
  // No fit: the time was skipped; read with the offset before the change, it lands an hour later.
  return new Date(fits[0] ?? naive - before * 60_000);
}

/** The last second of an Amsterdam day. */
export function endOfLocalDay(date: string): Date | undefined {
  const start = fromLocal(date, '23:59');
  return start ? new Date(start.getTime() + 59_000) : undefined;
}

/** The calendar day `days` after `day` (both YYYY-MM-DD; negative goes back). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The first day on or after `day` that falls on `weekday` (0 Sunday … 6 Saturday). */
export function weekdayOnOrAfter(day: string, weekday: number): string {
  return addDays(day, (weekday - new Date(`${day}T12:00:00Z`).getUTCDay() + 7) % 7);
}

/** A cron pattern read in Amsterdam time: the moment after `after`; croner knows the clock changes. */
export function cronTimes(pattern: string): (after: Date) => Date | undefined {
  const cron = new Cron(pattern, { timezone: TIME_ZONE, paused: true });
  return (after) => cron.nextRun(after) ?? undefined;
}
