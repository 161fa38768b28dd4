// Every card the sessions capability sends, built from the largest data its model allows: sessions with the
// longest texts (markdown signs, which grow most when escaped), a long list, and a full session with a waiting list.
import type { WorstCase } from '../../capability';
import { ROLES } from '../../identity';
import type { Locale } from '../../i18n';
import { attendeesCard, noticeCard, sessionFormCard, sessionListCard, valuesOf } from './cards';
import { LIMITS, type Registration, type Session } from './model';
import type { SessionView } from './service';

const widest = (length: number) => '*'.repeat(length);
const at = new Date(Date.UTC(2026, 11, 31, 13, 0)).toISOString();
/** Upcoming sessions on the secretariaat's list, and people on a session's lists (the model has no cap on either). */
const UPCOMING = 40;
const WAITING = 50;

function session(n: number): Session {
  return {
    id: `S-${String(n).padStart(6, '9')}`,
    series: 'praktijkleergang',
    title: widest(LIMITS.title),
    description: widest(LIMITS.description),
    startsAt: at,
    endsAt: at,
    signupDeadline: at,
    location: widest(LIMITS.location),
    hostOrganisation: widest(LIMITS.host),
    facilitatorName: widest(LIMITS.facilitatorName),
    facilitator: { tenantId: 't'.repeat(36), aadObjectId: 'a'.repeat(36), name: widest(200) },
    capacity: LIMITS.capacity,
    audience: [...ROLES],
    state: 'gesloten',
    revision: 999,
    confirmedCount: LIMITS.capacity,
    waitingCount: WAITING,
    lastArrival: 9999,
    opbrengst: widest(LIMITS.opbrengst),
    opbrengstAt: at,
    opbrengstAgendaRef: '',
    createdAt: at,
    updatedAt: at,
  };
}

function registration(n: number, state: Registration['state']): Registration {
  return {
    sessionId: 'S-999999',
    tenantId: 't'.repeat(36),
    aadObjectId: `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
    name: widest(200),
    organisationId: 'o'.repeat(60),
    role: 'wethouder',
    state,
    arrival: n + 1,
    signedUpAt: at,
    updatedAt: at,
    attended: true,
  };
}

export function sessionWorstCases(locale: Locale): WorstCase[] {
  const views: SessionView[] = Array.from({ length: UPCOMING }, (_, i) => ({ session: { ...session(i), state: 'open', confirmedCount: 1 }, status: 'open', seatsLeft: LIMITS.capacity - 1, mine: { state: 'wachtlijst', position: 999 } }));
  const list = (which: 'upcoming' | 'mine' | 'led', role: 'secretariaat' | 'gespreksleider' | 'wethouder', from = 0) =>
    sessionListCard(locale, views, {
      list: which,
      role,
      from,
      calendarUrl: () => `https://bo-wonen.example.org/calendar/${'x'.repeat(400)}`,
      notice: widest(300),
      manages: () => role !== 'wethouder',
      administers: role === 'secretariaat',
    });
  const full = session(1);
  const attendees = {
    session: full,
    confirmed: Array.from({ length: LIMITS.capacity }, (_, i) => registration(i, 'bevestigd')),
    waiting: Array.from({ length: WAITING }, (_, i) => registration(LIMITS.capacity + i, 'wachtlijst')),
  };
  const names = { organisationName: () => widest(120) };
  const csv = { url: `https://bo-wonen.example.org/export/${'x'.repeat(400)}`, minutes: 15 };
  const problems = { title: 'tooLong', description: 'tooLong', location: 'tooLong', capacity: 'capacityBelowConfirmed', audience: 'required' } as const;
  return [
    { name: `sessies, secretariaat (${UPCOMING} upcoming)`, build: () => list('upcoming', 'secretariaat') },
    { name: `sessies, secretariaat, a later page`, build: () => list('upcoming', 'secretariaat', 6) },
    { name: `sessies, gespreksleider (${UPCOMING} led)`, build: () => list('led', 'gespreksleider') },
    { name: `mijn sessies (${UPCOMING})`, build: () => list('mine', 'wethouder') },
    { name: `deelnemers after the start (${LIMITS.capacity} signed up, ${WAITING} waiting)`, build: () => attendeesCard(locale, attendees, { ...names, csv, started: true, notice: widest(300) }) },
    { name: 'deelnemers, a later page', build: () => attendeesCard(locale, attendees, { ...names, csv, started: true, from: 25 }) },
    {
      name: 'session form, edit, every problem shown',
      build: () =>
        sessionFormCard(locale, {
          submissionId: 'x'.repeat(64),
          editId: full.id,
          values: valuesOf(full),
          problems,
          confirmed: LIMITS.capacity,
          facilitators: Array.from({ length: 60 }, () => ({ tenantId: 't'.repeat(36), aadObjectId: 'a'.repeat(36), name: widest(200) })),
        }),
    },
    ...(['promoted', 'cancelled', 'moved', 'reminder', 'opbrengst'] as const).map((kind) => ({
      name: `session notice (${kind})`,
      build: () => noticeCard(locale, { kind, session: full }, `https://bo-wonen.example.org/calendar/${'x'.repeat(400)}`),
    })),
  ];
}
