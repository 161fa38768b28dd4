// Session pieces without storage: the .ics text, signed links, CSV safety, and card validity.
import { attendeesCard, noticeCard, sessionFormCard, sessionListCard, whenText } from '../../src/features/sessions/cards';
import { csvField } from '../../src/core/csv';
import { attendeesCsv } from '../../src/features/sessions/csv';
import { escapeText, fold, sessionIcs } from '../../src/features/sessions/ics';
import type { Registration, Session } from '../../src/features/sessions/model';
import { seedDrafts } from '../../src/features/sessions/seed';
import { statusOf, type SessionNotice } from '../../src/features/sessions/service';
import type { Locale } from '../../src/i18n';
import { cardProblems } from '../helpers/cards';
import ICAL from 'ical.js';

const session = (extra: Partial<Session> = {}): Session => ({
  id: 'S-007',
  series: 'praktijkleergang',
  title: 'Praktijkleergang 2: grond, rendement; en taal',
  description: 'Theorie.\nMet oefeningen.',
  startsAt: '2027-03-25T13:00:00.000Z',
  endsAt: '2027-03-25T16:00:00.000Z',
  signupDeadline: '2027-03-18T22:59:59.000Z',
  location: 'Kantoor Dudok Wonen, zaal 1',
  hostOrganisation: 'Dudok Wonen',
  facilitatorName: 'Platform31',
  facilitator: null,
  capacity: 20,
  audience: ['wethouder', 'directeur-bestuurder'],
  state: 'open',
  revision: 2,
  confirmedCount: 3,
  waitingCount: 0,
  lastArrival: 3,
  opbrengst: '',
  opbrengstAt: '',
  opbrengstAgendaRef: '',
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-02T10:00:00.000Z',
  ...extra,
});

const reg = (n: number, extra: Partial<Registration> = {}): Registration => ({
  sessionId: 'S-007',
  tenantId: 't1',
  aadObjectId: `p${n}`,
  name: `Persoon ${n}`,
  organisationId: 'hilversum',
  role: 'wethouder',
  state: 'bevestigd',
  arrival: n,
  signedUpAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  attended: false,
  ...extra,
});

describe('the session time', () => {
  it('shows when a session is in the reader\'s language', () => {
    expect(whenText(session(), 'nl')).toBe('donderdag 25 maart 2027, 14:00–17:00');
    expect(whenText(session(), 'en')).toBe('Thursday, 25 March 2027, 14:00–17:00');
  });
});

describe('status', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  it('derives full, closed, cancelled and over from the data, never stores them apart', () => {
    expect(statusOf(session(), now)).toBe('open');
    expect(statusOf(session({ confirmedCount: 20 }), now)).toBe('vol');
    expect(statusOf(session({ state: 'gesloten' }), now)).toBe('gesloten');
    expect(statusOf(session(), new Date('2027-03-20T00:00:00Z'))).toBe('gesloten');
    expect(statusOf(session({ state: 'geannuleerd' }), now)).toBe('geannuleerd');
    expect(statusOf(session(), new Date('2027-03-26T00:00:00Z'))).toBe('voorbij');
  });
});

describe('.ics', () => {
  const ics = sessionIcs(session(), new Date('2026-12-01T08:00:00Z'));
  const lines = ics.replace(/\r\n /g, '').split('\r\n');

  it('has one event with Amsterdam times, the time zone rules, a stable UID and the revision as SEQUENCE', () => {
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toContain('DTSTART;TZID=Europe/Amsterdam:20270325T140000');
    expect(lines).toContain('DTEND;TZID=Europe/Amsterdam:20270325T170000');
    expect(lines).toContain('UID:s-007@bo-wonen.gooi-en-vechtstreek');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('DTSTAMP:20261201T080000Z');
    expect(lines).toContain('TZOFFSETTO:+0200');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines).toContain('SUMMARY:Praktijkleergang 2: grond\\, rendement\\; en taal');
    expect(lines).toContain('DESCRIPTION:Theorie.\\nMet oefeningen.');
  });

  it('reads back, in an independent iCalendar parser, as the same instants in winter, summer and on the switch day', () => {
    const cases = [
      session(),
      session({ startsAt: '2027-07-01T08:00:00.000Z', endsAt: '2027-07-01T10:00:00.000Z' }),
      // 28 March 2027: 03:30 summer time is 01:30 UTC.
      session({ startsAt: '2027-03-28T01:30:00.000Z', endsAt: '2027-03-28T03:00:00.000Z' }),
      session({ startsAt: '2027-10-31T02:30:00.000Z', endsAt: '2027-10-31T04:00:00.000Z' }),
    ];
    for (const s of cases) {
      const calendar = new ICAL.Component(ICAL.parse(sessionIcs(s, new Date())));
      const zone = new ICAL.Timezone(calendar.getFirstSubcomponent('vtimezone')!);
      ICAL.TimezoneService.register(zone, 'Europe/Amsterdam');
      const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
      expect(event.startDate.toJSDate().toISOString()).toBe(s.startsAt);
      expect(event.endDate.toJSDate().toISOString()).toBe(s.endsAt);
      expect(event.uid).toBe('s-007@bo-wonen.gooi-en-vechtstreek');
      expect(event.sequence).toBe(2);
      expect(event.summary).toBe(s.title);
      expect(event.location).toBe(s.location);
    }
  });

  it('marks a cancelled session as cancelled', () => {
    expect(sessionIcs(session({ state: 'geannuleerd' }), new Date())).toContain('STATUS:CANCELLED');
  });

  it('folds long lines at 75 bytes without splitting a character', () => {
    const long = `SUMMARY:${'é'.repeat(100)}`;
    const folded = fold(long);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    expect(escapeText('a\\b')).toBe('a\\\\b');
  });
});

