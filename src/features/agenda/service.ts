// Agenda rules: who may plan BO meetings and change their agenda, what goes in each person's digest, and
// who gets it. No Teams types here.
import { randomBytes } from 'node:crypto';
import { NotFound, Refusal } from '../../errors';
import type { Contributions, DigestSection, DigestViewer } from '../../capability';
import { formatDate, type Locale } from '../../i18n';
import type { Member, PersonId } from '../../identity';
import { personKey } from '../../storage/keys';
import { addDays, fromLocal, localDay, weekdayOnOrAfter } from '../../time';
import type { OutboxMessage } from '../../proactive/outbox';
import type { MemberService } from '../members';
import { DEMO_THEME_SESSION_TITLE, demoThemeSessionStart } from '../sessions';
import { refuse } from './messages';
import { itemInputSchema, LIMITS, type AgendaItem, type BoMeeting, type ItemField, type ItemInput, type ItemType, STANDARD_ITEMS } from './model';
import type { AgendaStore } from './store';
import { auditRecorder, type AuditRecorder, type AuditSink } from '../../core/audit';

export const DIGEST_SLOT = 'digest';
export const DIGEST_JOB = 'agenda.digest';
export const DIGEST_KIND = 'agenda.digest';
export const DIGEST_CHANNEL_KIND = 'agenda.digestChannel';
const WEEK_MS = 7 * 24 * 3_600_000;

export type ItemProblem = 'required' | 'tooLong' | 'badLink' | 'tooMany';
type ItemResult = { status: 'saved'; meeting: BoMeeting } | { status: 'invalid'; problems: Partial<Record<ItemField, ItemProblem>> };

/** Who takes part in the BO: the agenda and the digest are theirs (a gespreksleider is not). */
export const BO_ROLES: ReadonlyArray<Member['role']> = ['wethouder', 'directeur-bestuurder', 'secretariaat'];

export function requireBoRole(member: Member): void {
  if (!BO_ROLES.includes(member.role)) throw refuse.denied('notForRole');
}

export function requireSecretariaat(actor: Member): void {
  if (actor.role !== 'secretariaat') throw refuse.denied('secretariaatOnly');
}

function newItemId(): string {
  return randomBytes(5).toString('hex');
}

interface AgendaDeps {
  /** Where the secretariaat's changes to meetings and agendas are recorded (the core's audit trail). */
  audit: AuditSink;
  members: MemberService;
  contributions: Contributions;
  /** Puts many messages in the outbox (the digest's fan-out). */
  enqueueMany(messages: OutboxMessage[]): Promise<unknown>;
  /** The moments a digest went out before `before`, newest first. */
  digestHistory(before: Date, max: number): Promise<Date[]>;
  /** Queues the digest for one moment, once across instances (the scheduler's claim); false when taken before. */
  fireDigest(moment: Date): Promise<boolean>;
  digestChannelId: string;
  daysBeforeMeeting: number;
}

/** A value read at most once every few seconds: a digest renders the same meeting for 2,000 people. */
class Recent<T> {
  private value: { at: number; promise: Promise<T> } | undefined;
  constructor(
    private readonly ms: number,
    private readonly load: () => Promise<T>,
  ) {}
  get(): Promise<T> {
    if (!this.value || Date.now() - this.value.at > this.ms) {
      const promise = this.load();
      promise.catch(() => (this.value = undefined));
      this.value = { at: Date.now(), promise };
    }
    return this.value.promise;
  }
  clear(): void {
    this.value = undefined;
  }
}

const RECENT_MS = 3_000;

export class AgendaService {
  /** For rendering many digests at once; changes made here clear them. */
  readonly recent = {
    meeting: new Recent(RECENT_MS, () => this.nextMeeting()),
    members: new Recent(RECENT_MS, async () => {
      const [admin] = await this.deps.members.secretariaat();
      const all = admin ? await this.deps.members.listMembers(admin) : [];
      return new Map(all.map((m) => [personKey(m.tenantId, m.aadObjectId), m]));
    }),
    unsubscribed: new Recent(RECENT_MS, () => this.store.unsubscribed()),
  };

  constructor(
    private readonly store: AgendaStore,
    private readonly deps: AgendaDeps,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.audit = auditRecorder(deps.audit, 'agenda');
  }

