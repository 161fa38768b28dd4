// Session rules: who may sign up and when, the waiting list, who manages a session, reminders. No Teams types.
import { auditRecorder, type AuditRecorder, type AuditSink } from '../../core/audit';
import { NotFound } from '../../errors';
import { samePerson, type Member, type PersonId, type Role } from '../../identity';
import { decodeKey, personKey } from '../../storage/keys';
import { retryOnConflict } from '../../storage/tables';
import { refuse } from './messages';
import {
  LIMITS,
  newSessionState,
  sessionInputSchema,
  type PersonRef,
  type Registration,
  type Session,
  type SessionField,
  type SessionInput,
  type SessionStatus,
} from './model';
import { Conflict, personKeyOf, type RegistrationChange, type SessionStore, type Versioned } from './store';
import { endOfLocalDay, fromLocal } from '../../time';

/** What the people of a session are told, in their personal chat. */
export type SessionNotice =
  | { kind: 'promoted'; session: Session }
  | { kind: 'cancelled'; session: Session }
  | { kind: 'moved'; session: Session }
  | { kind: 'reminder'; session: Session }
  | { kind: 'opbrengst'; session: Session };

export interface Messenger {
  /**
   * Puts a notice in the outbox once: 'exists' when the same notice (a reminder: per session and start time)
   * was put there before, by any instance.
   */
  once(to: PersonId, notice: SessionNotice): Promise<'queued' | 'exists'>;
  /** Keeps the notice in the outbox (it is sent after the turn); resolves once it is kept, never throws. */
  later(to: PersonId, notice: SessionNotice): Promise<void>;
}

export type FieldProblem =
  | 'required'
  | 'tooLong'
  | 'invalidChoice'
  | 'invalidDate'
  | 'invalidTime'
  | 'invalidNumber'
  | 'capacityMin'
  | 'capacityMax'
  | 'endBeforeStart'
  | 'inPast'
  | 'deadlineAfterStart'
  | 'unknownFacilitator'
  | 'capacityBelowConfirmed';

type SaveResult =
  | { status: 'saved'; session: Session; created: boolean; moved?: boolean }
  | { status: 'invalid'; problems: Partial<Record<SessionField, FieldProblem>>; confirmed?: number };

type SignUpResult =
  | { outcome: 'confirmed' | 'waiting'; session: Session; registration: Registration; position: number; already: boolean };

type CancelResult = { outcome: 'cancelled'; session: Session; was: 'bevestigd' | 'wachtlijst' } | { outcome: 'notRegistered'; session: Session };

/** A person's place in a session, for the lists. */
interface MyPlace {
  state: 'bevestigd' | 'wachtlijst';
  position: number;
}

export interface SessionView {
  session: Session;
  status: SessionStatus;
  seatsLeft: number;
  mine?: MyPlace;
}

export interface Attendees {
  session: Session;
  confirmed: Registration[];
  waiting: Registration[];
}

export const MEMBER_ROLES: readonly Role[] = ['wethouder', 'directeur-bestuurder', 'secretariaat'];
// Other instances may write the same session in between; each conflict means someone else got through.
const ATTEMPTS = 80;

interface SessionOptions {
  /** How long before the start the reminder goes out. */
  reminderHours: number;
  /** Where changes by the secretariaat (and the gespreksleider) are recorded. */
  audit: AuditSink;
}

export function statusOf(session: Session, now: Date): SessionStatus {
  if (session.state === 'geannuleerd') return 'geannuleerd';
  if (Date.parse(session.endsAt) <= now.getTime()) return 'voorbij';
  if (session.state === 'gesloten' || Date.parse(session.signupDeadline) < now.getTime() || Date.parse(session.startsAt) <= now.getTime()) {
    return 'gesloten';
  }
  return session.confirmedCount >= session.capacity ? 'vol' : 'open';
}

function byArrival(a: Registration, b: Registration): number {
  return a.arrival - b.arrival;
}

