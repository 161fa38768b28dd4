// Plan rules: who may read, edit and import, how a change is checked and stored with its history, who is told,
// and the regional progress. No Teams types here. Lookups read an in-memory index that one point read keeps
// fresh, so a chat turn never scans the table, and two bot processes on one store see each other's changes.
import { auditRecorder, type AuditRecorder, type AuditSink } from '../../core/audit';

/** Who imports when nobody typed it: the command line (`npm run import:plans`) or the demo data at start. */
type SystemImporter = 'import' | 'demo';
import { NotFound } from '../../errors';
import type { Member, PersonId } from '../../identity';
import { samePerson } from '../../identity';
import { checkOrder, completeHomes, parseCount, parsePhase, parseQuarter, shortName, type Municipality, type Problem } from './fields';
import { checkRows, mapHeader, type ImportValues } from './import';
import { refuse } from './messages';
import {
  HOME_PARTS,
  phaseOf,
  REFERENCE,
  type Changer,
  type EditField,
  type FieldChange,
  type HistoryEntry,
  type Homes,
  type Plan,
  type PlanEditSubmit,
  type Progress,
} from './model';
import { PlanIndex, type Found } from './search';
import { readSheet } from './spreadsheet';
import { PLANS_PER_WRITE, WriteConflict, type PlanStore, type PlanWrite } from './store';
import { retryOnConflict } from '../../storage/tables';
import { fold } from '../../text';
import { personKey } from '../../storage/keys';
import { performance } from 'node:perf_hooks';

export interface PlanNotifier {
  /** Tells the followers of a plan that its phase or numbers changed. Called after the change is stored; must not throw. */
  /** Resolves once the notices are kept (before the editor hears "saved"); never throws. */
  planChanged(plan: Plan, changes: FieldChange[], followers: PersonId[]): Promise<void>;
}

interface ProgressSettings {
  targetHomes: number;
  fromYear: number;
  toYear: number;
  /** The share of social rent the region aims for, 0–1 (one third). */
  socialRentShare: number;
}

export type Stage = Exclude<Progress, 'idea' | 'dropped'>;
export const STAGES: readonly Stage[] = ['delivered', 'construction', 'hard', 'soft'];

export interface Tally {
  byStage: Record<Stage, number>;
  /** Homes in the stages above (what counts toward the target). */
  counted: number;
  socialRent: number;
  plans: number;
}

export interface ProgressFigures {
  settings: ProgressSettings;
  region: Tally;
  municipalities: Array<{ id: string; name: string; tally: Tally }>;
}

type EditResult =
  | { status: 'saved'; plan: Plan; changes: FieldChange[] }
  | { status: 'unchanged'; plan: Plan }
  | { status: 'conflict'; plan: Plan }
  | { status: 'invalid'; problems: Partial<Record<EditField, Problem>> };

export type ImportReport =
  | { status: 'refused'; problem: Problem }
  | {
      status: 'done';
      created: number;
      changed: number;
      unchanged: number;
      rejected: Array<{ number: number; problems: Problem[] }>;
      unknownColumns: string[];
      /** When the lists above were cut to fit a message: how many there were. */
      rejectedTotal?: number;
      unknownTotal?: number;
    };

/** A plan list that was read and checked: how many rows it has, and the step that writes it. */
type PreparedImport = { status: 'refused'; problem: Problem } | { status: 'ready'; rows: number; apply(): Promise<ImportReport> };

/** The history's name for each value of a plan. */
const FIELD_OF_HOMES = (part: keyof Homes) => `homes.${part}`;

function emptyTally(): Tally {
  return { byStage: { delivered: 0, construction: 0, hard: 0, soft: 0 }, counted: 0, socialRent: 0, plans: 0 };
}

/** The roles that read plans and progress (a gespreksleider only sees the sign-ups of their session). */
export const PLAN_ROLES: ReadonlyArray<Member['role']> = ['wethouder', 'directeur-bestuurder', 'secretariaat'];

export function mayReadPlans(member: Member): boolean {
  return PLAN_ROLES.includes(member.role);
}

function requireReader(member: Member): void {
  if (!mayReadPlans(member)) throw refuse.denied('role');
}

export function mayImport(member: Member): boolean {
  return member.role === 'secretariaat';
}

/** The secretariaat, and the wethouder of the plan's own municipality. */
export function mayEdit(member: Member, plan: Plan): boolean {
  return member.role === 'secretariaat' || (member.role === 'wethouder' && member.organisationId === plan.municipality);
}