  // The secretariaat member the demo data is made through (`seed`): its changes are the demo data's, not theirs.
  private readonly demoActors = new WeakSet<Member>();
  private readonly audit: AuditRecorder;

  private record(actor: Member, action: string, target: string, before: unknown, after: unknown): Promise<void> {
    return this.audit(this.demoActors.has(actor) ? 'demo' : actor, action, target, before, after);
  }

  // ---- meetings and their agenda ----

  /** The next meeting that has not been held (from three hours before its start, it still counts). */
  async nextMeeting(): Promise<BoMeeting | undefined> {
    const from = this.now().getTime() - 3 * 3_600_000;
    return (await this.store.listMeetings())
      .filter((m) => m.status !== 'afgerond' && Date.parse(m.startsAt) >= from)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
  }

  /** Every meeting, oldest first (the decisions capability finds the last and the next BO here). */
  async meetings(): Promise<BoMeeting[]> {
    return (await this.store.listMeetings()).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  async meeting(id: string): Promise<BoMeeting> {
    const meeting = await this.store.getMeeting(id);
    if (!meeting) throw new NotFound('No such meeting');
    return meeting;
  }

  /** A new meeting starts with opening en mededelingen and verslag, and ends with rondvraag. */
  async createMeeting(actor: Member, startsAt: Date, place: string): Promise<BoMeeting> {
    requireSecretariaat(actor);
    if (!Number.isFinite(startsAt.getTime()) || startsAt.getTime() < this.now().getTime()) throw refuse.rule('badMeeting');
    const id = `BO-${localDay(startsAt)}`;
    const at = this.now().toISOString();
    const standard = (which: (typeof STANDARD_ITEMS)[number]): AgendaItem => ({
      id: newItemId(),
      standard: which,
      type: 'informatie',
      title: '',
      summary: '',
      submittedBy: '',
      links: [],
    });
    const meeting: BoMeeting = {
      id,
      startsAt: startsAt.toISOString(),
      place: place.trim().slice(0, LIMITS.place),
      status: 'gepland',
      items: [standard('opening'), standard('verslag'), standard('rondvraag')],
      addedAt: {},
      createdAt: at,
      updatedAt: at,
    };
    if (!(await this.store.createMeeting(meeting))) throw refuse.rule('meetingExists');
    this.recent.meeting.clear();
    await this.record(actor, 'meeting.created', meeting.id, undefined, { startsAt: meeting.startsAt, place: meeting.place });
    return meeting;
  }

  validateItem(raw: Record<string, unknown>): { ok: true; input: ItemInput } | { ok: false; problems: Partial<Record<ItemField, ItemProblem>> } {
    const parsed = itemInputSchema.safeParse(raw);
    if (parsed.success) return { ok: true, input: parsed.data };
    const problems: Partial<Record<ItemField, ItemProblem>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as ItemField;
      if (!problems[field]) problems[field] = (['required', 'tooLong', 'badLink', 'tooMany'].includes(issue.message) ? issue.message : 'required') as ItemProblem;
    }
    return { ok: false, problems };
  }

  /** Adds an item (before rondvraag) or changes one; only while the agenda is not fixed. */
  async saveItem(actor: Member, meetingId: string, itemId: string | undefined, raw: Record<string, unknown>, source?: AgendaItem['source']): Promise<ItemResult> {
    requireSecretariaat(actor);
    const checked = this.validateItem(raw);
    if (!checked.ok) return { status: 'invalid', problems: checked.problems };
    const input = checked.input;
    const at = this.now().toISOString();
    let before: AgendaItem | undefined;
    const meeting = await this.change(meetingId, (current) => {
      if (itemId) {
        const existing = current.items.find((i) => i.id === itemId);
        if (!existing) throw new NotFound('No such item');
        if (existing.standard) throw refuse.rule('standardItem');
        before = existing;
        return { ...current, items: current.items.map((i) => (i.id === itemId ? { ...i, ...input } : i)) };
      }
      if (current.items.length >= LIMITS.items) throw refuse.rule('tooManyItems');
      if (source && current.items.some((i) => i.source?.capability === source.capability && i.source.ref === source.ref)) throw refuse.rule('alreadyOn');
      const item: AgendaItem = { id: newItemId(), ...input, ...(source ? { source } : {}) };
      const rondvraag = current.items.findIndex((i) => i.standard === 'rondvraag');
      const items = [...current.items];
      items.splice(rondvraag >= 0 ? rondvraag : items.length, 0, item);
      return { ...current, items, addedAt: { ...current.addedAt, [item.id]: at } };
    });
    const changed = before as AgendaItem | undefined;
    await this.record(
      actor,
      itemId ? 'agenda.itemChanged' : 'agenda.itemAdded',
      itemId ? `${meetingId}/${itemId}` : meetingId,
      changed && { type: changed.type, title: changed.title },
      { type: input.type, title: input.title, ...(source ? { source } : {}) },
    );
    return { status: 'saved', meeting };
  }

