// Membership rules: who is a member, who may approve, what the secretariaat may change. No Teams types here.
import {
  ROLES,
  roleSchema,
  type AccessRequest,
  type Member,
  type Organisation,
  type Person,
  type PersonRef,
  type Role,
} from './model';
import type { MemberStore } from './store';

import { NotFound } from '../../errors';
import { samePerson, type PersonId } from '../../identity';
import { auditRecorder, type AuditRecorder, type AuditSink } from '../../core/audit';
import { refuse } from './messages';

type RequestAccessResult =
  | { status: 'sent'; request: AccessRequest }
  | { status: 'pending'; request: AccessRequest }
  | { status: 'member'; member: Member }
  | { status: 'invalid'; problems: { organisationId?: 'missing'; role?: 'missing' } };

type DecisionResult =
  | { status: 'decided'; request: AccessRequest; member?: Member }
  | { status: 'alreadyDecided'; request: AccessRequest };

export class MemberService {
  private organisations = new Map<string, Organisation>();
  // Members are read on every turn and change rarely. Changes made here clear the entry at once;
  // another instance's change is seen after at most cacheMs.
  private readonly cache = new Map<string, { member: Member; until: number }>();

  constructor(
    private readonly store: MemberStore,
    private readonly bootstrapAdmins: readonly string[],
    private readonly now: () => Date = () => new Date(),
    private readonly cacheMs = 0,
    /** Where the secretariaat's changes are recorded (the core's audit trail). */
    audit: AuditSink,
  ) {
    this.audit = auditRecorder(audit, 'members');
  }

  private readonly audit: AuditRecorder;

  /** The target is a person: their ids, and their name beside them so the logboek says who. */
  private record(actor: Member, action: string, target: PersonId, before?: unknown, after?: unknown): Promise<void> {
    const name = 'name' in target && typeof target.name === 'string' ? target.name : undefined;
    return this.audit(actor, action, `${target.tenantId}|${target.aadObjectId}`.toLowerCase(), before, after, name);
  }

  private cacheKey(tenantId: string, aadObjectId: string): string {
    return `${tenantId.toLowerCase()}|${aadObjectId.toLowerCase()}`;
  }

  private forget(tenantId: string, aadObjectId: string): void {
    this.cache.delete(this.cacheKey(tenantId, aadObjectId));
  }

  /** Loads the reference organisations into storage (idempotent) and keeps them in memory. */
  async loadOrganisations(organisations: Organisation[]): Promise<void> {
    await this.store.upsertOrganisations(organisations);
    this.organisations = new Map((await this.store.listOrganisations()).map((o) => [o.id, o]));
  }

  listOrganisations(): Organisation[] {
    return [...this.organisations.values()];
  }

  organisationName(id: string): string {
    return this.organisations.get(id)?.name ?? id;
  }

  /** The member behind a Teams user, creating bootstrap secretariaat members on first sight. */
  async resolve(person: Person): Promise<Member | undefined> {
    const key = this.cacheKey(person.tenantId, person.aadObjectId);
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.member;
    const member = await this.lookup(person);
    if (member) this.noteSeen(member);
    if (member && this.cacheMs > 0) {
      if (this.cache.size > 5_000) this.cache.clear();
      this.cache.set(key, { member, until: Date.now() + this.cacheMs });
    }
    return member;
  }

  /**
   * Another member as the registry holds them (cached like `resolve`), for showing them to someone else:
   * it does not count as them being seen, and creates no one.
   */
  async find(person: PersonId): Promise<Member | undefined> {
    const key = this.cacheKey(person.tenantId, person.aadObjectId);
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.member;
    const member = await this.store.getMember(person.tenantId, person.aadObjectId);
    if (member && this.cacheMs > 0) {
      if (this.cache.size > 5_000) this.cache.clear();
      this.cache.set(key, { member, until: Date.now() + this.cacheMs });
    }
    return member;
  }

  /**
   * Several members at once (for showing them to someone else, as `find`): from the cache, and when more than
   * one is not in it, one read of the whole registry (a few hundred rows cost about as much as one point read)
   * caches everyone, so the next answers find them in memory.
   */
  async findMany(people: readonly PersonId[]): Promise<Array<Member | undefined>> {
    const now = Date.now();
    const missing = people.filter((p) => !((this.cache.get(this.cacheKey(p.tenantId, p.aadObjectId))?.until ?? 0) > now));
    if (this.cacheMs === 0 || missing.length <= 1) return Promise.all(people.map((p) => this.find(p)));
    const all = await this.store.listMembers();
    const until = Date.now() + this.cacheMs;
    if (this.cache.size + all.length > 5_000) this.cache.clear();
    const byKey = new Map(all.map((m) => [this.cacheKey(m.tenantId, m.aadObjectId), m]));
    for (const [key, member] of byKey) this.cache.set(key, { member, until });
    return people.map((p) => byKey.get(this.cacheKey(p.tenantId, p.aadObjectId)));
  }

