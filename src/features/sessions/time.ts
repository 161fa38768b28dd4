// Wall-clock time in Europe/Amsterdam ↔ instants. Forms speak local dates and times; storage speaks UTC.
import { TIME_ZONE } from '../../i18n';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface LocalTime {
  date: string; // YYYY-MM-DD
  time: string; // HH:mm
}

/** The Amsterdam wall clock at an instant. */
export function toLocal(instant: Date): LocalTime & { seconds: string } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, seconds: p.second ?? '00' };
}

/** Minutes Amsterdam is ahead of UTC at an instant (60 in winter, 120 in summer). */
function offsetMinutes(instant: Date): number {
  const l = toLocal(instant);
  const asUtc = Date.parse(`${l.date}T${l.time}:${l.seconds}Z`);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant of an Amsterdam date and time. A time that does not exist (the hour skipped in March) moves
 * forward an hour; one that exists twice (October) is the first.
 */
export function fromLocal(date: string, time: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const naive = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(naive)) return undefined;
  const [h, m] = time.split(':').map(Number) as [number, number];
  if (h > 23 || m > 59) return undefined;
  // Check the date really exists (Date.parse accepts 2027-02-30 on some engines).
  if (new Date(naive).toISOString().slice(0, 10) !== date) return undefined;
  let guess = naive - offsetMinutes(new Date(naive)) * 60_000;
  guess = naive - offsetMinutes(new Date(guess)) * 60_000;
  return new Date(guess);
}

/** The last moment of an Amsterdam day. */
export function endOfLocalDay(date: string): Date | undefined {
  const start = fromLocal(date, '23:59');
  return start ? new Date(start.getTime() + 59_000) : undefined;
}