  async moveItem(actor: Member, meetingId: string, itemId: string, direction: 'up' | 'down'): Promise<BoMeeting> {
    requireSecretariaat(actor);
    let moved: { from: number; to: number } | undefined;
    const meeting = await this.change(meetingId, (current) => {
      moved = undefined;
      const index = current.items.findIndex((i) => i.id === itemId);
      if (index < 0) throw new NotFound('No such item');
      if (current.items[index]!.standard) throw refuse.rule('standardItem');
      const target = direction === 'up' ? index - 1 : index + 1;
      // Opening and verslag stay first, rondvraag last: the others move between them.
      const neighbour = current.items[target];
      if (!neighbour || neighbour.standard) return undefined;
      const items = [...current.items];
      [items[index], items[target]] = [items[target]!, items[index]!];
      moved = { from: index, to: target };
      return { ...current, items };
    });
    const places = moved as { from: number; to: number } | undefined;
    // "Omhoog" on the first item that may move changes nothing, so the logboek gets no line for it. Places are
    // counted from 1, as on the card.
    if (places) await this.record(actor, 'agenda.itemMoved', `${meetingId}/${itemId}`, { place: places.from + 1 }, { place: places.to + 1, direction });
    return meeting;
  }

  async removeItem(actor: Member, meetingId: string, itemId: string): Promise<BoMeeting> {
    requireSecretariaat(actor);
    const before = (await this.meeting(meetingId)).items.find((i) => i.id === itemId);
    const meeting = await this.change(meetingId, (current) => {
      const item = current.items.find((i) => i.id === itemId);
      if (!item) return undefined; // removed already (a double click)
      if (item.standard) throw refuse.rule('standardItem');
      const { [itemId]: _gone, ...addedAt } = current.addedAt;
      return { ...current, items: current.items.filter((i) => i.id !== itemId), addedAt };
    });
    if (before && !before.standard) await this.record(actor, 'agenda.itemRemoved', `${meetingId}/${itemId}`, { title: before.title, type: before.type }, null);
    return meeting;
  }

  /** Vaststellen: the agenda is final. */
  async fix(actor: Member, meetingId: string): Promise<BoMeeting> {
    requireSecretariaat(actor);
    this.recent.meeting.clear();
    const meeting = await this.store.updateMeeting(meetingId, (current) =>
      current.status === 'gepland' ? { ...current, status: 'vastgesteld', updatedAt: this.now().toISOString(), fixedAt: this.now().toISOString() } : undefined,
    );
    if (!meeting) throw new NotFound('No such meeting');
    await this.record(actor, 'agenda.fixed', meetingId, { status: 'gepland' }, { status: meeting.status });
    return meeting;
  }

  /**
   * "Digest nu versturen" after vaststellen: the digest through the same door as the schedule, claimed for the
   * moment the agenda was fixed, so it goes out once however often, and by whom, it is pressed.
   * Returns false when it had been sent (or claimed) before.
   */
  async sendDigestForFixedAgenda(actor: Member, meetingId: string): Promise<boolean> {
    requireSecretariaat(actor);
    const meeting = await this.meeting(meetingId);
    if (meeting.status === 'gepland') throw refuse.rule('notFixed');
    return this.deps.fireDigest(new Date(meeting.fixedAt ?? meeting.updatedAt));
  }

  /** Changes a meeting's agenda while it is not fixed. */
  private async change(meetingId: string, change: (current: BoMeeting) => BoMeeting | undefined): Promise<BoMeeting> {
    this.recent.meeting.clear();
    const meeting = await this.store.updateMeeting(meetingId, (current) => {
      if (current.status !== 'gepland') throw refuse.rule('notEditable');
      const next = change(current);
      return next ? { ...next, updatedAt: this.now().toISOString() } : undefined;
    });
    if (!meeting) throw new NotFound('No such meeting');
    return meeting;
  }

