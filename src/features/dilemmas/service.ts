// Dilemma rules: who may log, see, recognise, respond, edit and change status. No Teams types here.
import { NotFound } from '../../errors';
import type { Choice } from '../../capability';
import { auditRecorder, type AuditRecorder, type AuditSink } from '../../core/audit';
import { refuse } from './messages';
import { personKey } from '../../storage/keys';
import { localDay } from '../../time';
import { searchWords } from './words';
import { fold } from '../../text';
import { samePerson, type Member, type PersonId } from '../../identity';
import {
  dilemmaInputSchema,
  LIMITS,
  PAGE_SIZE,
  REGION_WIDE,
  type Author,
  type Dilemma,
  type DilemmaField,
  type DilemmaInput,
  type DilemmaResponse,
  type DilemmaStatus,
  type DilemmaSummary,
  type ListFilter,
  type ListPage,
} from './model';
import type { DilemmaStore, SubmissionKind } from './store';
import type { DilemmaReadModel } from './readModel';
import type { AdaptiveCard, CardElement } from '../../cards/adaptive';
import type { Locale } from '../../i18n';

/** Who is looking, and where: in a shared chat or channel, confidential dilemmas stay out, whoever asks. */
export interface Viewer {
  member: Member;
  shared: boolean;
}

/**
 * What a capability built later adds to dilemmas (expertise: similar dilemmas before a new one is saved,
 * people who know about it after, and a button on the detail card). Set once at build time.
 */
interface DilemmaExtensions {
  /** Before a new dilemma is saved: a card to show instead (the form's values ride along in its buttons), or nothing. */
  beforeCreate?(viewer: Viewer, input: DilemmaInput, form: Record<string, string>, locale: Locale): Promise<AdaptiveCard | undefined>;
  /** After a new dilemma is saved: a card to send next, or nothing. */
  afterCreate?(viewer: Viewer, dilemma: Dilemma, locale: Locale): Promise<AdaptiveCard | undefined>;
  /** A button on a dilemma's detail card, or nothing. */
  detailAction?(viewer: Viewer, dilemma: Dilemma, locale: Locale): CardElement | undefined;
}

/** Who responded to a dilemma, and whether they want to talk further (not what they wrote). */
export interface Responder {
  dilemmaId: string;
  author: Author;
  wantsToTalk: boolean;
}

export type FieldProblem = 'required' | 'tooLong' | 'unknownTheme' | 'unknownMunicipality' | 'invalidChoice';
type SaveResult =
  | { status: 'saved'; dilemma: Dilemma; created: boolean }
  | { status: 'invalid'; problems: Partial<Record<DilemmaField, FieldProblem>> }
  | { status: 'busy' };

export type AuthorNotice = 'response' | 'status' | 'outcome';

export interface Notifier {
  /** Tells the author something happened to their dilemma. Called after the change is stored; must not throw. */
  /** Resolves once the notice is kept (before the member hears "done"); never throws. */
  authorNotice(dilemma: Dilemma, what: AuthorNotice, by: PersonId): Promise<void>;
}

/** The roles that log and read dilemmas (a gespreksleider does not). */
/** Plans a card offers by itself for clients without typeahead (the rest are found by typing). */
export const PLAN_FALLBACK = 10;

export const DILEMMA_ROLES: ReadonlyArray<Member['role']> = ['wethouder', 'directeur-bestuurder', 'secretariaat'];

export function mayUseDilemmas(member: Member): boolean {
  return DILEMMA_ROLES.includes(member.role);
}

function requireDilemmaRole(member: Member): void {
  if (!mayUseDilemmas(member)) throw refuse.denied('role');
}

/** What `canSee` needs of a dilemma: a full one, or a list row (DilemmaSummary) carries it. */
type Seen = Pick<Dilemma, 'status' | 'visibility'> & { author: Pick<Author, 'tenantId' | 'aadObjectId'> };

function isAuthor(member: Member, dilemma: Pick<Seen, 'author'>): boolean {
  return personKey(member.tenantId, member.aadObjectId) === personKey(dilemma.author.tenantId, dilemma.author.aadObjectId);
}