function changerOf(member: Member, via: Changer['via']): Changer {
  return { tenantId: member.tenantId, aadObjectId: member.aadObjectId, name: member.name, via };
}

export class PlanService {
  private readonly index = new PlanIndex();
  private known = 0;
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | undefined;
  /** Per person the plans they follow, read once and kept for `refreshMs` (own changes count at once). */
  private readonly follows = new Map<string, { ids: Set<string>; at: number }>();

  constructor(
    private readonly store: PlanStore,
    private readonly municipalities: () => Municipality[],
    private readonly notifier: PlanNotifier,
    readonly progressSettings: ProgressSettings,
    /** How long memory may answer before storage is asked whether another process changed something. */
    private readonly refreshMs = 0,
    private readonly now: () => Date = () => new Date(),
    /** Where changes by people (edit card, file import) are recorded (the core's audit trail). */
    audit: AuditSink,
  ) {
    this.record = auditRecorder(audit, 'plans');
  }

  /** `actor` is a person, or the system when nobody typed it (the command-line import, the demo data). */
  private readonly record: AuditRecorder;

  /** Reads every plan once, at start. */
  async load(): Promise<void> {
    const version = await this.store.version();
    for (const stored of await this.store.plansSince(0)) this.index.put(stored);
    this.known = version;
  }

