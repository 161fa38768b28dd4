// The rules of decisions and agreements: the secretariaat records them per agenda item after a BO, owners
// mark agreements done, the secretariaat reassigns or moves a date, owners hear of new agreements and are
// reminded once before the due date, and the next BO agenda carries the actielijst. No Teams types here.
import { randomBytes } from 'node:crypto';
import { auditRecorder, type AuditRecorder, type AuditSink } from '../../core/audit';
import { NotFound, Refusal } from '../../errors';
import { formatDate } from '../../i18n';
import { addDays, localDay } from '../../time';
import type { Member, PersonId } from '../../identity';
import { samePerson } from '../../identity';
import type { OutboxMessage } from '../../proactive/outbox';
import { retryOnConflict } from '../../storage/tables';
import type { AgendaService, BoMeeting } from '../agenda';
import type { DilemmaService } from '../dilemmas';
import type { MemberService } from '../members';
import { refuse } from './messages';
import { LIMITS, isAgreement, ownerChoiceSchema, recordInputSchema, type Decision, type RecordProblem } from './model';
import { Conflict, type DecisionStore } from './store';

export const NOTICE_KIND = 'decisions.notice';
export const REMINDER_SLOT = 'decisions.reminders';
export const REMINDER_JOB = 'decisions.reminders';
const ACTIELIJST_REF = 'actielijst';

/** Who takes part in the BO and may own an agreement (a gespreksleider does not). */
const BO_ROLES: ReadonlyArray<Member['role']> = ['wethouder', 'directeur-bestuurder', 'secretariaat'];

type RecordResult = { status: 'saved'; decision: Decision } | { status: 'invalid'; problems: Partial<Record<'kind' | 'text' | 'owner' | 'dueDate', RecordProblem>> };

export type NoticeKind = 'made' | 'reminder';

interface DecisionDeps {
  agenda: AgendaService;
  members: MemberService;
  dilemmas: DilemmaService;
  audit: AuditSink;
  /** Puts notices in the outbox; a batch and recipient seen before is not sent again. */
  enqueue(messages: OutboxMessage[]): Promise<unknown>;
  /** Days before the due date that the owner is reminded. */
  reminderDays: number;
}

export function isOverdue(d: Decision, today: string): boolean {
  return isAgreement(d) && d.status === 'open' && !!d.dueDate && d.dueDate < today;
}

function personKeyOf(p: PersonId): string {
  return `${p.tenantId}|${p.aadObjectId}`;
}

function isOwner(member: Member, d: Decision): boolean {
  if (d.ownerAadObjectId) return samePerson(member, { tenantId: d.ownerTenantId, aadObjectId: d.ownerAadObjectId });
  return member.organisationId === d.ownerOrganisationId;
}

/** Mine: an agreement I own myself, or my organisation's (also one a colleague owns). */
function concerns(member: Member, d: Decision): boolean {
  return isOwner(member, d) || (!!d.ownerOrganisationId && d.ownerOrganisationId === member.organisationId);
}

const byDue = (a: Decision, b: Decision) => (a.dueDate || '9999').localeCompare(b.dueDate || '9999') || a.createdAt.localeCompare(b.createdAt);

function requireSecretariaat(actor: Member): void {
  if (actor.role !== 'secretariaat') throw refuse.denied('secretariaatOnly');
}

function requireBoRole(actor: Member): void {
  if (!BO_ROLES.includes(actor.role)) throw refuse.denied('notForRole');
}

export class DecisionService {
  constructor(
    private readonly store: DecisionStore,
    private readonly deps: DecisionDeps,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.audit = auditRecorder(deps.audit, 'decisions');
  }

  private readonly audit: AuditRecorder;

  today(): string {
    return localDay(this.now());
  }

  organisationName(id: string): string {
    return this.deps.members.organisationName(id);
  }


  // ---- recording after a meeting ----

  /** The meeting to record for: the one named, else the last that has begun, else the next. */
  async meetingFor(actor: Member, id?: string): Promise<BoMeeting | undefined> {
    requireSecretariaat(actor);
    if (id) return this.deps.agenda.meeting(id);
    const all = await this.deps.agenda.meetings();
    const now = this.now().toISOString();
    return all.filter((m) => m.startsAt <= now).at(-1) ?? all.find((m) => m.startsAt > now);
  }

