// Sessions on Azurite with several service instances sharing one store (as several bot processes would):
// seats under load, the waiting list, who gets a reminder, bad input that writes nothing, erasure. That a
// reminder goes out once across instances is the outbox's promise (tests/e2e/sessions.test.ts, two bots).
import { AUDIT_TABLE, AuditLog } from '../../src/core/audit';
import { testConfig } from '../helpers/harness';
import { createTables } from '../../src/storage/tables';
import { SESSION_TABLES, SessionStore } from '../../src/features/sessions/store';
import { SessionService, type Messenger, type SessionNotice } from '../../src/features/sessions/service';
import type { Session } from '../../src/features/sessions/model';
import type { Member, PersonId, Role } from '../../src/identity';
import { RuleViolation, AccessDenied } from '../../src/errors';

let clock = new Date('2026-11-29T10:00:00Z');
const now = () => clock;

interface Sent {
  to: string;
  kind: SessionNotice['kind'];
  sessionId: string;
  how: 'once' | 'later';
}
const sent: Sent[] = [];
/** What the outbox would already hold: one row per notice, session start and person. */
const held = new Set<string>();
const messenger: Messenger = {
  async once(to: PersonId, notice: SessionNotice): Promise<'queued' | 'exists'> {
    const key = `${notice.kind}|${notice.session.id}|${notice.session.startsAt}|${to.aadObjectId}`;
    if (held.has(key)) return 'exists';
    held.add(key);
    sent.push({ to: to.aadObjectId, kind: notice.kind, sessionId: notice.session.id, how: 'once' });
    return 'queued';
  },
  async later(to: PersonId, notice: SessionNotice): Promise<void> {
    sent.push({ to: to.aadObjectId, kind: notice.kind, sessionId: notice.session.id, how: 'later' });
  },
};