/** The one rule for who sees a dilemma; every path (list, detail, search, responses, notices, digest) uses it. */
export function canSee(viewer: Viewer, dilemma: Seen): boolean {
  if (!mayUseDilemmas(viewer.member)) return false;
  const privileged = viewer.member.role === 'secretariaat' || isAuthor(viewer.member, dilemma);
  // A withdrawn dilemma is for its author and the secretariaat only, and never in a shared chat.
  if (dilemma.status === 'ingetrokken' && (!privileged || viewer.shared)) return false;
  if (dilemma.visibility === 'confidential') return privileged && !viewer.shared;
  return true;
}

export function formatId(year: number, sequence: number): string {
  return `D-${year}-${String(sequence).padStart(3, '0')}`;
}

/** Whether a list row matches the filter. */
function matches(filter: ListFilter, s: DilemmaSummary): boolean {
  if (filter.status ? s.status !== filter.status : s.status === 'ingetrokken') return false;
  if (filter.theme && s.theme !== filter.theme) return false;
  if (filter.municipality && !s.municipalities.includes(filter.municipality)) return false;
  if (filter.plan && s.relatedPlanId !== filter.plan) return false;
  return true;
}

export class DilemmaService {
  private extensionList: DilemmaExtensions = {};
  private readonly record: AuditRecorder;

  constructor(
    private readonly store: DilemmaStore,
    private readonly municipalityIds: () => string[],
    private readonly notifier: Notifier,
    /** The author as a member today (a removed member, or one whose role changed, may no longer see it). */
    private readonly memberOf: (author: Author) => Promise<Member | undefined>,
    private readonly now: () => Date = () => new Date(),
    /** Where the secretariaat's status changes are recorded (the core's audit trail). */
    audit: AuditSink,
    /** The plan list as the plans capability offers it (wired by the core once every capability is built). */
    private readonly plans: () => Choice[] | undefined = () => undefined,
  ) {
    this.record = auditRecorder(audit, 'dilemmas');
  }

  /** A capability built later adds its steps around saving and its detail button. */
  useExtensions(extensions: DilemmaExtensions): void {
    this.extensionList = extensions;
  }

  get extensions(): DilemmaExtensions {
    return this.extensionList;
  }

  /**
   * Every dilemma as this process holds it now, without rules applied: for a capability that indexes them
   * (expertise), which applies `canSee` for each viewer itself. Changed dilemmas are new objects.
   */
  async everyDilemma(): Promise<Dilemma[]> {
    return this.store.reader.snapshot();
  }

  /** Who responded (one dilemma, or all when no id is given): authors and "wants to talk", never the text. */
  async responders(id?: string): Promise<Responder[]> {
    const list = id ? await this.store.responses(id) : (await this.store.allResponses()).map((r) => r.response);
    return list.map((r) => ({ dilemmaId: r.dilemmaId, author: r.author, wantsToTalk: r.wantsToTalk }));
  }

  /** The plans to choose from, or undefined when no plan list is known. */
  planChoices(): Choice[] | undefined {
    return this.plans();
  }

  /** The plan with this id, when the plan list has it. */
  planNamed(id: string): { id: string; name: string } | undefined {
    return id ? this.plans()?.find((p) => p.id === id) : undefined;
  }

  /**
   * The short list a card offers by itself, for Teams clients without dynamic typeahead: the plans already
   * chosen, then the first of the list, at most `max` in all. Undefined when no plan list is known.
   */
  planFallback(chosen: readonly string[], max = PLAN_FALLBACK): Array<{ id: string; name: string }> | undefined {
    const all = this.plans();
    if (!all) return undefined;
    const picked = all.filter((p) => chosen.includes(p.id));
    return [...picked, ...all.filter((p) => !chosen.includes(p.id))].slice(0, Math.max(max, picked.length));
  }

  /**
   * Plans with a word in their name that starts with each word typed (case and accents do not matter), names
   * that start with the first word first; the first `top` after `skip`. Answers a card's typeahead from the
   * plan list in memory.
   */
  searchPlans(text: string, skip: number, top: number): Array<{ id: string; name: string }> {
    const all = this.plans() ?? [];
    const split = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const words = split(text).slice(0, 5);
    if (!words.length) return all.slice(skip, skip + top);
    const starts: Array<{ id: string; name: string }> = [];
    const rest: Array<{ id: string; name: string }> = [];
    for (const p of all) {
      const name = split(p.name);
      if (!words.every((w) => name.some((n) => n.startsWith(w)))) continue;
      (name[0]!.startsWith(words[0]!) ? starts : rest).push(p);
    }
    return [...starts, ...rest].slice(skip, skip + top);
  }

