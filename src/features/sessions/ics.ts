// An iCalendar file (RFC 5545) for one session, in Europe/Amsterdam time with its own VTIMEZONE, so every
// calendar shows the local time. The UID stays the same for a session; SEQUENCE goes up when it changes.
import type { Session } from './model';
import { toLocal } from '../../time';

const ICS_DOMAIN = 'bo-wonen.gooi-en-vechtstreek';

// The EU rules since 1996: summer time from the last Sunday of March 02:00 to the last Sunday of October 03:00.
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Amsterdam',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19810329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19961027T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** TEXT escaping: backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space (never inside a UTF-8 character). */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function icsLocalTime(iso: string): string {
  const l = toLocal(new Date(iso));
  return `${l.date.replace(/-/g, '')}T${l.time.replace(':', '')}${l.seconds}`;
}

function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function sessionIcs(session: Session, now: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Regio Gooi en Vechtstreek//BO Wonen//NL',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:${session.id.toLowerCase()}@${ICS_DOMAIN}`,
    `DTSTAMP:${utcStamp(now)}`,
    `SEQUENCE:${session.revision}`,
    `DTSTART;TZID=Europe/Amsterdam:${icsLocalTime(session.startsAt)}`,
    `DTEND;TZID=Europe/Amsterdam:${icsLocalTime(session.endsAt)}`,
    `SUMMARY:${escapeText(session.title)}`,
    ...(session.description ? [`DESCRIPTION:${escapeText(session.description)}`] : []),
    `LOCATION:${escapeText(session.location)}`,
    `STATUS:${session.state === 'geannuleerd' ? 'CANCELLED' : 'CONFIRMED'}`,
    `LAST-MODIFIED:${utcStamp(new Date(session.updatedAt))}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