const TENANT = 't-1';
const member = (n: number, role: Role = 'wethouder'): Member => ({
  tenantId: TENANT,
  aadObjectId: `m-${String(n).padStart(3, '0')}`,
  name: `Lid ${n}`,
  organisationId: 'hilversum',
  role,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const secretary = member(900, 'secretariaat');
const leader = member(901, 'gespreksleider');
const registry = new Map([secretary, leader].map((m) => [m.aadObjectId, m]));
const memberOf = async (p: PersonId) => registry.get(p.aadObjectId);

let a: SessionService;
let b: SessionService;
let storeA: SessionStore;
let options: { reminderHours: number; audit: AuditLog };
/** Five instances on one store, as five bot processes (a and b among them). */
let instances: SessionService[] = [];

beforeAll(async () => {
  const config = testConfig();
  const tablesA = createTables(config.storage);
  await tablesA.ensure([...Object.values(SESSION_TABLES), AUDIT_TABLE]);
  options = { reminderHours: 24, audit: new AuditLog(tablesA) };
  // A second client on the same tables: another bot process.
  const tablesB = createTables(config.storage);
  storeA = new SessionStore(tablesA);
  a = new SessionService(storeA, messenger, memberOf, options, now);
  b = new SessionService(new SessionStore(tablesB), messenger, memberOf, options, now);
  instances = [a, b, ...[1, 2, 3].map(() => new SessionService(new SessionStore(createTables(config.storage)), messenger, memberOf, options, now))];
});

const form = (extra: Record<string, unknown> = {}) => ({
  series: 'themasessie',
  title: 'Themasessie sneller bouwen',
  description: 'Met het Expertteam Woningbouw.',
  date: '2027-04-15',
  startTime: '10:00',
  endTime: '12:00',
  deadlineDate: '2027-04-08',
  location: 'Regiokantoor, BO-zaal',
  hostOrganisation: 'Regio Gooi en Vechtstreek',
  facilitatorName: 'RVO / Expertteam Woningbouw',
  facilitator: '',
  capacity: '10',
  audience: ['wethouder', 'directeur-bestuurder'],
  ...extra,
});

let submissions = 0;
async function newSession(extra: Record<string, unknown> = {}): Promise<Session> {
  const result = await a.create(secretary, form(extra), `submission-${++submissions}-abc`);
  if (result.status !== 'saved') throw new Error(`not saved: ${JSON.stringify(result)}`);
  return result.session;
}

describe('fifty members pressing "Aanmelden" for ten seats at once, through five instances', () => {
  let session: Session;
  let results: Awaited<ReturnType<SessionService['signUp']>>[];

  beforeAll(async () => {
    session = await newSession({ capacity: '10' });
    const people = Array.from({ length: 50 }, (_, i) => member(i + 1));
    // Every fifth person double-clicks: the same press twice, on two different instances.
    const on = (i: number) => instances[i % instances.length]!;
    const presses = people.flatMap((p, i) => (i % 5 === 0 ? [on(i).signUp(p, session.id), on(i + 1).signUp(p, session.id)] : [on(i).signUp(p, session.id)]));
    results = await Promise.all(presses);
  }, 60_000);

  it('confirms exactly ten and puts forty on the waiting list in arrival order, no one twice', async () => {
    const attendees = await a.attendees(secretary, session.id);
    expect(attendees.confirmed).toHaveLength(10);
    expect(attendees.waiting).toHaveLength(40);
    const everyone = [...attendees.confirmed, ...attendees.waiting];
    expect(new Set(everyone.map((r) => r.aadObjectId)).size).toBe(50);
    // Arrival numbers 1..50, each once; the ten seats went to the first ten to arrive.
    expect(everyone.map((r) => r.arrival).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(attendees.confirmed.map((r) => r.arrival)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(attendees.waiting.map((r) => r.arrival)).toEqual(Array.from({ length: 40 }, (_, i) => i + 11));
  });

  it('told each person the place they really have, and a double click the same answer twice', async () => {
    const attendees = await a.attendees(secretary, session.id);
    const place = new Map(attendees.waiting.map((r, i) => [r.aadObjectId, i + 1]));
    for (const r of results) {
      if (r.outcome === 'confirmed') expect(place.has(r.registration.aadObjectId)).toBe(false);
      else expect(r.position).toBe(place.get(r.registration.aadObjectId));
    }
    const doubles = results.filter((r) => r.already);
    expect(doubles).toHaveLength(10);
  });

  it('keeps the seat counts right on the session afterwards', async () => {
    const stored = await b.get(session.id);
    expect(stored.confirmedCount).toBe(10);
    expect(stored.waitingCount).toBe(40);
    expect(stored.lastArrival).toBe(50);
    const { confirmed, waiting } = await a.attendees(secretary, session.id);
    const firstWaiting = registry.get(waiting[0]!.aadObjectId) ?? member(Number(waiting[0]!.aadObjectId.slice(2)));
    const view = await b.viewOf(session.id, firstWaiting);
    expect(view.status).toBe('vol');
    expect(view.seatsLeft).toBe(0);
    expect(view.mine).toEqual({ state: 'wachtlijst', position: 1 });
    expect((await b.viewOf(session.id, member(Number(confirmed[0]!.aadObjectId.slice(2))))).mine).toEqual({ state: 'bevestigd', position: 0 });
  });

  it('gives the freed seat to the first person waiting and tells them, when someone cancels', async () => {
    const before = sent.length;
    const { confirmed, waiting } = await a.attendees(secretary, session.id);
    const firstWaiting = waiting[0]!;
    const leaving = member(Number(confirmed[2]!.aadObjectId.slice(2)));
    const cancelled = await b.cancelSignUp(leaving, session.id);
    expect(cancelled).toMatchObject({ outcome: 'cancelled', was: 'bevestigd' });
    const after = await a.attendees(secretary, session.id);
    expect(after.confirmed).toHaveLength(10);
    expect(after.waiting).toHaveLength(39);
    expect(after.confirmed.map((r) => r.aadObjectId)).toContain(firstWaiting.aadObjectId);
    expect(after.confirmed.map((r) => r.aadObjectId)).not.toContain(leaving.aadObjectId);
    expect(sent.slice(before)).toEqual([{ to: firstWaiting.aadObjectId, kind: 'promoted', sessionId: session.id, how: 'later' }]);
    // A second press of "Afmelden" changes nothing.
    expect((await a.cancelSignUp(leaving, session.id)).outcome).toBe('notRegistered');
    expect((await a.get(session.id)).confirmedCount).toBe(10);
    // Signing up again puts them at the end of the waiting list.
    const again = await a.signUp(leaving, session.id);
    expect(again).toMatchObject({ outcome: 'waiting', position: 40, already: false });
  });

  it('frees an erased person\'s seat for the next person waiting', async () => {
    const { confirmed, waiting } = await a.attendees(secretary, session.id);
    const leaving = confirmed[0]!;
    const next = waiting[0]!;
    await b.erase({ tenantId: leaving.tenantId, aadObjectId: leaving.aadObjectId });
    const after = await a.attendees(secretary, session.id);
    expect(after.confirmed.map((r) => r.aadObjectId)).toContain(next.aadObjectId);
    expect([...after.confirmed, ...after.waiting].map((r) => r.aadObjectId)).not.toContain(leaving.aadObjectId);
    expect((await a.personalData({ tenantId: leaving.tenantId, aadObjectId: leaving.aadObjectId })).registrations).toEqual([]);
    // Erasing twice changes nothing more.
    await a.erase({ tenantId: leaving.tenantId, aadObjectId: leaving.aadObjectId });
    expect((await a.get(session.id)).confirmedCount).toBe(10);
  });

  it('gives new seats to the people waiting, in order, when the capacity goes up', async () => {
    const waitingBefore = (await a.attendees(secretary, session.id)).waiting;
    const result = await a.edit(secretary, session.id, form({ capacity: '13' }));
    expect(result.status).toBe('saved');
    const after = await a.attendees(secretary, session.id);
    expect(after.confirmed).toHaveLength(13);
    expect(after.confirmed.slice(-3).map((r) => r.aadObjectId)).toEqual(waitingBefore.slice(0, 3).map((r) => r.aadObjectId));
  });

  it('fills a big rise in capacity in several steps, when more than a transaction holds are waiting', async () => {
    const big = await newSession({ capacity: '1' });
    await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 ? a : b).signUp(member(1000 + i), big.id)));
    const result = await a.edit(secretary, big.id, form({ capacity: '150' }));
    expect(result.status).toBe('saved');
    const after = await a.attendees(secretary, big.id);
    expect([after.confirmed.length, after.waiting.length]).toEqual([120, 0]);
    expect((await a.get(big.id)).confirmedCount).toBe(120);
  }, 60_000);

  it('refuses a capacity below the number confirmed, and changes nothing', async () => {
    const before = await a.get(session.id);
    const result = await a.edit(secretary, session.id, form({ capacity: '5', title: 'Andere titel' }));
    expect(result).toMatchObject({ status: 'invalid', problems: { capacity: 'capacityBelowConfirmed' }, confirmed: 13 });
    expect(await a.get(session.id)).toEqual(before);
  });
});

describe('rules for signing up', () => {
  it('refuses after the deadline, for a cancelled or past session, and for a role outside the audience', async () => {
    const s = await newSession();
    await expect(a.signUp(member(200, 'gespreksleider'), s.id)).rejects.toBeInstanceOf(AccessDenied);
    clock = new Date('2027-04-09T10:00:00Z');
    await expect(a.signUp(member(201), s.id)).rejects.toMatchObject({ reason: 'deadline' });
    clock = new Date('2027-04-15T11:00:00Z');
    await expect(a.signUp(member(201), s.id)).rejects.toMatchObject({ reason: 'past' });
    clock = new Date('2026-11-29T10:00:00Z');
    await a.cancelSession(secretary, s.id);
    await expect(a.signUp(member(201), s.id)).rejects.toMatchObject({ reason: 'cancelled' });
    expect((await a.get(s.id)).confirmedCount).toBe(0);
  });

  it('answers unknown sessions as not found', async () => {
    await expect(a.signUp(member(1), 'S-9999')).rejects.toThrow('No such session');
  });
});

describe('a small session, seat by seat', () => {
  const ids = async (id: string) => {
    const { confirmed, waiting } = await a.attendees(secretary, id);
    return { confirmed: confirmed.map((r) => r.aadObjectId), waiting: waiting.map((r) => r.aadObjectId) };
  };

  it('gives a seat while one is free, then a place on the waiting list; nobody is marked as attended yet', async () => {
    const s = await newSession({ capacity: '1' });
    expect(await a.signUp(member(300), s.id)).toMatchObject({ outcome: 'confirmed', position: 0, already: false, registration: { state: 'bevestigd', attended: false } });
    expect(await a.signUp(member(301), s.id)).toMatchObject({ outcome: 'waiting', position: 1, already: false, registration: { state: 'wachtlijst', attended: false } });
    expect(await a.signUp(member(300), s.id)).toMatchObject({ outcome: 'confirmed', already: true });
  });

  it('refuses a sign-up once the secretariaat closed it', async () => {
    const s = await newSession();
    await a.setSignUpOpen(secretary, s.id, false);
    await expect(a.signUp(member(302), s.id)).rejects.toMatchObject({ reason: 'deadline' });
    expect((await a.get(s.id)).confirmedCount).toBe(0);
  });

  it('gives up a waiting place without freeing a seat, and answers someone who was not signed up', async () => {
    const s = await newSession({ capacity: '1' });
    for (const n of [310, 311, 312]) await a.signUp(member(n), s.id);
    const before = sent.length;
    expect(await a.cancelSignUp(member(312), s.id)).toMatchObject({ outcome: 'cancelled', was: 'wachtlijst' });
    expect(await a.get(s.id)).toMatchObject({ confirmedCount: 1, waitingCount: 1 });
    expect(await ids(s.id)).toEqual({ confirmed: ['m-310'], waiting: ['m-311'] });
    expect(sent.slice(before)).toEqual([]);
    expect(await a.cancelSignUp(member(313), s.id)).toMatchObject({ outcome: 'notRegistered' });
  });

  it('keeps a seat once the session has begun, and moves no one up in a session that is over or cancelled', async () => {
    const s = await newSession({ capacity: '1' });
    for (const n of [320, 321]) await a.signUp(member(n), s.id);
    clock = new Date('2027-04-15T10:30:00Z');
    try {
      await expect(a.cancelSignUp(member(320), s.id)).rejects.toMatchObject({ reason: 'started' });
      // Erased during the session: the person waiting is not moved up (nor told so) for a session under way.
      const before = sent.length;
      await a.erase({ tenantId: TENANT, aadObjectId: 'm-320' });
      expect(await a.get(s.id)).toMatchObject({ confirmedCount: 0, waitingCount: 1 });
      expect(sent.slice(before)).toEqual([]);
    } finally {
      clock = new Date('2026-11-29T10:00:00Z');
    }
    const c = await newSession({ capacity: '1' });
    for (const n of [322, 323]) await a.signUp(member(n), c.id);
    await a.cancelSession(secretary, c.id);
    const before = sent.length;
    await a.cancelSignUp(member(322), c.id);
    expect(await a.get(c.id)).toMatchObject({ confirmedCount: 0, waitingCount: 1 });
    expect(sent.slice(before).filter((x) => x.kind === 'promoted')).toEqual([]);
  });
});

describe('creating and editing', () => {
  it('refuses negative capacity, an end before the start, a past date and a deadline after the day, writing nothing', async () => {
    const before = (await storeA.listSessions()).length;
    const bad = [
      [form({ capacity: '-3' }), 'capacity', 'capacityMin'],
      [form({ capacity: 'veel' }), 'capacity', 'invalidNumber'],
      [form({ endTime: '09:00' }), 'endTime', 'endBeforeStart'],
      [form({ date: '2026-01-10', deadlineDate: '2026-01-01' }), 'date', 'inPast'],
      [form({ deadlineDate: '2027-04-20' }), 'deadlineDate', 'deadlineAfterStart'],
      [form({ series: 'feest' }), 'series', 'invalidChoice'],
      [form({ audience: ['burgemeester'] }), 'audience', 'invalidChoice'],
      [form({ facilitator: 'iemand|anders' }), 'facilitator', 'unknownFacilitator'],
      [form({ date: '2027-02-30' }), 'date', 'invalidDate'],
    ] as const;
    for (const [input, field, problem] of bad) {
      const result = await a.create(secretary, input, `bad-${field}-${problem}`);
      expect(result).toMatchObject({ status: 'invalid', problems: { [field]: problem } });
    }
    expect((await storeA.listSessions()).length).toBe(before);
  });

  it('lets only the secretariaat create, and makes one session of a double click', async () => {
    await expect(a.create(member(1), form(), 'submission-member-1')).rejects.toBeInstanceOf(AccessDenied);
    const before = (await storeA.listSessions()).length;
    const [x, y] = await Promise.all([a.create(secretary, form(), 'same-form-1'), b.create(secretary, form(), 'same-form-1')]);
    expect(x.status === 'saved' && y.status === 'saved' && x.session.id === y.session.id).toBe(true);
    expect((await storeA.listSessions()).length).toBe(before + 1);
  });

  it('stores times in Amsterdam time, summer and winter', async () => {
    const winter = await newSession({ date: '2027-03-25', deadlineDate: '2027-03-20', startTime: '14:00', endTime: '17:00' });
    const summer = await newSession({ date: '2027-03-29', deadlineDate: '2027-03-20', startTime: '14:00', endTime: '17:00' });
    expect(winter.startsAt).toBe('2027-03-25T13:00:00.000Z');
    expect(summer.startsAt).toBe('2027-03-29T12:00:00.000Z');
    expect(winter.signupDeadline).toBe('2027-03-20T22:59:59.000Z');
  });

  it('raises the revision and tells everyone registered when a session moves, not when only the host changes', async () => {
    const s = await newSession();
    await a.signUp(member(301), s.id);
    const before = sent.length;
    await a.edit(secretary, s.id, form({ hostOrganisation: 'Gemeente Laren' }));
    expect((await a.get(s.id)).revision).toBe(0);
    expect(sent.length).toBe(before);
    expect(await a.edit(secretary, s.id, form({ startTime: '11:00' }))).toMatchObject({ status: 'saved', moved: true });
    expect((await a.get(s.id)).revision).toBe(1);
    expect(sent.slice(before)).toEqual([{ to: member(301).aadObjectId, kind: 'moved', sessionId: s.id, how: 'later' }]);
  });

  it('tells everyone signed up or waiting when a session is cancelled', async () => {
    const s = await newSession({ capacity: '1' });
    await a.signUp(member(311), s.id);
    await a.signUp(member(312), s.id);
    const before = sent.length;
    await a.cancelSession(secretary, s.id);
    expect(sent.slice(before).map((x) => [x.to, x.kind]).sort()).toEqual([
      [member(311).aadObjectId, 'cancelled'],
      [member(312).aadObjectId, 'cancelled'],
    ]);
    expect((await a.get(s.id)).revision).toBe(1);
  });
});

describe('reminders', () => {
  it('drops the reminder claim table of earlier versions, with the people in it, and then finds nothing to drop', async () => {
    const tables = createTables(testConfig().storage);
    const old = tables.client('SessionReminders');
    await old.createTable();
    await old.createEntity({ partitionKey: 'S-1', rowKey: 'person|2027', state: 'sent' });
    const store = new SessionStore(tables);
    expect(await store.retireOldTables()).toBe(1);
    expect(await store.retireOldTables()).toBe(0);
  });

  it('reminds everyone confirmed (not the waiting list) within the window, and counts a reminder already in the outbox as skipped', async () => {
    const s = await newSession({ capacity: '3', date: '2027-05-10', deadlineDate: '2027-05-01' });
    for (const n of [401, 402, 403, 404]) await a.signUp(member(n), s.id);
    clock = new Date('2027-05-08T10:00:00Z');
    expect((await a.sendDueReminders()).sent).toBe(0);
    const before = sent.length;
    clock = new Date('2027-05-09T09:00:00Z');
    expect(await a.sendDueReminders()).toEqual({ sent: 3, skipped: 0 });
    // Another instance, or a restart, finds the same reminders in the outbox.
    const restarted = new SessionService(storeA, messenger, memberOf, options, now);
    expect(await restarted.sendDueReminders()).toEqual({ sent: 0, skipped: 3 });
    const reminders = sent.slice(before).filter((x) => x.kind === 'reminder' && x.sessionId === s.id);
    expect(reminders.map((x) => x.to).sort()).toEqual([member(401), member(402), member(403)].map((m) => m.aadObjectId));
    clock = new Date('2026-11-29T10:00:00Z');
  });
});

describe('after the session', () => {
  it('lets the gespreksleider mark attendance and record the opbrengst, kept for the agenda and sent to those who came', async () => {
    const s = await newSession({ facilitator: `${TENANT}|${leader.aadObjectId}`, date: '2027-06-01', deadlineDate: '2027-05-25' });
    expect(s.facilitator?.aadObjectId).toBe(leader.aadObjectId);
    for (const n of [501, 502]) await a.signUp(member(n), s.id);
    await expect(a.setAttendance(leader, s.id, [])).rejects.toMatchObject({ reason: 'notStarted' });
    clock = new Date('2027-06-01T09:00:00Z');
    await expect(a.attendees(member(501), s.id)).rejects.toMatchObject({ reason: 'notManager' });
    await expect(a.setAttendance(leader, s.id, [`${TENANT}|m-999`])).rejects.toMatchObject({ reason: 'notConfirmed' });
    const marked = await a.setAttendance(leader, s.id, [`${TENANT}|${member(501).aadObjectId}`]);
    expect(marked.confirmed.map((r) => [r.aadObjectId, r.attended])).toEqual([
      [member(501).aadObjectId, true],
      [member(502).aadObjectId, false],
    ]);
    await expect(a.recordOpbrengst(leader, s.id, '   ')).rejects.toBeInstanceOf(RuleViolation);
    await expect(a.recordOpbrengst(leader, s.id, 'x'.repeat(1001))).rejects.toMatchObject({ reason: 'opbrengstTooLong' });
    const before = sent.length;
    await a.recordOpbrengst(leader, s.id, 'Vroeg samen rekenen scheelt maanden.');
    expect(sent.slice(before)).toEqual([{ to: member(501).aadObjectId, kind: 'opbrengst', sessionId: s.id, how: 'later' }]);
    const ready = await b.opbrengstenNotOnAgenda();
    expect(ready.map((o) => [o.id, o.opbrengst])).toContainEqual([s.id, 'Vroeg samen rekenen scheelt maanden.']);
    await b.markOpbrengstOnAgenda(s.id, 'BO-2027-07#3');
    expect((await a.opbrengstenNotOnAgenda()).map((o) => o.id)).not.toContain(s.id);
    clock = new Date('2026-11-29T10:00:00Z');
  });
});