  /**
   * Notes the day a member was last seen, for the retention period: at most one write a day per member,
   * after the turn (a failure only means the date is a day behind).
   */
  private noteSeen(member: Member): void {
    const today = this.now().toISOString().slice(0, 10);
    if ((member.lastSeenAt ?? '').slice(0, 10) === today) return;
    member.lastSeenAt = today;
    void this.store
      .updateMember(member.tenantId, member.aadObjectId, (current) => ({ ...current, lastSeenAt: today }))
      .catch(() => undefined);
  }

  /** Members who have not used the bot since `cutoff`; configured (bootstrap) admins never expire. */
  async inactiveSince(cutoff: Date): Promise<Member[]> {
    const limit = cutoff.toISOString();
    return (await this.store.listMembers()).filter((m) => !this.isBootstrap(m) && (m.lastSeenAt ?? m.createdAt) < limit);
  }

  private async lookup(person: Person): Promise<Member | undefined> {
    const member = await this.store.getMember(person.tenantId, person.aadObjectId);
    if (member || !this.isBootstrap(person)) return member;
    // Someone the secretariaat removed stays removed, even while configuration still names them.
    if (await this.store.wasRemoved(person.tenantId, person.aadObjectId)) return undefined;
    const at = this.now().toISOString();
    return this.store.createMemberIfAbsent({
      tenantId: person.tenantId,
      aadObjectId: person.aadObjectId,
      name: person.name,
      organisationId: 'regio-gooi-en-vechtstreek',
      role: 'secretariaat',
      createdAt: at,
      updatedAt: at,
    });
  }

  /** Named in BOOTSTRAP_ADMINS: secretariaat from configuration. */
  isBootstrap(person: { aadObjectId: string }): boolean {
    return this.bootstrapAdmins.includes(person.aadObjectId.toLowerCase());
  }

  async pendingRequest(person: Person): Promise<AccessRequest | undefined> {
    const request = await this.store.getRequest(person.tenantId, person.aadObjectId);
    return request?.status === 'pending' ? request : undefined;
  }

  async requestAccess(person: Person, input: { organisationId: string; role: string }): Promise<RequestAccessResult> {
    const problems: { organisationId?: 'missing'; role?: 'missing' } = {};
    if (!this.organisations.has(input.organisationId)) problems.organisationId = 'missing';
    const role = roleSchema.safeParse(input.role);
    if (!role.success) problems.role = 'missing';
    if (problems.organisationId || problems.role || !role.success) return { status: 'invalid', problems };

    const member = await this.store.getMember(person.tenantId, person.aadObjectId);
    if (member) return { status: 'member', member };
    const existing = await this.store.getRequest(person.tenantId, person.aadObjectId);
    if (existing?.status === 'pending') return { status: 'pending', request: existing };

    const request: AccessRequest = {
      tenantId: person.tenantId,
      aadObjectId: person.aadObjectId,
      name: person.name,
      organisationId: input.organisationId,
      role: role.data,
      status: 'pending',
      requestedAt: this.now().toISOString(),
    };
    await this.store.putRequest(request);
    return { status: 'sent', request };
  }

  async decide(actor: Member, target: PersonRef, decision: 'approved' | 'rejected'): Promise<DecisionResult> {
    requireSecretariaat(actor);
    const at = this.now().toISOString();
    const outcome = await this.store.decideRequest(target.tenantId, target.aadObjectId, (current) =>
      current.status === 'pending'
        ? { ...current, status: decision, decidedAt: at, decidedBy: actor.aadObjectId }
        : undefined,
    );
    if (!outcome) throw new NotFound('No such request');
    if (!outcome.changed) return { status: 'alreadyDecided', request: outcome.request };
    const request = outcome.request;
    await this.record(actor, `access.${decision}`, request, { status: 'pending' }, { status: decision, role: request.role, organisationId: request.organisationId });
    if (decision === 'rejected') return { status: 'decided', request };
    await this.store.clearRemoved(request.tenantId, request.aadObjectId);
    const member = await this.store.createMemberIfAbsent({
      tenantId: request.tenantId,
      aadObjectId: request.aadObjectId,
      name: request.name,
      organisationId: request.organisationId,
      role: request.role,
      createdAt: at,
      updatedAt: at,
    });
    return { status: 'decided', request, member };
  }

  async openRequests(actor: Member): Promise<AccessRequest[]> {
    requireSecretariaat(actor);
    const requests = await this.store.listRequests('pending');
    return requests.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }

