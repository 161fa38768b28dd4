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

import { AccessDenied, NotFound, RuleViolation } from '../../errors';

export type RequestAccessResult =
  | { status: 'sent'; request: AccessRequest }
  | { status: 'pending'; request: AccessRequest }
  | { status: 'member'; member: Member }
  | { status: 'invalid'; problems: { organisationId?: 'missing'; role?: 'missing' } };

export type DecisionResult =
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
  ) {}

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
    if (member && this.cacheMs > 0) {
      if (this.cache.size > 5_000) this.cache.clear();
      this.cache.set(key, { member, until: Date.now() + this.cacheMs });
    }
    return member;
  }

  private async lookup(person: Person): Promise<Member | undefined> {
    const member = await this.store.getMember(person.tenantId, person.aadObjectId);
    if (member || !this.bootstrapAdmins.includes(person.aadObjectId)) return member;
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
    if (decision === 'rejected') return { status: 'decided', request };
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
    if (role !== 'secretariaat') await this.keepOneSecretariaat(target);
    this.forget(target.tenantId, target.aadObjectId);
    const updated = await this.store.updateMember(target.tenantId, target.aadObjectId, (current) => ({
      ...current,
      role,
      updatedAt: this.now().toISOString(),
    }));
    // Again after the write: a lookup in between may have cached the old role.
    this.forget(target.tenantId, target.aadObjectId);
    if (!updated) throw new NotFound('No such member');
    return updated;
  }

  async removeMember(actor: Member, target: PersonRef): Promise<Member> {
    requireSecretariaat(actor);
    const member = await this.store.getMember(target.tenantId, target.aadObjectId);
    if (!member) throw new NotFound('No such member');
    await this.keepOneSecretariaat(target);
    this.forget(target.tenantId, target.aadObjectId);
    await this.store.deleteMember(target.tenantId, target.aadObjectId);
    this.forget(target.tenantId, target.aadObjectId);
    // A later request from this person starts fresh.
    await this.store.deleteRequest(target.tenantId, target.aadObjectId);
    return member;
  }

  /** Registers known people directly (development seed, and the secretariaat's own imports later). */
  async seed(members: Array<Omit<Member, 'createdAt' | 'updatedAt'>>): Promise<void> {
    const at = this.now().toISOString();
    for (const m of members) {
      this.forget(m.tenantId, m.aadObjectId);
      const existing = await this.store.getMember(m.tenantId, m.aadObjectId);
      await this.store.putMember({ ...m, createdAt: existing?.createdAt ?? at, updatedAt: at });
    }
  }

  private async keepOneSecretariaat(target: PersonRef): Promise<void> {
    const admins = await this.secretariaat();
    const others = admins.filter(
      (m) => !(m.tenantId === target.tenantId.toLowerCase() && m.aadObjectId === target.aadObjectId.toLowerCase()),
    );
    if (others.length === 0 && admins.length > 0) throw new RuleViolation('lastSecretariaat');
  }
}

export function requireSecretariaat(actor: Member): void {
  if (actor.role !== 'secretariaat') throw new AccessDenied('secretariaatOnly');
}

function sortMembers(members: Member[]): Member[] {
  const order = new Map(ROLES.map((r, i) => [r, i]));
  return members.sort((a, b) => (order.get(a.role)! - order.get(b.role)!) || a.name.localeCompare(b.name, 'nl'));
}