  async ofMeeting(actor: Member, meetingId: string): Promise<Decision[]> {
    requireSecretariaat(actor);
    return (await this.store.all()).filter((d) => d.meetingId === meetingId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Who can own an agreement: BO members, then the organisations. */
  async ownerChoices(actor: Member): Promise<Array<{ title: string; value: string }>> {
    requireSecretariaat(actor);
    const people = (await this.deps.members.listMembers(actor))
      .filter((m) => BO_ROLES.includes(m.role))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
      .map((m) => ({ title: `${m.name} (${this.organisationName(m.organisationId)})`, value: `m:${m.aadObjectId}` }));
    const organisations = this.deps.members.listOrganisations().map((o) => ({ title: o.name, value: `o:${o.id}` }));
    return [...people, ...organisations];
  }

  private async owner(actor: Member, choice: string): Promise<Pick<Decision, 'ownerTenantId' | 'ownerAadObjectId' | 'ownerName' | 'ownerOrganisationId'>> {
    if (!ownerChoiceSchema.safeParse(choice).success) throw refuse.rule('unknownOwner');
    if (choice.startsWith('o:')) {
      const id = choice.slice(2);
      if (!this.deps.members.listOrganisations().some((o) => o.id === id)) throw refuse.rule('unknownOwner');
      return { ownerTenantId: '', ownerAadObjectId: '', ownerName: '', ownerOrganisationId: id };
    }
    const aadObjectId = choice.slice(2);
    const found = (await this.deps.members.listMembers(actor)).filter((m) => m.aadObjectId.toLowerCase() === aadObjectId && BO_ROLES.includes(m.role));
    const member = found.length === 1 ? found[0] : undefined;
    if (!member) throw refuse.rule('unknownOwner');
    return { ownerTenantId: member.tenantId, ownerAadObjectId: member.aadObjectId, ownerName: member.name, ownerOrganisationId: member.organisationId };
  }

  /**
   * Records a decision or agreement on an agenda item. A dilemma on that item moves to "besproken" with the
   * text as outcome (its author hears it from the dilemmas capability); the owner of an agreement is told.
   */
  async record(actor: Member, meetingId: string, itemId: string, raw: Record<string, unknown>): Promise<RecordResult> {
    requireSecretariaat(actor);
    const parsed = recordInputSchema.safeParse(raw);
    if (!parsed.success) {
      const problems: Extract<RecordResult, { status: 'invalid' }>['problems'] = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as 'kind' | 'text' | 'owner' | 'dueDate';
        problems[field] ??= issue.message as RecordProblem;
      }
      return { status: 'invalid', problems };
    }
    const input = parsed.data;
    const meeting = await this.deps.agenda.meeting(meetingId);
    const item = meeting.items.find((i) => i.id === itemId);
    if (!item) throw refuse.rule('unknownItem');
    if ((await this.store.all()).filter((d) => d.meetingId === meetingId).length >= LIMITS.perMeeting) throw refuse.rule('tooMany', { max: LIMITS.perMeeting });
    const agreement = input.kind === 'afspraak';
    if (agreement && input.dueDate < localDay(new Date(meeting.startsAt))) throw refuse.rule('dueBeforeMeeting');
    const at = this.now().toISOString();
    const dilemmaId = item.source?.capability === 'dilemmas' ? item.source.ref : '';
    const decision: Decision = {
      id: `A-${randomBytes(5).toString('hex')}`,
      meetingId,
      meetingAt: meeting.startsAt,
      itemId,
      itemTitle: item.title || (item.standard ?? ''),
      kind: input.kind,
      text: input.text,
      ...(agreement ? await this.owner(actor, input.owner) : { ownerTenantId: '', ownerAadObjectId: '', ownerName: '', ownerOrganisationId: '' }),
      dueDate: agreement ? input.dueDate : '',
      status: 'open',
      doneAt: '',
      doneNote: '',
      dilemmaId,
      createdAt: at,
      updatedAt: at,
    };
    await this.store.create(decision);
    await this.audit(actor, 'decision.recorded', decision.id, undefined, {
      meetingId,
      itemId,
      kind: decision.kind,
      owner: decision.ownerAadObjectId ? personKeyOf({ tenantId: decision.ownerTenantId, aadObjectId: decision.ownerAadObjectId }) : decision.ownerOrganisationId,
      dueDate: decision.dueDate,
    });
    if (dilemmaId) await this.discussDilemma(actor, dilemmaId, input.text);
    if (agreement) await this.notifyOwner(decision, 'made', 'made');
    await this.ensureActielijst();
    return { status: 'saved', decision };
  }

  /** The dilemma on the item is discussed: "besproken", with the decision as its outcome. */
  private async discussDilemma(actor: Member, id: string, outcome: string): Promise<void> {
    const viewer = { member: actor, shared: false };
    try {
      const { dilemma } = await this.deps.dilemmas.get(viewer, id);
      // The first decision on the item moves it; later ones on the same item leave its outcome as it is, so
      // the author hears once (the secretariaat can still edit the outcome on the dilemma itself).
      if (dilemma.status === 'nieuw' || dilemma.status === 'geagendeerd') {
        await this.deps.dilemmas.setStatus(viewer, id, 'besproken', outcome);
      }
    } catch (err) {
      // Withdrawn or gone since it was placed: the decision stands on its own.
      if (!(err instanceof NotFound) && !(err instanceof Refusal)) throw err;
    }
  }

  // ---- acties ----

  /** My open agreements and my organisation's, soonest due first. */
  async mine(member: Member): Promise<Decision[]> {
    requireBoRole(member);
    return (await this.store.all()).filter((d) => isAgreement(d) && d.status === 'open' && concerns(member, d)).sort(byDue);
  }

  /** Every agreement, open and done (the secretariaat's overview). */
  async agreements(actor: Member): Promise<Decision[]> {
    requireSecretariaat(actor);
    return (await this.store.all()).filter(isAgreement).sort(byDue);
  }

  async get(actor: Member, id: string): Promise<Decision> {
    const found = await this.store.get(id);
    if (!found || (actor.role !== 'secretariaat' && !concerns(actor, found.value))) throw new NotFound('No such decision');
    return found.value;
  }

  /** "Gedaan", with a short note: the owner, someone of the owning organisation, or the secretariaat. */
  async done(actor: Member, id: string, note: string): Promise<Decision> {
    requireBoRole(actor);
    const clean = note.trim();
    if (clean.length > LIMITS.note) throw refuse.rule('noteTooLong', { max: LIMITS.note });
    const { before, after } = await this.update(id, (current) => {
      if (!isAgreement(current)) throw refuse.rule('notAgreement');
      if (actor.role !== 'secretariaat' && !concerns(actor, current)) throw new NotFound('No such decision');
      if (current.status === 'gedaan') return undefined;
      return { ...current, status: 'gedaan', doneAt: this.now().toISOString(), doneNote: clean };
    });
    if (before.status !== after.status) {
      await this.audit(actor, 'agreement.done', id, { status: before.status }, { status: after.status, note: clean ? 'yes' : 'no' });
      await this.ensureActielijst();
    }
    return after;
  }

  /** The secretariaat gives an agreement another owner or due date; a new owner is told. */
  async change(actor: Member, id: string, ownerChoice: string, dueDate: string): Promise<Decision> {
    requireSecretariaat(actor);
    const due = dueDate.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(due) || Number.isNaN(Date.parse(due))) throw refuse.rule('dueDateRequired');
    const owner = await this.owner(actor, ownerChoice);
    const { before, after } = await this.update(id, (current) => {
      if (!isAgreement(current)) throw refuse.rule('notAgreement');
      if (
        current.dueDate === due &&
        current.ownerOrganisationId === owner.ownerOrganisationId &&
        current.ownerAadObjectId === owner.ownerAadObjectId &&
        current.ownerTenantId === owner.ownerTenantId
      ) return undefined;
      return { ...current, ...owner, dueDate: due };
    });
    const ownerOf = (d: Decision) => (d.ownerAadObjectId ? personKeyOf({ tenantId: d.ownerTenantId, aadObjectId: d.ownerAadObjectId }) : d.ownerOrganisationId);
    if (ownerOf(before) !== ownerOf(after)) {
      // The new owner's name (or organisation) beside the ids, so the logboek says to whom.
      await this.audit(actor, 'agreement.reassigned', id, { owner: ownerOf(before) }, { owner: ownerOf(after) }, after.ownerName || this.organisationName(after.ownerOrganisationId));
      if (after.status === 'open') await this.notifyOwner(after, 'made', `owner-${ownerOf(after)}`);
    }
    if (before.dueDate !== after.dueDate) await this.audit(actor, 'agreement.dateMoved', id, { dueDate: before.dueDate }, { dueDate: after.dueDate });
    return after;
  }