  /**
   * One point read of the version row; only when it moved are the plans written since fetched. Lookups at the
   * same moment share one read.
   */
  async fresh(): Promise<void> {
    if (this.refreshMs && performance.now() - this.checkedAt < this.refreshMs) return;
    this.refreshing ??= (async () => {
      try {
        const started = performance.now();
        const version = await this.store.version();
        this.checkedAt = started;
        if (version <= this.known) return;
        for (const stored of await this.store.plansSince(this.known)) this.index.put(stored);
        this.known = version;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  municipalityList(): Municipality[] {
    return this.municipalities();
  }

  /** A municipality as typed: its name or the start of it, with a small typo forgiven. */
  municipalityByText(text: string): Municipality | undefined {
    const q = fold(text).replace(/^gemeente\s+/, '').replace(/[^a-z0-9]+/g, '');
    if (!q) return undefined;
    const list = this.municipalities().map((m) => ({ m, key: fold(shortName(m.name)).replace(/[^a-z0-9]+/g, '') }));
    return (
      list.find((x) => x.key === q || x.m.id.replace(/-/g, '') === q)?.m ??
      list.find((x) => q.length >= 3 && x.key.startsWith(q))?.m ??
      list.find((x) => fuzzyEqual(q, x.key))?.m
    );
  }

  /** What the index in memory says now, without asking storage whether it moved (see `find`). */
  findInMemory(reader: Member, query: string): Found {
    requireReader(reader);
    return this.index.find(query);
  }

  async find(reader: Member, query: string): Promise<Found> {
    requireReader(reader);
    await this.fresh();
    return this.index.find(query);
  }

  async get(reader: Member, id: string): Promise<Plan> {
    requireReader(reader);
    return this.lookup(id);
  }

  private async lookup(id: string): Promise<Plan> {
    await this.fresh();
    const found = this.index.get(id);
    if (!found) throw new NotFound('No such plan');
    return found.plan;
  }

  /** Plans whose phase or numbers changed since `since` (not ones that only arrived), latest first: the digest. */
  async changedSince(reader: Member, since: Date): Promise<Plan[]> {
    requireReader(reader);
    await this.fresh();
    const from = since.toISOString();
    return this.index
      .all()
      .filter((p) => p.revision > 1 && p.updatedAt >= from)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** Plans for the dilemma form's choice: every plan's id and name, from memory. */
  choices(): Array<{ id: string; name: string }> {
    return this.index
      .all()
      .filter((p) => phaseOf(p.phase)?.progress !== 'dropped')
      .map((p) => ({ id: p.id, name: `${p.name} (${shortName(this.municipalities().find((m) => m.id === p.municipality)?.name ?? p.municipality)})` }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }

  /** The plans of one municipality (or the region), biggest first, with their tally. */
  async list(reader: Member, municipality?: string): Promise<{ plans: Plan[]; tally: Tally }> {
    requireReader(reader);
    await this.fresh();
    const plans = this.index
      .all()
      .filter((p) => !municipality || p.municipality === municipality)
      .sort((a, b) => b.homes.total - a.homes.total || a.name.localeCompare(b.name, 'nl'));
    const tally = emptyTally();
    for (const p of plans) this.count(tally, p);
    return { plans, tally };
  }

  /** Regional progress toward the target: homes per stage, social rent, and per municipality. */
  async progress(reader: Member): Promise<ProgressFigures> {
    requireReader(reader);
    await this.fresh();
    const region = emptyTally();
    const per = new Map(this.municipalities().map((m) => [m.id, { id: m.id, name: shortName(m.name), tally: emptyTally() }]));
    for (const plan of this.index.all()) {
      this.count(region, plan);
      const m = per.get(plan.municipality);
      if (m) this.count(m.tally, plan);
    }
    return { settings: this.progressSettings, region, municipalities: [...per.values()] };
  }

  private count(tally: Tally, plan: Plan): void {
    const stage = phaseOf(plan.phase)?.progress;
    if (!stage || stage === 'idea' || stage === 'dropped') return;
    // Only homes delivered (or expected) within the period count toward it; an unknown date counts.
    const year = plan.delivery ? Number(plan.delivery.slice(0, 4)) : undefined;
    const { fromYear, toYear } = this.progressSettings;
    if (year !== undefined && (year < fromYear || year > toYear)) return;
    tally.byStage[stage] += plan.homes.total;
    tally.counted += plan.homes.total;
    tally.socialRent += plan.homes.socialRent;
    tally.plans += 1;
  }

  async history(reader: Member, id: string): Promise<HistoryEntry[]> {
    await this.get(reader, id);
    return this.store.history(id);
  }

  /** The plan as stored now, for the edit card; refuses who may not edit it. */
  async forEdit(member: Member, id: string): Promise<Plan> {
    const stored = await this.store.get(id);
    if (!stored) throw new NotFound('No such plan');
    this.index.put(stored);
    if (!mayEdit(member, stored.plan)) throw refuse.denied('notEditor');
    return stored.plan;
  }

  /**
   * Saves the edit card. `revision` is the one the card showed: if the plan changed since, nothing is written
   * and the fresh plan comes back, so the second editor sees what the first one did.
   */
  async update(member: Member, input: PlanEditSubmit): Promise<EditResult> {
    const checked = checkEdit(input);
    // Another plan's write may move the version row in between: then read and decide again (this plan's
    // revision decides whether the edit still stands).
    const outcome = await retryOnConflict(async (): Promise<EditResult> => {
      const stored = await this.store.get(input.id);
      if (!stored) throw new NotFound('No such plan');
      if (!mayEdit(member, stored.plan)) throw refuse.denied('notEditor');
      if (stored.plan.revision !== input.revision) {
        this.index.put(stored);
        return { status: 'conflict', plan: stored.plan };
      }
      if (!checked.ok) return { status: 'invalid', problems: checked.problems };
      const next: Plan = { ...stored.plan, ...checked.values };
      const changes = diff(stored.plan, next);
      if (!changes.length) return { status: 'unchanged', plan: stored.plan };
      const saved = this.stamp(next, stored.plan.revision + 1, changerOf(member, 'kaart'));
      for (const written of await this.store.write([{ plan: saved, etag: stored.etag, history: this.entry(saved, changes, false) }])) {
        this.index.put(written);
      }
      return { status: 'saved', plan: saved, changes };
    }, WRITE_CONFLICTS);
    if (outcome.status !== 'saved') return outcome;
    const { plan: saved, changes } = outcome;
    await this.record(
      member,
      'plan.updated',
      saved.id,
      Object.fromEntries(changes.map((c) => [c.field, c.from])),
      Object.fromEntries(changes.map((c) => [c.field, c.to])),
      saved.name,
    );
    await this.tellFollowers(saved, changes);
    return outcome;
  }

  /** Imports a plan list (CSV or XLSX). The secretariaat only; the command line passes no member. */
  async importFile(actor: Member | SystemImporter, bytes: Buffer): Promise<ImportReport> {
    const prepared = await this.prepareImport(actor, bytes);
    return prepared.status === 'refused' ? prepared : prepared.apply();
  }

  /** Keeps the report of an import that ran after its turn, for the message that brings it (see routes). */
  async keepImportReport(id: string, report: ImportReport): Promise<void> {
    await this.store.saveImportReport(id, JSON.stringify(report));
  }

  async importReport(id: string): Promise<ImportReport | undefined> {
    const json = await this.store.importReport(id);
    return json ? (JSON.parse(json) as ImportReport) : undefined;
  }

  /**
   * Reads and checks the file (quick), and returns the step that writes it (seconds for a long list), so a
   * chat turn can say at once how many rows are coming and write them after it answered.
   */
  async prepareImport(actor: Member | SystemImporter, bytes: Buffer): Promise<PreparedImport> {
    if (typeof actor !== 'string' && !mayImport(actor)) throw refuse.denied('secretariaatOnly');
    const sheet = await readSheet(bytes);
    if (!sheet.ok) return { status: 'refused', problem: sheet.problem };
    const mapping = mapHeader(sheet.header);
    if (!mapping.ok) return { status: 'refused', problem: mapping.problem };
    return { status: 'ready', rows: sheet.rows.length, apply: () => this.applyImport(actor, sheet.rows, mapping) };
  }

  private async applyImport(
    actor: Member | SystemImporter,
    rows: Parameters<typeof checkRows>[0],
    mapping: { columns: Parameters<typeof checkRows>[1]; unknown: string[] },
  ): Promise<ImportReport> {
    const results = checkRows(rows, mapping.columns, this.municipalities(), this.now());
    const changer: Changer = typeof actor !== 'string' ? changerOf(actor, 'import') : { tenantId: '', aadObjectId: '', name: '', via: 'import' };
    const counts = await this.apply(
      results.flatMap((r) => (r.ok ? [r.values] : [])),
      changer,
    );
    await this.record(actor, 'plans.imported', 'planlijst', undefined, { ...counts, rejected: results.filter((r) => !r.ok).length });
    return {
      status: 'done',
      ...counts,
      rejected: results.flatMap((r) => (r.ok ? [] : [{ number: r.number, problems: r.problems }])),
      unknownColumns: mapping.unknown,
    };
  }

  /** Applies checked rows in transactions of up to PLANS_PER_WRITE plans; a conflict re-reads and tries again. */
  private async apply(rows: ImportValues[], changer: Changer): Promise<{ created: number; changed: number; unchanged: number }> {
    await this.fresh();
    const counts = { created: 0, changed: 0, unchanged: 0 };
    for (let start = 0; start < rows.length; start += PLANS_PER_WRITE) {
      const chunk = rows.slice(start, start + PLANS_PER_WRITE);
      const { writes, unchanged } = await retryOnConflict(async (attempt) => {
        if (attempt > 1) {
          // Someone changed one of these plans (or any plan) in between: read these again, then decide again.
          for (const values of chunk) {
            const stored = await this.store.get(values.id);
            if (stored) this.index.put(stored);
          }
        }
        const writes: Array<PlanWrite & { changes: FieldChange[] }> = [];
        let unchanged = 0;
        for (const values of chunk) {
          const current = this.index.get(values.id);
          const next = merge(current?.plan, values);
          const changes = current ? diff(current.plan, next) : [];
          if (current && !changes.length) {
            unchanged++;
            continue;
          }
          const plan = this.stamp(
            { ...next, createdAt: current?.plan.createdAt ?? this.now().toISOString() },
            (current?.plan.revision ?? 0) + 1,
            changer,
          );
          // A new plan's row says when and by whom it came (revision 1): no history row needed, which halves
          // the writes of a first import. Every later change gets its entry, in the same transaction.
          writes.push({ plan, etag: current?.etag, history: current ? this.entry(plan, changes, false) : undefined, changes });
        }
        for (const written of await this.store.write(writes)) this.index.put(written);
        return { writes, unchanged };
      }, WRITE_CONFLICTS);
      for (const w of writes) {
        if (w.etag) counts.changed++;
        else counts.created++;
      }
      counts.unchanged += unchanged;
      for (const w of writes) if (w.etag) await this.tellFollowers(w.plan, w.changes);
    }
    return counts;
  }

  private stamp(plan: Omit<Plan, 'revision' | 'updatedAt' | 'updatedBy'> & Partial<Plan>, revision: number, by: Changer): Plan {
    const at = this.now().toISOString();
    return { ...plan, createdAt: plan.createdAt ?? at, revision, updatedAt: at, updatedBy: by } as Plan;
  }

  private entry(plan: Plan, changes: FieldChange[], created: boolean): HistoryEntry {
    return { planId: plan.id, at: plan.updatedAt, by: plan.updatedBy, created, changes };
  }

  private async tellFollowers(plan: Plan, changes: FieldChange[]): Promise<void> {
    const relevant = changes.filter((c) => c.field === 'phase' || c.field.startsWith('homes.'));
    if (!relevant.length) return;
    const followers = await this.store.followers(plan.id);
    if (followers.length) await this.notifier.planChanged(plan, relevant, followers);
  }

  async isFollowing(member: Member, id: string): Promise<boolean> {
    if (!this.refreshMs) return this.store.isFollowing(id, member);
    const key = personKey(member.tenantId, member.aadObjectId);
    let cached = this.follows.get(key);
    if (!cached || performance.now() - cached.at >= this.refreshMs) {
      const at = performance.now();
      cached = { ids: new Set(await this.store.followedBy(member)), at };
      if (this.follows.size > 10_000) this.follows.clear();
      this.follows.set(key, cached);
    }
    return cached.ids.has(id);
  }

  /** Follows (or stops following) a plan; the wanted state comes from the button, so a double click changes nothing. */
  async setFollowing(member: Member, id: string, follow: boolean): Promise<Plan> {
    const plan = await this.get(member, id);
    await this.store.setFollowing(id, member, follow);
    const cached = this.follows.get(personKey(member.tenantId, member.aadObjectId));
    if (cached) {
      if (follow) cached.ids.add(id);
      else cached.ids.delete(id);
    }
    return plan;
  }

  /** Puts the sample plans in an empty store (npm start); does nothing once any plan exists. */
  async seed(sample: Buffer): Promise<ImportReport | undefined> {
    if ((await this.store.version()) > 0) return undefined;
    return this.importFile('demo', sample);
  }

  /** What plans hold about a person: the plans they follow and the changes they made. */
  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const following = await this.store.followedBy(person);
    const changes = (await this.store.historyBy(person)).map(({ entry }) => ({ plan: entry.planId, at: entry.at, changes: entry.changes }));
    return { following, changes };
  }

  /** Stops every follow and removes the person's name from the history and from "last changed by". */
  async erase(person: PersonId): Promise<void> {
    for (const id of await this.store.followedBy(person)) await this.store.setFollowing(id, person, false);
    this.follows.delete(personKey(person.tenantId, person.aadObjectId));
    for (const { rowKey, entry } of await this.store.historyBy(person)) {
      await this.store.replaceHistory(rowKey, { ...entry, by: { ...FORMER_MEMBER, via: entry.by.via } });
    }
    // Read again after a conflict: what is left is what still names the person.
    await retryOnConflict(async () => {
      const plans = (await this.store.plansChangedBy(person)).filter((s) => samePerson(s.plan.updatedBy, person));
      for (let i = 0; i < plans.length; i += PLANS_PER_WRITE) {
        await this.store.write(
          plans.slice(i, i + PLANS_PER_WRITE).map((s) => ({
            plan: { ...s.plan, updatedBy: { ...FORMER_MEMBER, via: s.plan.updatedBy.via } },
            etag: s.etag,
            history: undefined,
          })),
        );
      }
    }, WRITE_CONFLICTS);
  }
}

/** A plan write conflicts when another write moved the plans' version row in between. */
const WRITE_CONFLICTS = { isConflict: (err: unknown) => err instanceof WriteConflict };

/** Who changed a plan after that person's data was erased (cards say "oud-lid"). */
const FORMER_MEMBER = { tenantId: '', aadObjectId: '', name: '' } as const;

function fuzzyEqual(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a.length < 4) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** A new plan from an import row, or an existing one with the row's columns laid over it. */
function merge(current: Plan | undefined, v: ImportValues): Omit<Plan, 'revision' | 'updatedAt' | 'updatedBy' | 'createdAt'> & { createdAt?: string } {
  const base = current ?? {
    id: v.id,
    name: v.name,
    municipality: v.municipality,
    location: '',
    initiators: [],
    homes: v.homes,
    phase: v.phase,
    startConstruction: '',
    delivery: '',
    regional: { onList: v.homes.total >= 50, discussedOn: '', advice: '' },
    goals: Object.fromEntries(REFERENCE.goals.map((g) => [g.id, { rating: '', note: '' }])),
  };
  const goals = { ...base.goals };
  for (const [id, g] of Object.entries(v.goals ?? {})) goals[id] = { rating: g.rating ?? goals[id]?.rating ?? '', note: g.note ?? goals[id]?.note ?? '' };
  return {
    id: v.id,
    name: v.name,
    municipality: v.municipality,
    location: v.location ?? base.location,
    initiators: v.initiators ?? base.initiators,
    homes: v.homes,
    phase: v.phase,
    startConstruction: v.startConstruction ?? base.startConstruction,
    delivery: v.delivery ?? base.delivery,
    regional: {
      onList: v.onList ?? base.regional.onList,
      discussedOn: v.discussedOn ?? base.regional.discussedOn,
      advice: v.advice ?? base.regional.advice,
    },
    goals,
    ...(current ? { createdAt: current.createdAt } : {}),
  };
}

/** What changed between two versions of a plan, field by field, as text (the history shows it as it was). */
function diff(before: Plan, after: Omit<Plan, 'revision' | 'updatedAt' | 'updatedBy' | 'createdAt'>): FieldChange[] {
  const out: FieldChange[] = [];
  const add = (field: string, from: unknown, to: unknown) => {
    const f = Array.isArray(from) ? from.join(', ') : String(from ?? '');
    const t = Array.isArray(to) ? to.join(', ') : String(to ?? '');
    if (f !== t) out.push({ field, from: f, to: t });
  };
  add('name', before.name, after.name);
  add('location', before.location, after.location);
  add('initiators', before.initiators, after.initiators);
  add('phase', before.phase, after.phase);
  for (const part of ['total', ...HOME_PARTS] as const) add(FIELD_OF_HOMES(part), before.homes[part], after.homes[part]);
  add('startConstruction', before.startConstruction, after.startConstruction);
  add('delivery', before.delivery, after.delivery);
  add('regional.onList', before.regional.onList ? 'ja' : 'nee', after.regional.onList ? 'ja' : 'nee');
  add('regional.discussedOn', before.regional.discussedOn, after.regional.discussedOn);
  add('regional.advice', before.regional.advice, after.regional.advice);
  for (const goal of REFERENCE.goals) {
    add(`goals.${goal.id}.rating`, before.goals[goal.id]?.rating, after.goals[goal.id]?.rating);
    add(`goals.${goal.id}.note`, before.goals[goal.id]?.note, after.goals[goal.id]?.note);
  }
  return out;
}

/** Checks the edit card's values with the import's rules; a problem per field. */
export function checkEdit(
  input: PlanEditSubmit,
): { ok: true; values: Pick<Plan, 'phase' | 'homes' | 'startConstruction' | 'delivery'> } | { ok: false; problems: Partial<Record<EditField, Problem>> } {
  const problems: Partial<Record<EditField, Problem>> = {};
  const take = <T>(field: EditField, parsed: { ok: true; value: T } | { ok: false; problem: Problem }): T | undefined => {
    if (parsed.ok) return parsed.value;
    problems[field] ??= parsed.problem;
    return undefined;
  };
  const phase = take('phase', parsePhase(input.phase));
  const total = take('total', parseCount(input.total, 'totaal', { required: true }));
  const part = (field: 'socialRent' | 'midRent' | 'affordablePurchase' | 'other', label: string) => take(field, parseCount(input[field], label));
  const socialRent = part('socialRent', 'sociale huur');
  const midRent = part('midRent', 'middenhuur');
  const affordablePurchase = part('affordablePurchase', 'betaalbare koop');
  const other = part('other', 'overig');
  const startConstruction = take('startConstruction', parseQuarter(input.startConstruction, 'start bouw'));
  const delivery = take('delivery', parseQuarter(input.delivery, 'oplevering'));
  let homes: Homes | undefined;
  // Whether the parts add up is only worth saying once each count reads as a number.
  const COUNT_FIELDS: readonly EditField[] = ['total', 'socialRent', 'midRent', 'affordablePurchase', 'other'];
  if (total !== undefined && !COUNT_FIELDS.some((f) => problems[f])) {
    homes = take(
      'total',
      completeHomes(
        {
          total,
          ...(socialRent !== undefined ? { socialRent } : {}),
          ...(midRent !== undefined ? { midRent } : {}),
          ...(affordablePurchase !== undefined ? { affordablePurchase } : {}),
          ...(other !== undefined ? { other } : {}),
        },
        other !== undefined,
      ),
    );
  }
  if (startConstruction !== undefined && delivery !== undefined) {
    const order = checkOrder(startConstruction, delivery);
    if (order) problems.delivery = order;
  }
  if (Object.keys(problems).length || phase === undefined || !homes || startConstruction === undefined || delivery === undefined) {
    return { ok: false, problems };
  }
  return { ok: true, values: { phase, homes, startConstruction, delivery } };
}