  async listMembers(actor: Member): Promise<Member[]> {
    requireSecretariaat(actor);
    return sortMembers(await this.store.listMembers());
  }

  /** The people who handle access requests. */
  async secretariaat(): Promise<Member[]> {
    return (await this.store.listMembers()).filter((m) => m.role === 'secretariaat');
  }

  async changeRole(actor: Member, target: PersonRef, role: Role): Promise<Member> {
    requireSecretariaat(actor);
    this.forget(target.tenantId, target.aadObjectId);
    let before: Role | undefined;
    const updated = await this.store.guardedChange(target.tenantId, target.aadObjectId, (current, members) => {
      keepOneSecretariaat(actor, current, members, role === 'secretariaat');
      before = current.role;
      return { ...current, role, updatedAt: this.now().toISOString() };
    });
    // Again after the write: a lookup in between may have cached the old role.
    this.forget(target.tenantId, target.aadObjectId);
    if (!updated) throw new NotFound('No such member');
    await this.record(actor, 'member.roleChanged', updated, { role: before }, { role });
    return updated;
  }

  async removeMember(actor: Member, target: PersonRef): Promise<Member> {
    requireSecretariaat(actor);
    this.forget(target.tenantId, target.aadObjectId);
    const removed = await this.store.guardedChange(target.tenantId, target.aadObjectId, (current, members) => {
      keepOneSecretariaat(actor, current, members, false);
      return 'delete';
    });
    this.forget(target.tenantId, target.aadObjectId);
    if (!removed) throw new NotFound('No such member');
    await this.store.markRemoved(removed.tenantId, removed.aadObjectId, this.now().toISOString());
    await this.record(actor, 'member.removed', removed, { role: removed.role, organisationId: removed.organisationId });
    // A later request from this person starts fresh.
    await this.store.deleteRequest(target.tenantId, target.aadObjectId);
    return removed;
  }

  /** What the registry holds about one person (privacy export). */
  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const [member, request] = await Promise.all([
      this.store.getMember(person.tenantId, person.aadObjectId),
      this.store.getRequest(person.tenantId, person.aadObjectId),
    ]);
    return { ...(member ? { member } : {}), ...(request ? { accessRequest: request } : {}) };
  }

  /** Erases the person from the registry (privacy); a marker that they were removed stays, without their name. */
  async erase(person: PersonId): Promise<void> {
    this.forget(person.tenantId, person.aadObjectId);
    await this.store.deleteMember(person.tenantId, person.aadObjectId);
    await this.store.deleteRequest(person.tenantId, person.aadObjectId);
    await this.store.markRemoved(person.tenantId, person.aadObjectId, this.now().toISOString());
    this.forget(person.tenantId, person.aadObjectId);
  }

  /** Registers known people directly (development seed, and the secretariaat's own imports later). */
  /**
   * Demo people for a local start: written only into a registry that never had anyone, so a person removed,
   * erased or given another role stays that way at the next start. Returns whether it wrote them.
   */
  async seedIfEmpty(members: Array<Omit<Member, 'createdAt' | 'updatedAt'>>): Promise<boolean> {
    if (!(await this.store.isEmpty())) return false;
    await this.seed(members);
    return true;
  }

  async seed(members: Array<Omit<Member, 'createdAt' | 'updatedAt'>>): Promise<void> {
    const at = this.now().toISOString();
    for (const m of members) {
      this.forget(m.tenantId, m.aadObjectId);
      const existing = await this.store.getMember(m.tenantId, m.aadObjectId);
      await this.store.clearRemoved(m.tenantId, m.aadObjectId);
      await this.store.putMember({ ...m, createdAt: existing?.createdAt ?? at, updatedAt: at });
    }
  }
}

function requireSecretariaat(actor: Member): void {
  if (actor.role !== 'secretariaat') throw refuse.denied('secretariaatOnly');
}

/**
 * Checked on the members as they are inside the guarded change: the actor must still be secretariaat, and
 * taking `target` out of the secretariaat must leave at least one other.
 */
function keepOneSecretariaat(actor: Member, target: Member, members: Member[], staysSecretariaat: boolean): void {
  const admins = members.filter((m) => m.role === 'secretariaat');
  if (!admins.some((m) => samePerson(m, actor))) throw refuse.denied('secretariaatOnly');
  if (staysSecretariaat || target.role !== 'secretariaat') return;
  if (!admins.some((m) => !samePerson(m, target))) throw refuse.rule('lastSecretariaat');
}

function sortMembers(members: Member[]): Member[] {
  const order = new Map(ROLES.map((r, i) => [r, i]));
  return members.sort((a, b) => (order.get(a.role)! - order.get(b.role)!) || a.name.localeCompare(b.name, 'nl'));
}