  private async update(id: string, change: (current: Decision) => Decision | undefined): Promise<{ before: Decision; after: Decision }> {
    return retryOnConflict(
      async () => {
        const found = await this.store.get(id);
        if (!found) throw new NotFound('No such decision');
        const next = change(found.value);
        if (!next) return { before: found.value, after: found.value };
        const after = { ...next, updatedAt: this.now().toISOString() };
        await this.store.replace(after, found.etag);
        return { before: found.value, after };
      },
      { isConflict: (err) => err instanceof Conflict, attempts: 5 },
    );
  }

  // ---- follow-up ----

  /** Who hears about an agreement: its owner, or the BO members of the owning organisation. */
  private async recipients(d: Decision): Promise<PersonId[]> {
    if (d.ownerAadObjectId) return [{ tenantId: d.ownerTenantId, aadObjectId: d.ownerAadObjectId }];
    const [admin] = await this.deps.members.secretariaat();
    if (!admin) return [];
    return (await this.deps.members.listMembers(admin)).filter((m) => m.organisationId === d.ownerOrganisationId && BO_ROLES.includes(m.role));
  }

  private async notifyOwner(d: Decision, kind: NoticeKind, event: string): Promise<void> {
    const batch = `agreement-${d.id}-${event}`.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 200);
    const to = await this.recipients(d);
    await this.deps.enqueue(to.map((p) => ({ batch, recipient: { tenantId: p.tenantId, aadObjectId: p.aadObjectId }, kind: NOTICE_KIND, data: { id: d.id, kind } })));
  }

  /**
   * Reminds the owners of open agreements due within the next `reminderDays` days. One reminder per agreement
   * and due date: the outbox sends a batch and recipient once, however often this runs and on whichever instance.
   */
  async remindDue(): Promise<number> {
    const today = this.today();
    const until = addDays(today, this.deps.reminderDays);
    const due = (await this.store.all()).filter((d) => isAgreement(d) && d.status === 'open' && d.dueDate >= today && d.dueDate <= until);
    for (const d of due) await this.notifyOwner(d, 'reminder', `reminder-${d.dueDate}`);
    return due.length;
  }

  /** For a notice at send time: the agreement as it is now, if it still needs telling. */
  async forNotice(id: string, kind: NoticeKind): Promise<Decision | undefined> {
    const found = await this.store.get(id);
    if (!found || found.value.status !== 'open') return undefined;
    if (kind === 'reminder' && found.value.dueDate < this.today()) return undefined;
    return found.value;
  }

  // ---- the next BO ----

  /** The actielijst for the next BO: done since the meeting before it, and still open. */
  async actielijst(): Promise<{ meeting: BoMeeting; done: Decision[]; open: Decision[] } | undefined> {
    const agreements = (await this.store.all()).filter(isAgreement);
    if (!agreements.length) return undefined;
    const newest = agreements.reduce((max, d) => (d.meetingAt > max ? d.meetingAt : max), '');
    const meetings = await this.deps.agenda.meetings();
    const meeting = meetings.find((m) => m.status === 'gepland' && m.startsAt > newest);
    if (!meeting) return undefined;
    const since = meetings.filter((m) => m.startsAt < meeting.startsAt).at(-1)?.startsAt ?? '';
    return {
      meeting,
      // Done after the meeting before it, or made at that meeting (and so done since it was agreed).
      done: agreements.filter((d) => d.status === 'gedaan' && (d.doneAt >= since || d.meetingAt >= since)),
      open: agreements.filter((d) => d.status === 'open').sort(byDue),
    };
  }

  /** Puts the item "Actielijst" on the next BO agenda, or brings its summary up to date while the agenda may change. */
  async ensureActielijst(): Promise<'added' | 'updated' | 'unchanged'> {
    const list = await this.actielijst();
    const [admin] = await this.deps.members.secretariaat();
    if (!list || !admin) return 'unchanged';
    const summary = actielijstSummary(list.done, list.open, this.today(), (id) => this.organisationName(id));
    const existing = list.meeting.items.find((i) => i.source?.capability === 'decisions' && i.source.ref === ACTIELIJST_REF);
    if (existing && existing.summary === summary) return 'unchanged';
    const raw = { type: 'bespreking', title: 'Actielijst', summary, submittedBy: 'Secretariaat', links: [] };
    try {
      await this.deps.agenda.saveItem(admin, list.meeting.id, existing?.id, raw, existing ? undefined : { capability: 'decisions', ref: ACTIELIJST_REF });
      return existing ? 'updated' : 'added';
    } catch (err) {
      // Fixed in between, full, or another instance added it first: the agenda stays as it is.
      if (err instanceof Refusal || err instanceof NotFound) return 'unchanged';
      throw err;
    }
  }

  /** A meeting and its decisions for the besluitenlijst (the signed link it is served at is the permission). */
  async documentData(meetingId: string): Promise<{ meeting: BoMeeting; decisions: Decision[] }> {
    const meeting = await this.deps.agenda.meeting(meetingId);
    const decisions = (await this.store.all()).filter((d) => d.meetingId === meetingId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return { meeting, decisions };
  }

  // ---- privacy ----

  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const owned = (await this.store.all()).filter((d) => d.ownerAadObjectId && samePerson(person, { tenantId: d.ownerTenantId, aadObjectId: d.ownerAadObjectId }));
    return {
      agreements: owned.map((d) => ({ id: d.id, meeting: d.meetingId, text: d.text, dueDate: d.dueDate, status: d.status, doneNote: d.doneNote })),
    };
  }

  /** An erased owner's agreements stay with their organisation, without their name. */
  async erase(person: PersonId): Promise<void> {
    const owned = (await this.store.all()).filter((d) => d.ownerAadObjectId && samePerson(person, { tenantId: d.ownerTenantId, aadObjectId: d.ownerAadObjectId }));
    for (const d of owned) {
      await this.update(d.id, (current) =>
        current.ownerAadObjectId && samePerson(person, { tenantId: current.ownerTenantId, aadObjectId: current.ownerAadObjectId })
          ? { ...current, ownerTenantId: '', ownerAadObjectId: '', ownerName: '' }
          : undefined,
      );
    }
  }

  /** Every agreement a person (by ids) will hear about: for the digest. */
  async openFor(member: Member): Promise<Decision[]> {
    if (!BO_ROLES.includes(member.role)) return [];
    return (await this.store.all()).filter((d) => isAgreement(d) && d.status === 'open' && concerns(member, d)).sort(byDue);
  }

  async all(): Promise<Decision[]> {
    return this.store.all();
  }
}