describe('CSV', () => {
  it('quotes fields and defuses spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('gewoon; tekst')).toBe('"gewoon; tekst"');
    const csv = attendeesCsv('nl', { session: session(), confirmed: [reg(1, { attended: true })], waiting: [reg(2, { state: 'wachtlijst', name: '+31 Persoon' })] }, () => 'Gemeente Hilversum');
    expect(csv.startsWith('\uFEFF"naam";')).toBe(true);
    expect(csv).toContain(`"Persoon 1";"Gemeente Hilversum";"wethouder";"aangemeld";"";"2026-12-01T10:00:00.000Z";"ja"`);
    expect(csv).toContain(`"'+31 Persoon";"Gemeente Hilversum";"wethouder";"wachtlijst";"1"`);
  });
});

describe('seed', () => {
  it('plans four learning-track meetings and one theme session ahead of the day it is filled, the theme session led by the gespreksleider', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const drafts = seedDrafts(now, { tenantId: 't', aadObjectId: 'linda', name: 'Linda' });
    expect(drafts.filter((d) => d.series === 'praktijkleergang')).toHaveLength(4);
    const theme = drafts.filter((d) => d.series === 'themasessie');
    expect(theme).toHaveLength(1);
    expect(theme[0]!.facilitator?.aadObjectId).toBe('linda');
    expect(theme[0]!.facilitatorName).toContain('Expertteam Woningbouw');
    for (const d of drafts) {
      expect(Date.parse(d.signupDeadline)).toBeGreaterThan(now.getTime());
      expect(Date.parse(d.signupDeadline)).toBeLessThan(Date.parse(d.startsAt));
      expect(Date.parse(d.endsAt)).toBeGreaterThan(Date.parse(d.startsAt));
    }
  });
});

describe('cards', () => {
  const locales: Locale[] = ['nl', 'en'];
  const calendarUrl = (id: string) => `https://bot.example.nl/sessions/calendar/${id}`;
  const view = (s: Session, mine?: { state: 'bevestigd' | 'wachtlijst'; position: number }) => ({
    session: s,
    status: statusOf(s, new Date('2027-01-01T00:00:00Z')),
    seatsLeft: s.capacity - s.confirmedCount,
    ...(mine ? { mine } : {}),
  });
  const notices: SessionNotice['kind'][] = ['promoted', 'cancelled', 'moved', 'reminder', 'opbrengst'];

  it.each(locales)('are valid Adaptive Cards 1.5 (%s)', (locale) => {
    const cards = [
      sessionListCard(locale, [view(session()), view(session({ confirmedCount: 20, waitingCount: 4 }), { state: 'wachtlijst', position: 2 }), view(session({ state: 'geannuleerd' }))], {
        list: 'upcoming',
        role: 'secretariaat',
        calendarUrl,
        manages: () => true,
        administers: true,
        notice: 'Klaar.',
      }),
      sessionListCard(locale, [], { list: 'mine', role: 'wethouder', calendarUrl, manages: () => false }),
      sessionFormCard(locale, { submissionId: 'abcdefgh-1', facilitators: [{ tenantId: 't', aadObjectId: 'l', name: 'Linda' }] }),
      sessionFormCard(locale, {
        submissionId: 'abcdefgh-1',
        editId: 'S-007',
        facilitators: [],
        problems: { capacity: 'capacityBelowConfirmed', endTime: 'endBeforeStart', date: 'inPast' },
        confirmed: 7,
      }),
      attendeesCard(locale, { session: session(), confirmed: [reg(1), reg(2, { attended: true })], waiting: [reg(3, { state: 'wachtlijst' })] }, {
        organisationName: () => 'Gemeente Hilversum',
        started: true,
        csv: { url: 'https://bot.example.nl/sessions/export/x', minutes: 15 },
      }),
      attendeesCard(locale, { session: session(), confirmed: [], waiting: [] }, { organisationName: () => '', started: false }),
      ...notices.map((kind) => noticeCard(locale, { kind, session: session({ opbrengst: 'Vroeg samen rekenen.' }) }, calendarUrl('S-007'))),
    ];
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });

  it('never puts quotes inside quotes when a quoted title has quotes of its own', () => {
    const titled = session({ title: 'Praktijkleergang "Samenwerken aan meer betaalbare woningen" 1: casus' });
    const text = JSON.stringify(noticeCard('nl', { kind: 'promoted', session: titled }, calendarUrl('S-007')));
    expect(text).toContain('plaats vrij in \\"Praktijkleergang ‘Samenwerken aan meer betaalbare woningen’ 1: casus\\" op');
  });

  it('offers "Aanmelden" only to the audience, and "Afmelden" to someone signed up', () => {
    const titles = (role: 'wethouder' | 'gespreksleider', mine?: { state: 'bevestigd'; position: number }) =>
      JSON.stringify(sessionListCard('nl', [view(session(), mine)], { list: 'upcoming', role, calendarUrl, manages: () => false }));
    expect(titles('wethouder')).toContain('"Aanmelden"');
    expect(titles('gespreksleider')).not.toContain('"Aanmelden"');
    expect(titles('wethouder', { state: 'bevestigd', position: 0 })).toContain('"Afmelden"');
    expect(titles('wethouder', { state: 'bevestigd', position: 0 })).not.toContain('"Aanmelden"');
  });

  it('tells the secretariaat how many are confirmed when the capacity is too low', () => {
    const c = sessionFormCard('nl', { submissionId: 'abcdefgh-1', facilitators: [], problems: { capacity: 'capacityBelowConfirmed' }, confirmed: 7 });
    expect(JSON.stringify(c)).toContain('Er zijn al 7 mensen aangemeld. Kies minstens 7 plaatsen.');
  });
});