  /** What may go on the agenda, from every capability that offers candidates, minus what is on it already. */
  async candidates(actor: Member, meeting: BoMeeting) {
    requireSecretariaat(actor);
    const onAgenda = new Set(meeting.items.filter((i) => i.source).map((i) => `${i.source!.capability}|${i.source!.ref}`));
    const all = await Promise.all(this.deps.contributions.agendaCandidates.map((c) => c.list(actor)));
    return all.flat().filter((c) => !onAgenda.has(`${c.source}|${c.ref}`));
  }

  /**
   * Puts a candidate on the agenda. A dilemma becomes "geagendeerd" (its author is told by the dilemmas
   * capability); a confidential one goes on without its title.
   */
  async place(actor: Member, meetingId: string, capability: string, ref: string, type: ItemType = 'bespreking'): Promise<BoMeeting> {
    requireSecretariaat(actor);
    const meeting = await this.meeting(meetingId);
    const candidate = (await this.candidates(actor, meeting)).find((c) => c.source === capability && c.ref === ref);
    if (!candidate) {
      if (meeting.items.some((i) => i.source?.capability === capability && i.source.ref === ref)) throw refuse.rule('alreadyOn');
      throw new NotFound('No such candidate');
    }
    const organisation = candidate.organisationId ? this.deps.members.organisationName(candidate.organisationId) : '';
    const result = await this.saveItem(
      actor,
      meetingId,
      undefined,
      { type, title: candidate.title.slice(0, LIMITS.title), summary: candidate.summary.slice(0, LIMITS.summary), submittedBy: organisation.slice(0, LIMITS.submittedBy), links: [] },
      { capability, ref },
    );
    if (result.status !== 'saved') throw refuse.rule('badMeeting');
    await candidate.onPlaced?.(meetingId);
    return result.meeting;
  }

  // ---- the digest ----

  async isSubscribed(person: PersonId): Promise<boolean> {
    // Members are subscribed from the start: no row means yes, unless they said `digest uit`.
    return (await this.store.subscription(person)) !== false;
  }

  async setSubscribed(person: PersonId, subscribed: boolean): Promise<void> {
    await this.store.setSubscription(person, subscribed, this.now().toISOString());
    this.recent.unsubscribed.clear();
  }

  /** Every part of one person's digest since a moment, from every capability that contributes. */
  async digestSections(viewer: DigestViewer, since: Date): Promise<DigestSection[]> {
    const parts = await Promise.all(
      this.deps.contributions.digest.map(async (c) => {
        try {
          return await c.source.sections(viewer, since);
        } catch (err) {
          // A capability whose content this person may not see (a role) simply adds nothing.
          if (err instanceof Refusal || err instanceof NotFound) return [];
          throw err;
        }
      }),
    );
    return parts.flat().filter((s) => s.items.length > 0);
  }

  /** When the digest before `moment` went out (or a week before, for the first). */
  async digestSince(moment: Date): Promise<Date> {
    const [previous] = await this.deps.digestHistory(moment, 1);
    return previous ?? new Date(moment.getTime() - WEEK_MS);
  }

  /**
   * The member a digest is written for: from the list kept for a few seconds while many digests are rendered,
   * else read directly (someone who joined after that list was read still gets theirs).
   */
  async digestReader(person: PersonId): Promise<Member | undefined> {
    return (await this.recent.members.get()).get(personKey(person.tenantId, person.aadObjectId)) ?? (await this.deps.members.find(person));
  }

  /** Members who get the digest: everyone, except who said `digest uit`. */
  async recipients(): Promise<Member[]> {
    const [admin] = await this.deps.members.secretariaat();
    if (!admin) return [];
    const [all, off] = await Promise.all([this.deps.members.listMembers(admin), this.store.unsubscribed()]);
    return all.filter((m) => BO_ROLES.includes(m.role) && !off.has(personKey(m.tenantId, m.aadObjectId)));
  }