/** The agenda item's summary (Dutch, as the agenda is): counts, then each agreement on a line. */
export function actielijstSummary(done: Decision[], open: Decision[], today: string, organisationName: (id: string) => string): string {
  const overdue = open.filter((d) => isOverdue(d, today)).length;
  const owner = (d: Decision) => (d.ownerName ? `${d.ownerName}, ${organisationName(d.ownerOrganisationId)}` : organisationName(d.ownerOrganisationId));
  const due = (d: Decision) => formatDate(new Date(`${d.dueDate}T12:00:00Z`), 'nl');
  const line = (d: Decision, what: string) => `${what}: ${d.text.replace(/\s+/g, ' ').slice(0, 80)} (${owner(d)}, ${due(d)})`;
  const head = `Gedaan sinds de vorige BO: ${done.length}. Nog open: ${open.length}${overdue ? `, waarvan ${overdue} over tijd` : ''}.`;
  const lines = [head, ...done.map((d) => line(d, 'Gedaan')), ...open.map((d) => line(d, isOverdue(d, today) ? 'Over tijd' : 'Open'))];
  let out = '';
  for (const l of lines) {
    const next = out ? `${out}\n${l}` : l;
    if (next.length > 990) return `${out}\n…`;
    out = next;
  }
  return out;
}