  /** Loads the dilemma lists into memory and keeps them fresh (the capability's background job). */
  get reader(): DilemmaReadModel {
    return this.store.reader;
  }

  /** Drops the tables of the list index that memory replaced (stores from before it). */
  retireOldIndex(): Promise<number> {
    return this.store.retireOldIndex();
  }

  /** Checks form input; returns the clean input or the problem per field. */
  validate(raw: Record<string, unknown>): { ok: true; input: DilemmaInput } | { ok: false; problems: Partial<Record<DilemmaField, FieldProblem>> } {
    const parsed = dilemmaInputSchema.safeParse(raw);
    const problems: Partial<Record<DilemmaField, FieldProblem>> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as DilemmaField;
        if (problems[field]) continue;
        problems[field] = (['required', 'tooLong', 'unknownTheme'].includes(issue.message) ? issue.message : 'required') as FieldProblem;
      }
    }
    if (problems.visibility) problems.visibility = 'invalidChoice';
    const known = new Set([...this.municipalityIds(), REGION_WIDE]);
    const municipalities = Array.isArray(raw.municipalities) ? (raw.municipalities as string[]) : [];
    if (!problems.municipalities && municipalities.some((m) => !known.has(m))) problems.municipalities = 'unknownMunicipality';
    if (Object.keys(problems).length || !parsed.success) return { ok: false, problems };
    // A plan id must be one of the plan list; without a plan list there is nothing to point to.
    const planId = parsed.data.relatedPlanId;
    const plans = this.planChoices();
    if (planId && plans && !plans.some((p) => p.id === planId)) return { ok: false, problems: { relatedPlanId: 'invalidChoice' } };
    return { ok: true, input: { ...parsed.data, relatedPlanId: plans ? planId : '' } };
  }

  /** Logs a new dilemma, once per form submission. */
  async create(actor: Member, raw: Record<string, unknown>, submissionId: string): Promise<SaveResult> {
    requireDilemmaRole(actor);
    const checked = this.validate(raw);
    if (!checked.ok) return { status: 'invalid', problems: checked.problems };
    const now = this.now();
    const owner = personKey(actor.tenantId, actor.aadObjectId);
    const claim = await this.claim('dilemma', submissionId, owner, now);
    if (claim.status === 'busy') return { status: 'busy' };
    if (claim.status === 'done') {
      const existing = await this.store.get(claim.result);
      if (!existing) throw new NotFound('The submission points to a missing dilemma');
      return { status: 'saved', dilemma: existing, created: false };
    }
    // An earlier attempt that died may have stored the dilemma already: then that one is the answer.
    const earlier = claim.pending ? await this.store.get(claim.pending) : undefined;
    if (earlier) {
      await this.store.completeSubmission('dilemma', submissionId, owner, earlier.id, now);
      return { status: 'saved', dilemma: earlier, created: false };
    }
    let dilemma: Dilemma;
    try {
      const year = Number(localDay(now).slice(0, 4));
      const id = claim.pending ?? formatId(year, await this.store.nextSequence(year));
      // Reserve the number first, so a retry after a crash finds (or reuses) it instead of making a second one.
      await this.store.reserveSubmission('dilemma', submissionId, owner, id, now);
      dilemma = {
        id,
        ...normalise(checked.input),
        status: 'nieuw',
        outcome: '',
        author: authorOf(actor),
        recognisedBy: [],
        responseCount: 0,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await this.store.create(dilemma);
    } catch (err) {
      // Nothing was stored: the same form may be sent again.
      await this.store.releaseSubmission('dilemma', submissionId, owner);
      throw err;
    }
    await this.store.completeSubmission('dilemma', submissionId, owner, dilemma.id, now);
    return { status: 'saved', dilemma, created: true };
  }

  /**
   * Claims a form submission; while an earlier press of the same form is still at work (a double click),
   * waits a moment for its result, so both presses get the same answer.
   */
  private async claim(kind: SubmissionKind, submissionId: string, owner: string, now: Date) {
    let claim = await this.store.claimSubmission(kind, submissionId, owner, now);
    for (let wait = 0; claim.status === 'busy' && wait < 20; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50 + wait * 10));
      claim = await this.store.claimSubmission(kind, submissionId, owner, now);
    }
    return claim;
  }

  /** The author changes their own dilemma while it is still new. */
  async edit(actor: Member, id: string, raw: Record<string, unknown>): Promise<SaveResult> {
    requireDilemmaRole(actor);
    const checked = this.validate(raw);
    if (!checked.ok) return { status: 'invalid', problems: checked.problems };
    const updated = await this.store.update(id, (current) => {
      this.requireOwnNew(actor, current);
      return { ...current, ...normalise(checked.input), updatedAt: this.now().toISOString() };
    });
    if (!updated) throw new NotFound('No such dilemma');
    return { status: 'saved', dilemma: updated, created: false };
  }

  async withdraw(viewer: Viewer, id: string): Promise<Dilemma> {
    const actor = viewer.member;
    requireDilemmaRole(actor);
    const updated = await this.store.update(id, (current) => {
      if (!canSee(viewer, current)) throw new NotFound('No such dilemma');
      this.requireOwnNew(actor, current);
      return { ...current, status: 'ingetrokken', updatedAt: this.now().toISOString() };
    });
    if (!updated) throw new NotFound('No such dilemma');
    return updated;
  }

  /** The dilemma as its author may still edit it (theirs, and new); throws otherwise. */
  async forEdit(viewer: Viewer, id: string): Promise<Dilemma> {
    requireDilemmaRole(viewer.member);
    const dilemma = await this.store.get(id);
    if (!dilemma || !canSee(viewer, dilemma)) throw new NotFound('No such dilemma');
    this.requireOwnNew(viewer.member, dilemma);
    return dilemma;
  }

  /**
   * A dilemma with its responses, as a chat turn shows it: kept in memory while no newer revision is known,
   * so it is as fresh as the lists (another process's change shows after the next poll).
   */
  async view(viewer: Viewer, id: string): Promise<{ dilemma: Dilemma; responses: DilemmaResponse[] }> {
    requireDilemmaRole(viewer.member);
    const found = await this.store.detail(id);
    if (!found || !canSee(viewer, found.dilemma)) throw new NotFound('No such dilemma');
    return found;
  }

  /** A dilemma with its responses, read from the table (for notices and the agenda: always the stored state). */
  async get(viewer: Viewer, id: string): Promise<{ dilemma: Dilemma; responses: DilemmaResponse[] }> {
    requireDilemmaRole(viewer.member);
    const dilemma = await this.store.get(id);
    // Not allowed to see it is answered as if it did not exist: its existence is information too.
    if (!dilemma || !canSee(viewer, dilemma)) throw new NotFound('No such dilemma');
    // Responses are numbered from the count, so without a count there is nothing to read.
    return { dilemma, responses: dilemma.responseCount > 0 ? await this.store.responses(id) : [] };
  }

  /**
   * One page of the dilemmas the viewer may see, newest first, filtered by theme, municipality, status, plan
   * and words; `after` is where the previous page ended. From memory: no table read, however many there are.
   */
  async list(viewer: Viewer, filter: ListFilter = {}, after?: string): Promise<ListPage> {
    requireDilemmaRole(viewer.member);
    const accept = (s: DilemmaSummary) => canSee(viewer, s) && matches(filter, s);
    if (filter.words?.trim()) {
      const words = searchWords(filter.words);
      // Only small, common words ("de", "het"): nothing to find by.
      if (!words.length) return { items: [], capped: false };
      return this.store.searchPage(words, after, accept, PAGE_SIZE);
    }
    return this.store.listPage(after, accept, PAGE_SIZE);
  }

  /**
   * Marks (or unmarks) that the member faces this too. The wanted state comes from the button, so a
   * double click or an old card does not flip it back.
   */
  async setRecognition(viewer: Viewer, id: string, recognise: boolean): Promise<Dilemma> {
    requireDilemmaRole(viewer.member);
    const key = personKey(viewer.member.tenantId, viewer.member.aadObjectId);
    const updated = await this.store.update(id, (current) => {
      if (!canSee(viewer, current)) throw new NotFound('No such dilemma');
      if (current.status === 'ingetrokken') throw refuse.rule('withdrawn');
      if (isAuthor(viewer.member, current)) throw refuse.rule('ownDilemma');
      const has = current.recognisedBy.includes(key);
      if (has === recognise) return undefined;
      const recognisedBy = recognise ? [...current.recognisedBy, key] : current.recognisedBy.filter((k) => k !== key);
      return { ...current, recognisedBy };
    });
    if (!updated) throw new NotFound('No such dilemma');
    return updated;
  }

  /** Adds a response, once per form submission, and tells the author. */
  async respond(
    viewer: Viewer,
    id: string,
    input: { text: string; wantsToTalk: boolean; submissionId: string },
  ): Promise<{ dilemma: Dilemma; outcome: 'stored' | 'duplicate' | 'busy' }> {
    requireDilemmaRole(viewer.member);
    const clean = input.text.trim();
    if (!clean) throw refuse.rule('responseEmpty');
    if (clean.length > LIMITS.response) throw refuse.rule('responseTooLong', { max: LIMITS.response });
    const current = await this.store.get(id);
    if (!current || !canSee(viewer, current)) throw new NotFound('No such dilemma');
    if (current.status === 'ingetrokken') throw refuse.rule('withdrawn');

    const now = this.now();
    const owner = personKey(viewer.member.tenantId, viewer.member.aadObjectId);
    const claim = await this.claim('response', input.submissionId, owner, now);
    if (claim.status === 'busy') return { dilemma: current, outcome: 'busy' };
    if (claim.status === 'done') return { dilemma: current, outcome: 'duplicate' };
    let sequence = claim.pending ? Number(claim.pending) : undefined;
    let updated = current;
    try {
      if (sequence === undefined) {
        // Taking the number first makes each response's key unique and keeps the order, even at the same moment.
        const counted = await this.store.update(id, (d) => {
          if (!canSee(viewer, d)) throw new NotFound('No such dilemma');
          return { ...d, responseCount: d.responseCount + 1 };
        });
        if (!counted) throw new NotFound('No such dilemma');
        updated = counted;
        sequence = counted.responseCount;
        await this.store.reserveSubmission('response', input.submissionId, owner, String(sequence), now);
      }
      if (!(await this.store.hasResponse(id, sequence))) {
        await this.store.addResponse(
          { dilemmaId: id, author: authorOf(viewer.member), text: clean, wantsToTalk: input.wantsToTalk, createdAt: now.toISOString() },
          sequence,
        );
      }
    } catch (err) {
      if (!claim.pending) await this.store.releaseSubmission('response', input.submissionId, owner);
      throw err;
    }
    await this.store.completeSubmission('response', input.submissionId, owner, String(sequence), now);
    if (!isAuthor(viewer.member, updated)) await this.notifyAuthor(updated, 'response', viewer.member);
    return { dilemma: updated, outcome: 'stored' };
  }

  /**
   * Only the secretariaat moves a dilemma along: forward, or one step back to correct a slip.
   * Discussed and closed ones need a short outcome.
   */
  async setStatus(viewer: Viewer, id: string, status: DilemmaStatus, outcome: string): Promise<Dilemma> {
    if (viewer.member.role !== 'secretariaat') throw refuse.denied('secretariaatOnly');
    const cleanOutcome = outcome.trim();
    if ((status === 'besproken' || status === 'afgerond') && !cleanOutcome) throw refuse.rule('outcomeRequired');
    if (cleanOutcome.length > LIMITS.outcome) throw refuse.rule('outcomeTooLong', { max: LIMITS.outcome });
    let before: Dilemma | undefined;
    const updated = await this.store.update(id, (current) => {
      if (!canSee(viewer, current)) throw new NotFound('No such dilemma');
      if (current.status === 'ingetrokken') throw refuse.rule('withdrawn');
      if (STATUS_ORDER.indexOf(status) < STATUS_ORDER.indexOf(current.status) - 1) throw refuse.rule('statusOrder');
      before = current;
      if (current.status === status && current.outcome === cleanOutcome) return undefined;
      return { ...current, status, outcome: cleanOutcome, updatedAt: this.now().toISOString() };
    });
    if (!updated) throw new NotFound('No such dilemma');
    if (before && (before.status !== updated.status || before.outcome !== updated.outcome)) {
      await this.record(
        viewer.member,
        'dilemma.statusChanged',
        updated.id,
        { status: before.status, outcome: before.outcome },
        { status: updated.status, outcome: updated.outcome },
      );
    }
    if (before && before.status !== updated.status) await this.notifyAuthor(updated, 'status', viewer.member);
    else if (before && before.outcome !== updated.outcome) await this.notifyAuthor(updated, 'outcome', viewer.member);
    return updated;
  }

  /** Tells the author, if they may still see it (a removed member or a changed role may not). */
  private async notifyAuthor(dilemma: Dilemma, what: AuthorNotice, by: PersonId): Promise<void> {
    const author = await this.memberOf(dilemma.author);
    if (author && canSee({ member: author, shared: false }, dilemma)) await this.notifier.authorNotice(dilemma, what, by);
  }

  /** What dilemmas hold about one person: what they logged, responded and recognised (privacy export). */
  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const key = personKey(person.tenantId, person.aadObjectId);
    const [mine, responses] = await Promise.all([
      this.store.current((d) => samePerson(d.author, person) || d.recognisedBy.includes(key)),
      this.store.allResponses(),
    ]);
    return {
      dilemmas: mine.filter((d) => samePerson(d.author, person)),
      responses: responses.filter((r) => samePerson(r.response.author, person)).map((r) => r.response),
      recognised: mine.filter((d) => d.recognisedBy.includes(key)).map((d) => d.id),
    };
  }

  /**
   * Erases one person: their dilemmas and responses stay for the region but lose the author's identity
   * (shown as "oud-lid"), and their recognitions are removed.
   */
  async erase(person: PersonId): Promise<void> {
    const key = personKey(person.tenantId, person.aadObjectId);
    // Found in memory (after reading the change log); each one is then changed as stored, with its ETag.
    for (const d of await this.store.current((x) => samePerson(x.author, person) || x.recognisedBy.includes(key))) {
      await this.store.update(d.id, (current) => ({
        ...current,
        author: samePerson(current.author, person) ? FORMER_MEMBER : current.author,
        recognisedBy: current.recognisedBy.filter((k) => k !== key),
      }));
    }
    const touched = new Set<string>();
    for (const r of await this.store.allResponses()) {
      if (!samePerson(r.response.author, person)) continue;
      await this.store.replaceResponse(r.partitionKey, r.rowKey, { ...r.response, author: FORMER_MEMBER });
      touched.add(r.response.dilemmaId);
    }
    // A new revision of each such dilemma tells every process to read its responses again.
    for (const id of touched) await this.store.update(id, (current) => ({ ...current }));
  }

  isAuthor(member: Member, dilemma: Pick<Seen, 'author'>): boolean {
    return isAuthor(member, dilemma);
  }

  private requireOwnNew(actor: Member, dilemma: Dilemma): void {
    if (!isAuthor(actor, dilemma)) {
      // Someone else's confidential dilemma does not exist for them; a visible one is simply not theirs.
      if (dilemma.visibility === 'confidential' && actor.role !== 'secretariaat') throw new NotFound('No such dilemma');
      throw refuse.denied('notAuthor');
    }
    if (dilemma.status !== 'nieuw') throw refuse.rule('notNew');
  }
}

/** The author of an erased person's dilemmas and responses: no identity left (cards say "oud-lid"). */
const FORMER_MEMBER: Author = { tenantId: '', aadObjectId: '', name: '', organisationId: '' };

const STATUS_ORDER: readonly DilemmaStatus[] = ['nieuw', 'geagendeerd', 'besproken', 'afgerond'];

function authorOf(member: Member): Author {
  return {
    tenantId: member.tenantId,
    aadObjectId: member.aadObjectId,
    name: member.name,
    organisationId: member.organisationId,
  };
}

function normalise(input: DilemmaInput): Omit<DilemmaInput, never> {
  // "Regio-breed" stands alone: with it, naming municipalities adds nothing.
  const municipalities = input.municipalities.includes(REGION_WIDE) ? [REGION_WIDE] : [...new Set(input.municipalities)];
  return { ...input, municipalities };
}