  /** The fan-out of one digest moment: one outbox message per recipient (run again, it adds nothing). */
  async fanOut(slot: string): Promise<number> {
    const moment = new Date(slot);
    const since = (await this.digestSince(moment)).toISOString();
    const batch = digestBatch(slot);
    const messages: OutboxMessage[] = (await this.recipients()).map((m) => ({
      batch,
      recipient: { tenantId: m.tenantId, aadObjectId: m.aadObjectId },
      kind: DIGEST_KIND,
      data: { since },
    }));
    if (this.deps.digestChannelId) {
      messages.push({ batch, recipient: { conversationId: this.deps.digestChannelId }, kind: DIGEST_CHANNEL_KIND, data: { since } });
    }
    await this.deps.enqueueMany(messages);
    return messages.length;
  }

  /** The digest moments a few days before each coming meeting, at 08:00 Amsterdam time. */
  async beforeMeetingMoment(after: Date): Promise<Date | undefined> {
    if (this.deps.daysBeforeMeeting <= 0) return undefined;
    const moments = (await this.store.listMeetings())
      .filter((m) => m.status !== 'afgerond')
      .map((m) => fromLocal(addDays(localDay(new Date(m.startsAt)), -this.deps.daysBeforeMeeting), '08:00'))
      .filter((d): d is Date => !!d && d.getTime() > after.getTime())
      .sort((a, b) => a.getTime() - b.getTime());
    return moments[0];
  }

  /** The digest moments so far, newest first (the report's choice). */
  async digestMoments(max = 5): Promise<Date[]> {
    return this.deps.digestHistory(new Date(this.now().getTime() + 60_000), max);
  }

  // ---- privacy ----

  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const said = await this.store.subscription(person);
    return {
      digestSubscription: said === undefined ? 'subscribed (default)' : said ? 'subscribed' : 'unsubscribed',
    };
  }

  async erase(person: PersonId): Promise<void> {
    await this.store.deleteSubscription(person);
    this.recent.unsubscribed.clear();
  }

  // ---- seed ----

  /** What `npm start` shows on an empty store: the next BO with an invented agenda, theme session included. */
  async seed(admin: Member, locale: Locale = 'nl'): Promise<void> {
    if ((await this.store.listMeetings()).length) return;
    // The rules still apply (a secretariaat member makes it), but the logboek says the demo data did it.
    admin = { ...admin };
    this.demoActors.add(admin);
    const startsAt = demoMeetingStart(this.now());
    const meeting = await this.createMeeting(admin, startsAt, locale === 'nl' ? 'Regiokantoor Hilversum, zaal 2' : 'Regional office Hilversum, room 2');
    const items = demoItems(this.now(), locale);
    for (const raw of items) await this.saveItem(admin, meeting.id, undefined, raw);
  }
}

/**
 * The demo BO's items. The first reflects on the demo theme session, which took place two weeks before this BO
 * (see the sessions' seed: the same rule from the same day), so the story holds whenever the store is filled.
 */
export function demoItems(now: Date, locale: Locale = 'nl'): Array<Record<string, unknown>> {
  const theme = formatDate(demoThemeSessionStart(now), locale);
  const topic = DEMO_THEME_SESSION_TITLE.replace(/^Themasessie: /, '');
  return [
    {
      type: 'bespreking',
      title: `Reflectie op de themasessie van ${theme}: ${topic}`,
      summary: `Op ${theme} deelde het Expertteam Woningbouw wat helpt om plannen sneller te laten starten. Wat leerden we? Drie lessen en een voorstel voor vervolg.`,
      submittedBy: 'Regio Gooi en Vechtstreek',
      links: [],
    },
    {
      type: 'besluitvorming',
      title: 'Regionale afspraak over betaalbare koop',
      summary: 'Voorstel om de grens voor betaalbare koop jaarlijks samen vast te stellen.',
      submittedBy: 'Portefeuillehouder Wonen',
      links: [],
    },
    {
      type: 'informatie',
      title: 'Voortgang 50+-lijst',
      summary: 'Stand van de plannen van 50 woningen of meer.',
      submittedBy: 'Secretariaat',
      links: [],
    },
  ];
}

/**
 * The demo BO's day: the first Thursday at least three weeks after `now` (Amsterdam time), at 14:00, so the
 * invented meeting falls on a working day, as a real BO does.
 */
export function demoMeetingStart(now: Date): Date {
  const from = new Date(now.getTime() + 21 * 24 * 3_600_000);
  // 4 is Thursday.
  return fromLocal(weekdayOnOrAfter(localDay(from), 4), '14:00') ?? from;
}

export function digestBatch(slot: string): string {
  return `digest-${slot}`;
}