export class SessionService {
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: SessionStore,
    private readonly messenger: Messenger,
    /** A member as the registry knows them today (to check a chosen gespreksleider). */
    private readonly memberOf: (person: PersonId) => Promise<Member | undefined>,
    private readonly options: SessionOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.record = auditRecorder(options.audit, 'sessions');
  }

  private readonly record: AuditRecorder;

  // ---------------------------------------------------------------- reading

  async get(id: string): Promise<Session> {
    const found = await this.store.getSession(id);
    if (!found) throw new NotFound('No such session');
    return found.value;
  }

  /** Upcoming sessions this member may see, soonest first, with their own place in each. */
  async upcoming(member: Member): Promise<SessionView[]> {
    const now = this.now();
    const sessions = (await this.store.listSessions())
      .filter((s) => Date.parse(s.endsAt) > now.getTime())
      .filter((s) => member.role === 'secretariaat' || (s.state !== 'geannuleerd' && s.audience.includes(member.role)))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return Promise.all(sessions.map((s) => this.view(s, member, now)));
  }

  /** The sessions this member signed up for or waits for (upcoming ones), soonest first. */
  async mine(member: Member): Promise<SessionView[]> {
    const now = this.now();
    const sessions = (await this.store.listSessions()).filter((s) => Date.parse(s.endsAt) > now.getTime());
    const views = await Promise.all(sessions.map((s) => this.view(s, member, now)));
    return views.filter((v) => v.mine).sort((a, b) => a.session.startsAt.localeCompare(b.session.startsAt));
  }

  /** The sessions a gespreksleider leads (past ones too: attendance and opbrengst come afterwards). */
  async ledBy(member: Member): Promise<SessionView[]> {
    const now = this.now();
    const sessions = (await this.store.listSessions()).filter((s) => s.facilitator && samePerson(s.facilitator, member));
    const views = await Promise.all(sessions.map((s) => this.view(s, member, now)));
    return views.sort((a, b) => a.session.startsAt.localeCompare(b.session.startsAt));
  }

  async viewOf(id: string, member: Member): Promise<SessionView> {
    return this.view(await this.get(id), member, this.now());
  }

  private async view(session: Session, member: Member, now: Date): Promise<SessionView> {
    const reg = await this.store.getRegistration(session.id, personKeyOf(member));
    const seatsLeft = Math.max(0, session.capacity - session.confirmedCount);
    const base: SessionView = { session, status: statusOf(session, now), seatsLeft };
    if (!reg || reg.value.state === 'afgemeld') return base;
    if (reg.value.state === 'bevestigd') return { ...base, mine: { state: 'bevestigd', position: 0 } };
    return { ...base, mine: { state: 'wachtlijst', position: await this.positionOf(session.id, reg.value) } };
  }

  private async positionOf(sessionId: string, reg: Registration): Promise<number> {
    const all = await this.store.registrations(sessionId);
    return all.filter((r) => r.value.state === 'wachtlijst' && r.value.arrival <= reg.arrival).length;
  }

  /** Who comes and who waits: for the secretariaat and the session's own gespreksleider. */
  async attendees(actor: Member, id: string): Promise<Attendees> {
    const session = await this.get(id);
    this.requireManager(actor, session);
    const regs = (await this.store.registrations(id)).map((r) => r.value);
    return {
      session,
      confirmed: regs.filter((r) => r.state === 'bevestigd').sort(byArrival),
      waiting: regs.filter((r) => r.state === 'wachtlijst').sort(byArrival),
    };
  }

  /** The same lists for the holder of a signed export link (the link was made for the secretariaat). */
  async attendeesForExport(id: string): Promise<Attendees> {
    const session = await this.get(id);
    const regs = (await this.store.registrations(id)).map((r) => r.value);
    return {
      session,
      confirmed: regs.filter((r) => r.state === 'bevestigd').sort(byArrival),
      waiting: regs.filter((r) => r.state === 'wachtlijst').sort(byArrival),
    };
  }

  isManager(actor: Member, session: Session): boolean {
    return actor.role === 'secretariaat' || (actor.role === 'gespreksleider' && !!session.facilitator && samePerson(session.facilitator, actor));
  }

  private requireManager(actor: Member, session: Session): void {
    if (this.isManager(actor, session)) return;
    // A gespreksleider of another session, or a member: this list is not theirs (and says nothing about it).
    throw refuse.denied('notManager');
  }

  // ---------------------------------------------------------------- signing up

  /**
   * Signs the member up: a seat while there is one and nobody waits, else the next place on the waiting list.
   * One transaction per sign-up (session row by ETag + registration), so fifty at once give exactly the
   * right counts; pressing twice is one sign-up.
   */
  async signUp(member: Member, id: string): Promise<SignUpResult> {
    const key = personKeyOf(member);
    return this.retrying(id, async () => {
      const [found, reg] = await Promise.all([this.store.getSession(id), this.store.getRegistration(id, key)]);
      if (!found) throw new NotFound('No such session');
      const session = found.value;
      if (reg && reg.value.state !== 'afgemeld') {
        const position = reg.value.state === 'wachtlijst' ? await this.positionOf(id, reg.value) : 0;
        const outcome = reg.value.state === 'bevestigd' ? 'confirmed' : 'waiting';
        return { outcome, session, registration: reg.value, position, already: true };
      }
      this.requireOpenForSignUp(member, session);
      const now = this.now().toISOString();
      const arrival = session.lastArrival + 1;
      const seat = session.confirmedCount < session.capacity && session.waitingCount === 0;
      const registration: Registration = {
        sessionId: id,
        tenantId: member.tenantId.toLowerCase(),
        aadObjectId: member.aadObjectId.toLowerCase(),
        name: member.name,
        organisationId: member.organisationId,
        role: member.role,
        state: seat ? 'bevestigd' : 'wachtlijst',
        arrival,
        signedUpAt: now,
        updatedAt: now,
        attended: false,
      };
      const next: Session = {
        ...session,
        lastArrival: arrival,
        confirmedCount: session.confirmedCount + (seat ? 1 : 0),
        waitingCount: session.waitingCount + (seat ? 0 : 1),
      };
      await this.store.commit({ value: next, etag: found.etag }, [{ kind: 'put', registration, ...(reg ? { etag: reg.etag } : {}) }]);
      // Everyone waiting arrived earlier, so a newcomer's place is the length of the list.
      return { outcome: seat ? 'confirmed' : 'waiting', session: next, registration, position: seat ? 0 : next.waitingCount, already: false };
    });
  }

  private requireOpenForSignUp(member: Member, session: Session): void {
    const now = this.now().getTime();
    if (session.state === 'geannuleerd') throw refuse.rule('cancelled');
    if (Date.parse(session.startsAt) <= now) throw refuse.rule('past');
    if (!session.audience.includes(member.role)) throw refuse.denied('audience');
    if (session.state === 'gesloten' || Date.parse(session.signupDeadline) < now) throw refuse.rule('deadline');
  }

  /** Gives up a seat or a waiting place; the first person waiting gets the seat in the same write. */
  async cancelSignUp(member: Member, id: string): Promise<CancelResult> {
    const key = personKeyOf(member);
    let promoted: Registration[] = [];
    const result = await this.retrying<CancelResult>(id, async () => {
      const [found, reg] = await Promise.all([this.store.getSession(id), this.store.getRegistration(id, key)]);
      if (!found) throw new NotFound('No such session');
      if (!reg || reg.value.state === 'afgemeld') return { outcome: 'notRegistered', session: found.value };
      if (Date.parse(found.value.startsAt) <= this.now().getTime()) throw refuse.rule('started');
      const planned = await this.withdraw(found, key, reg, 'afgemeld');
      await this.store.commit(planned.session, planned.changes);
      promoted = planned.promoted;
      return { outcome: 'cancelled', session: planned.session.value, was: reg.value.state as 'bevestigd' | 'wachtlijst' };
    });
    if (result.outcome === 'cancelled') await this.tellPromoted(result.session, promoted);
    return result;
  }

  /**
   * Plans taking one registration out (cancelled, or erased), and filling the seat it frees from the waiting
   * list. Nothing is written here.
   */
  private async withdraw(
    found: Versioned<Session>,
    key: string,
    reg: Versioned<Registration>,
    how: 'afgemeld' | 'erased',
  ): Promise<{ session: Versioned<Session>; changes: RegistrationChange[]; promoted: Registration[] }> {
    const now = this.now().toISOString();
    const was = reg.value.state;
    let session: Session = {
      ...found.value,
      confirmedCount: found.value.confirmedCount - (was === 'bevestigd' ? 1 : 0),
      waitingCount: found.value.waitingCount - (was === 'wachtlijst' ? 1 : 0),
    };
    const changes: RegistrationChange[] =
      how === 'erased'
        ? [{ kind: 'delete', person: key, etag: reg.etag }]
        : [{ kind: 'put', registration: { ...reg.value, state: 'afgemeld', updatedAt: now }, etag: reg.etag }];
    const filled = await this.fillSeats(session, [key]);
    session = filled.session;
    return { session: { value: session, etag: found.etag }, changes: [...changes, ...filled.changes], promoted: filled.promoted };
  }

  /**
   * Moves people from the waiting list to free seats, first come first served. Only upcoming, not cancelled
   * sessions: a seat in a session that is over helps no one.
   */
  private async fillSeats(session: Session, skip: string[] = [], max = 98): Promise<{ session: Session; changes: RegistrationChange[]; promoted: Registration[] }> {
    const free = session.capacity - session.confirmedCount;
    if (free <= 0 || session.waitingCount <= 0 || session.state === 'geannuleerd' || Date.parse(session.startsAt) <= this.now().getTime()) {
      return { session, changes: [], promoted: [] };
    }
    const now = this.now().toISOString();
    const waiting = (await this.store.registrations(session.id))
      .filter((r) => r.value.state === 'wachtlijst' && !skip.includes(r.person))
      .sort((a, b) => byArrival(a.value, b.value))
      .slice(0, Math.min(free, max));
    const promoted = waiting.map((r) => ({ ...r.value, state: 'bevestigd' as const, updatedAt: now }));
    return {
      session: { ...session, confirmedCount: session.confirmedCount + promoted.length, waitingCount: session.waitingCount - promoted.length },
      changes: waiting.map((r, i) => ({ kind: 'put' as const, registration: promoted[i]!, etag: r.etag })),
      promoted,
    };
  }

  /** One more step of filling free seats from the waiting list; the people promoted (none when nothing was free). */
  private async fillMore(id: string): Promise<Registration[]> {
    return this.retrying(id, async () => {
      const found = await this.store.getSession(id);
      if (!found) return [];
      const filled = await this.fillSeats(found.value);
      if (!filled.promoted.length) return [];
      await this.store.commit({ value: filled.session, etag: found.etag }, filled.changes);
      return filled.promoted;
    });
  }

  private async tellPromoted(session: Session, promoted: Registration[]): Promise<void> {
    await Promise.all(promoted.map((r) => this.messenger.later(r, { kind: 'promoted', session })));
  }

  /**
   * Runs a read-decide-write step on one session, again when another writer got in between (ETag conflict).
   * Within this process the steps of one session take turns, so only other instances can conflict: many
   * presses at once cost a few retries instead of every press racing every other.
   */
  private retrying<T>(sessionId: string, step: () => Promise<T>, attempts = ATTEMPTS): Promise<T> {
    return this.inTurn(sessionId, () =>
      retryOnConflict(step, { isConflict: (err) => err instanceof Conflict, attempts, pauseMs: (attempt) => Math.random() * Math.min(5 * attempt, 100) }),
    );
  }

  private inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(key, tail);
    void tail.then(() => {
      if (this.turns.get(key) === tail) this.turns.delete(key);
    });
    return run;
  }

  // ---------------------------------------------------------------- managing (secretariaat)

  /** Checks form input, turning local dates and times into instants. */
  async validate(
    raw: Record<string, unknown>,
    existing?: Session,
  ): Promise<{ ok: true; input: SessionInput; times: { startsAt: Date; endsAt: Date; deadline: Date }; facilitator: PersonRef | null } | { ok: false; problems: Partial<Record<SessionField, FieldProblem>> }> {
    const parsed = sessionInputSchema.safeParse(raw);
    const problems: Partial<Record<SessionField, FieldProblem>> = {};
    const known: FieldProblem[] = ['required', 'tooLong', 'invalidChoice', 'invalidDate', 'invalidTime', 'invalidNumber', 'capacityMin', 'capacityMax'];
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as SessionField;
        if (problems[field]) continue;
        problems[field] = known.includes(issue.message as FieldProblem)
          ? (issue.message as FieldProblem)
          : field === 'capacity'
            ? 'invalidNumber'
            : field === 'audience' || field === 'series'
              ? 'invalidChoice'
              : 'required';
      }
    }
    const r = raw as Partial<Record<SessionField, string>>;
    const startsAt = typeof r.date === 'string' && typeof r.startTime === 'string' ? fromLocal(r.date, r.startTime) : undefined;
    const endsAt = typeof r.date === 'string' && typeof r.endTime === 'string' ? fromLocal(r.date, r.endTime) : undefined;
    const deadlineEnd = typeof r.deadlineDate === 'string' ? endOfLocalDay(r.deadlineDate) : undefined;
    if (!startsAt && !problems.date) problems.date = 'invalidDate';
    if (!startsAt && !problems.startTime && !problems.date) problems.startTime = 'invalidTime';
    if (!endsAt && !problems.endTime && !problems.date) problems.endTime = 'invalidTime';
    if (!deadlineEnd && !problems.deadlineDate) problems.deadlineDate = 'invalidDate';
    const now = this.now();
    if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime() && !problems.endTime) problems.endTime = 'endBeforeStart';
    // A new session starts in the future; an existing one may keep its (past) time while other fields change.
    const moved = !existing || (startsAt && startsAt.toISOString() !== existing.startsAt);
    if (startsAt && moved && startsAt.getTime() <= now.getTime() && !problems.date) problems.date = 'inPast';
    const deadlineDay = typeof r.deadlineDate === 'string' ? r.deadlineDate : '';
    if (deadlineEnd && startsAt && deadlineDay > String(r.date) && !problems.deadlineDate) problems.deadlineDate = 'deadlineAfterStart';
    let facilitator: PersonRef | null = existing?.facilitator ?? null;
    const chosen = typeof r.facilitator === 'string' ? r.facilitator.trim() : '';
    if (!chosen) facilitator = null;
    else if (!existing?.facilitator || chosen !== personKeyOf(existing.facilitator)) {
      const [tenantId, aadObjectId] = decodeKey(chosen).split('|');
      const member = tenantId && aadObjectId ? await this.memberOf({ tenantId, aadObjectId }) : undefined;
      if (!member || member.role !== 'gespreksleider') problems.facilitator = 'unknownFacilitator';
      else facilitator = { tenantId: member.tenantId, aadObjectId: member.aadObjectId, name: member.name };
    }
    if (!parsed.success || Object.keys(problems).length || !startsAt || !endsAt || !deadlineEnd) return { ok: false, problems };
    // Sign-up closes at the end of the chosen day, or at the start when that comes first.
    const deadline = new Date(Math.min(deadlineEnd.getTime(), startsAt.getTime()));
    return { ok: true, input: parsed.data, times: { startsAt, endsAt, deadline }, facilitator };
  }

  /** Creates a session, once per form submission. */
  async create(actor: Member, raw: Record<string, unknown>, submissionId: string): Promise<SaveResult> {
    requireSecretariaat(actor);
    const checked = await this.validate(raw);
    if (!checked.ok) return { status: 'invalid', problems: checked.problems };
    const now = this.now();
    const candidate = formatSessionId(await this.store.nextSessionNumber());
    const earlier = await this.store.claimSubmission(personKeyOf(actor), submissionId, candidate, now);
    const id = earlier ?? candidate;
    const session: Session = {
      id,
      series: checked.input.series,
      title: checked.input.title,
      description: checked.input.description,
      startsAt: checked.times.startsAt.toISOString(),
      endsAt: checked.times.endsAt.toISOString(),
      signupDeadline: checked.times.deadline.toISOString(),
      location: checked.input.location,
      hostOrganisation: checked.input.hostOrganisation,
      facilitatorName: checked.input.facilitatorName || checked.facilitator?.name || '',
      facilitator: checked.facilitator,
      capacity: checked.input.capacity,
      audience: [...new Set(checked.input.audience)],
      ...newSessionState(now),
    };
    const created = await this.store.createSession(session);
    if (!created) return { status: 'saved', session: await this.get(id), created: false };
    await this.record(actor, 'session.created', id, undefined, describe(session));
    return { status: 'saved', session, created: true };
  }

  /**
   * Changes a session. Capacity below the number already confirmed is refused (nobody loses a confirmed
   * seat by an edit); more seats go to the people waiting, in order. When time or place changes, everyone
   * signed up or waiting is told, and calendars get a higher SEQUENCE.
   */
  async edit(actor: Member, id: string, raw: Record<string, unknown>): Promise<SaveResult> {
    requireSecretariaat(actor);
    let promoted: Registration[] = [];
    let movedFrom: Session | undefined;
    let before: Session | undefined;
    const result = await this.retrying<SaveResult>(id, async () => {
      const found = await this.store.getSession(id);
      if (!found) throw new NotFound('No such session');
      const current = found.value;
      if (current.state === 'geannuleerd') throw refuse.rule('cancelled');
      const checked = await this.validate(raw, current);
      if (!checked.ok) return { status: 'invalid', problems: checked.problems };
      if (checked.input.capacity < current.confirmedCount) {
        return { status: 'invalid', problems: { capacity: 'capacityBelowConfirmed' }, confirmed: current.confirmedCount };
      }
      const startsAt = checked.times.startsAt.toISOString();
      const endsAt = checked.times.endsAt.toISOString();
      const moved = startsAt !== current.startsAt || endsAt !== current.endsAt || checked.input.location !== current.location;
      const calendarChanged = moved || checked.input.title !== current.title || checked.input.description !== current.description;
      let next: Session = {
        ...current,
        series: checked.input.series,
        title: checked.input.title,
        description: checked.input.description,
        startsAt,
        endsAt,
        signupDeadline: checked.times.deadline.toISOString(),
        location: checked.input.location,
        hostOrganisation: checked.input.hostOrganisation,
        facilitatorName: checked.input.facilitatorName || checked.facilitator?.name || '',
        facilitator: checked.facilitator,
        capacity: checked.input.capacity,
        audience: [...new Set(checked.input.audience)],
        revision: current.revision + (calendarChanged ? 1 : 0),
        updatedAt: this.now().toISOString(),
      };
      const filled = await this.fillSeats(next);
      next = filled.session;
      await this.store.commit({ value: next, etag: found.etag }, filled.changes);
      promoted = filled.promoted;
      movedFrom = moved ? current : undefined;
      before = current;
      return { status: 'saved', session: next, created: false, moved };
    });
    if (result.status === 'saved') {
      await this.record(actor, 'session.edited', id, before && describe(before), describe(result.session));
      // A transaction holds at most 100 rows: a big rise in capacity fills the rest of the seats in further steps.
      for (let more = await this.fillMore(id); more.length; more = await this.fillMore(id)) promoted = [...promoted, ...more];
      await this.tellPromoted(result.session, promoted);
      if (movedFrom) await this.tellEveryone(result.session, 'moved', promoted);
    }
    return result;
  }

  /** Cancels a session and tells everyone who signed up or waits. */
  async cancelSession(actor: Member, id: string): Promise<Session> {
    requireSecretariaat(actor);
    const cancelled = await this.retrying(id, async () => {
      const found = await this.store.getSession(id);
      if (!found) throw new NotFound('No such session');
      if (found.value.state === 'geannuleerd') return undefined;
      if (Date.parse(found.value.endsAt) <= this.now().getTime()) throw refuse.rule('past');
      const next: Session = { ...found.value, state: 'geannuleerd', revision: found.value.revision + 1, updatedAt: this.now().toISOString() };
      await this.store.commit({ value: next, etag: found.etag }, []);
      return { next, was: found.value.state };
    });
    if (!cancelled) return this.get(id);
    await this.record(actor, 'session.cancelled', id, { state: cancelled.was }, { state: cancelled.next.state }, cancelled.next.title);
    await this.tellEveryone(cancelled.next, 'cancelled');
    return cancelled.next;
  }

  /** Closes sign-up before the deadline (or opens it again); people already signed up or waiting keep their place. */
  async setSignUpOpen(actor: Member, id: string, open: boolean): Promise<Session> {
    requireSecretariaat(actor);
    let was: Session['state'] | undefined;
    const session = await this.retrying(id, async () => {
      const found = await this.store.getSession(id);
      if (!found) throw new NotFound('No such session');
      if (found.value.state === 'geannuleerd') throw refuse.rule('cancelled');
      const state = open ? 'open' : 'gesloten';
      if (found.value.state === state) return found.value;
      const next: Session = { ...found.value, state, updatedAt: this.now().toISOString() };
      await this.store.commit({ value: next, etag: found.etag }, []);
      was = found.value.state;
      return next;
    });
    if (was !== undefined) await this.record(actor, open ? 'session.signUpOpened' : 'session.signUpClosed', id, { state: was }, { state: session.state }, session.title);
    return session;
  }

  private async tellEveryone(session: Session, kind: 'moved' | 'cancelled', skip: Registration[] = []): Promise<void> {
    const regs = await this.store.registrations(session.id);
    for (const r of regs) {
      if (r.value.state === 'afgemeld' || skip.some((s) => samePerson(s, r.value))) continue;
      await this.messenger.later(r.value, { kind, session });
    }
  }

  // ---------------------------------------------------------------- after the session (gespreksleider)

  /** Marks who attended (the others confirmed did not). From the start of the session on. */
  /** `among`: the people whose attendance is set (one page of the list); all confirmed ones when left out. */
  async setAttendance(actor: Member, id: string, attendedKeys: string[], among?: string[]): Promise<Attendees> {
    const session = await this.get(id);
    this.requireManager(actor, session);
    if (Date.parse(session.startsAt) > this.now().getTime()) throw refuse.rule('notStarted');
    const regs = await this.store.registrations(id);
    const scope = among ? new Set(among) : undefined;
    const confirmed = regs.filter((r) => r.value.state === 'bevestigd' && (!scope || scope.has(r.person)));
    const known = new Set(confirmed.map((r) => r.person));
    // A forged or stale choice (someone not confirmed) is refused before anything is written.
    if (attendedKeys.some((k) => !known.has(k))) throw refuse.rule('notConfirmed');
    const wanted = new Set(attendedKeys);
    const changed = confirmed.filter((r) => r.value.attended !== wanted.has(r.person));
    for (const r of changed) await this.store.setAttended(id, r.person, wanted.has(r.person));
    const before = confirmed.filter((r) => r.value.attended).length;
    if (changed.length) await this.record(actor, 'session.attendance', id, { attended: before, of: confirmed.length }, { attended: wanted.size, of: confirmed.length }, session.title);
    return this.attendees(actor, id);
  }

  /**
   * Records the session's opbrengst (main insights). It is kept for the next BO agenda, and everyone who
   * took part (attended; or confirmed, when attendance was not marked) gets it in their chat.
   */
  async recordOpbrengst(actor: Member, id: string, text: string): Promise<Session> {
    const clean = text.trim();
    if (!clean) throw refuse.rule('opbrengstEmpty');
    if (clean.length > LIMITS.opbrengst) throw refuse.rule('opbrengstTooLong', { max: LIMITS.opbrengst });
    let changed = false;
    let was = '';
    const updated = await this.retrying(id, async () => {
      const found = await this.store.getSession(id);
      if (!found) throw new NotFound('No such session');
      this.requireManager(actor, found.value);
      if (found.value.state === 'geannuleerd') throw refuse.rule('cancelled');
      if (Date.parse(found.value.startsAt) > this.now().getTime()) throw refuse.rule('notStarted');
      if (found.value.opbrengst === clean) return found.value;
      const next: Session = { ...found.value, opbrengst: clean, opbrengstAt: this.now().toISOString(), updatedAt: this.now().toISOString() };
      await this.store.commit({ value: next, etag: found.etag }, []);
      changed = true;
      was = found.value.opbrengst;
      return next;
    });
    if (changed) {
      await this.record(actor, 'session.opbrengst', id, { opbrengst: was }, { opbrengst: updated.opbrengst }, updated.title);
      const regs = (await this.store.registrations(id)).map((r) => r.value).filter((r) => r.state === 'bevestigd');
      const anyMarked = regs.some((r) => r.attended);
      await Promise.all(regs.filter((r) => !anyMarked || r.attended).map((r) => this.messenger.later(r, { kind: 'opbrengst', session: updated })));
    }
    return updated;
  }

  /** Opbrengsten ready for the next BO agenda that no agenda item holds yet (for the agenda capability). */
  async opbrengstenNotOnAgenda(): Promise<Array<Pick<Session, 'id' | 'series' | 'title' | 'startsAt' | 'facilitatorName' | 'opbrengst' | 'opbrengstAt'>>> {
    return (await this.store.listSessions())
      .filter((s) => s.opbrengst && !s.opbrengstAgendaRef && s.state !== 'geannuleerd')
      .sort((a, b) => a.opbrengstAt.localeCompare(b.opbrengstAt))
      .map(({ id, series, title, startsAt, facilitatorName, opbrengst, opbrengstAt }) => ({ id, series, title, startsAt, facilitatorName, opbrengst, opbrengstAt }));
  }

  /** Notes that an agenda item now holds this session's opbrengst (called by the agenda capability). */
  async markOpbrengstOnAgenda(id: string, agendaRef: string): Promise<void> {
    await this.retrying(id, async () => {
      const found = await this.store.getSession(id);
      if (!found) throw new NotFound('No such session');
      await this.store.commit({ value: { ...found.value, opbrengstAgendaRef: agendaRef }, etag: found.etag }, []);
    });
  }

  // ---------------------------------------------------------------- reminders

  /**
   * Puts the reminder in the outbox for everyone confirmed for sessions starting within the reminder window.
   * The outbox keeps one row per session, start time and person, so with several instances, or a restart, it
   * goes out once; a moved session gets its own reminder.
   */
  async sendDueReminders(now: Date = this.now()): Promise<{ sent: number; skipped: number }> {
    const lead = this.options.reminderHours * 3_600_000;
    const due = (await this.store.listSessions()).filter((s) => {
      const start = Date.parse(s.startsAt);
      return s.state !== 'geannuleerd' && start > now.getTime() && start - lead <= now.getTime();
    });
    let sent = 0;
    let skipped = 0;
    for (const session of due) {
      for (const r of await this.store.registrations(session.id)) {
        if (r.value.state !== 'bevestigd') continue;
        if ((await this.messenger.once(r.value, { kind: 'reminder', session })) === 'exists') skipped++;
        else sent++;
      }
    }
    return { sent, skipped };
  }

  // ---------------------------------------------------------------- privacy

  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const key = personKey(person.tenantId, person.aadObjectId);
    // One read per session, all at once (one after another, they added up to most of `mijn gegevens`).
    const sessions = await this.store.listSessions();
    const found = await Promise.all(sessions.map((s) => this.store.getRegistration(s.id, key)));
    const registrations: Registration[] = found.flatMap((reg) => (reg ? [reg.value] : []));
    const led = sessions.filter((s) => s.facilitator && samePerson(s.facilitator, person)).map((s) => s.id);
    return { registrations, leads: led };
  }

  /**
   * Erases a person's sign-ups, waiting places and attendance (the reminders sent are the core's outbox rows). A seat they held goes to
   * the first person waiting, who is told. A session they lead keeps its facilitator's name but loses the link.
   */
  async erase(person: PersonId): Promise<void> {
    const key = personKey(person.tenantId, person.aadObjectId);
    for (const s of await this.store.listSessions()) {
      const outcome = await this.retrying(s.id, async () => {
        const found = await this.store.getSession(s.id);
        if (!found) return undefined;
        const reg = await this.store.getRegistration(s.id, key);
        const leads = !!found.value.facilitator && samePerson(found.value.facilitator, person);
        if (!reg && !leads) return undefined;
        if (!reg) {
          await this.store.commit({ value: { ...found.value, facilitator: null }, etag: found.etag }, []);
          return undefined;
        }
        const planned = await this.withdraw(found, key, reg, 'erased');
        if (leads) planned.session.value = { ...planned.session.value, facilitator: null };
        await this.store.commit(planned.session, planned.changes);
        return planned;
      });
      if (outcome) await this.tellPromoted(outcome.session.value, outcome.promoted);
    }
  }

  // ---------------------------------------------------------------- seed

  /** Stores sessions as given (seed data), each under the next number. */
  async seedSessions(drafts: Array<Omit<Session, 'id'>>): Promise<Session[]> {
    const out: Session[] = [];
    for (const draft of drafts) {
      const session = { ...draft, id: formatSessionId(await this.store.nextSessionNumber()) };
      await this.store.createSession(session);
      out.push(session);
    }
    return out;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.store.listSessions()).length === 0;
  }
}

/** What the audit trail keeps of a session: its facts, not its people. */
function describe(s: Session) {
  const { id, series, title, startsAt, endsAt, signupDeadline, location, hostOrganisation, facilitatorName, capacity, audience, state } = s;
  return { id, series, title, startsAt, endsAt, signupDeadline, location, hostOrganisation, facilitatorName, facilitator: s.facilitator?.name ?? '', capacity, audience, state };
}

function requireSecretariaat(actor: Member): void {
  if (actor.role !== 'secretariaat') throw refuse.denied('secretariaatOnly');
}

function formatSessionId(n: number): string {
  return `S-${String(n).padStart(3, '0')}`;
}
