// Members, access requests and organisations in Table Storage: the only code here that knows keys and ETags.
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { encodeKey, personKey } from '../../storage/keys';
import { getOrUndefined, isStatus, retryOnConflict, updateWithEtag, type Tables } from '../../storage/tables';
import {
  accessRequestSchema,
  memberSchema,
  organisationSchema,
  type AccessRequest,
  type Member,
  type Organisation,
} from './model';
import { samePerson } from '../../identity';

export const MEMBER_TABLES = { members: 'Members', requests: 'AccessRequests', organisations: 'Organisations' } as const;

const GUARD_ROW = '~guard';

const keys = {
  member: (tenantId: string, aadObjectId: string) => ({ partitionKey: 'member', rowKey: personKey(tenantId, aadObjectId) }),
  memberPartition: 'member',
  /**
   * One row beside the members, rewritten (with its ETag) in the same transaction as every role change and
   * removal: two such changes at once cannot both pass the "one secretariaat stays" check.
   */
  guard: { partitionKey: 'member', rowKey: GUARD_ROW },
  /** Someone the secretariaat removed: configuration (BOOTSTRAP_ADMINS) does not bring them back by itself. */
  removed: (tenantId: string, aadObjectId: string) => ({ partitionKey: 'removed', rowKey: personKey(tenantId, aadObjectId) }),
  accessRequest: (tenantId: string, aadObjectId: string) => ({ partitionKey: 'request', rowKey: personKey(tenantId, aadObjectId) }),
  accessRequestPartition: 'request',
  organisation: (id: string) => ({ partitionKey: 'organisation', rowKey: encodeKey(id) }),
  organisationPartition: 'organisation',
};

/** What a guarded change does to the member: a new version, or removal. */
type GuardedChange = (current: Member, members: Member[]) => Member | 'delete';

// The zod schemas drop what Table Storage adds (partitionKey, rowKey, etag, timestamp) when they parse a row.
export class MemberStore {
  private readonly members: TableClient;
  private readonly requests: TableClient;
  private readonly organisations: TableClient;

  constructor(tables: Tables) {
    this.members = tables.client(MEMBER_TABLES.members);
    this.requests = tables.client(MEMBER_TABLES.requests);
    this.organisations = tables.client(MEMBER_TABLES.organisations);
  }

  async getMember(tenantId: string, aadObjectId: string): Promise<Member | undefined> {
    const k = keys.member(tenantId, aadObjectId);
    const row = await getOrUndefined<Member>(this.members, k.partitionKey, k.rowKey);
    return row ? memberSchema.parse(row) : undefined;
  }

  /** Creates or replaces a member. */
  async putMember(member: Member): Promise<void> {
    await this.members.upsertEntity<Member>({ ...keys.member(member.tenantId, member.aadObjectId), ...member }, 'Replace');
  }

  /** Creates a member only when none exists (a concurrent second create is a no-op). Returns the stored one. */
  async createMemberIfAbsent(member: Member): Promise<Member> {
    try {
      await this.members.createEntity<Member>({ ...keys.member(member.tenantId, member.aadObjectId), ...member });
      return member;
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
      return (await this.getMember(member.tenantId, member.aadObjectId)) ?? member;
    }
  }

  async updateMember(
    tenantId: string,
    aadObjectId: string,
    change: (current: Member) => Member | undefined,
  ): Promise<Member | undefined> {
    const k = keys.member(tenantId, aadObjectId);
    const row = await updateWithEtag<Member>(this.members, k.partitionKey, k.rowKey, (current) => {
      if (!current) return undefined;
      const next = change(memberSchema.parse(current));
      return next ? { ...k, ...next } : undefined;
    });
    return row ? memberSchema.parse(row) : undefined;
  }

  async deleteMember(tenantId: string, aadObjectId: string): Promise<boolean> {
    const k = keys.member(tenantId, aadObjectId);
    try {
      await this.members.deleteEntity(k.partitionKey, k.rowKey);
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  }

  /** True while the table holds no row at all: no member, nobody removed, no guarded change ever made. */
  async isEmpty(): Promise<boolean> {
    for await (const page of this.members.listEntities().byPage({ maxPageSize: 1 })) return page.length === 0;
    return true;
  }

  async listMembers(): Promise<Member[]> {
    const out: Member[] = [];
    const filter = odata`PartitionKey eq ${keys.memberPartition} and RowKey ne ${GUARD_ROW}`;
    for await (const row of this.members.listEntities<Member>({ queryOptions: { filter } })) {
      out.push(memberSchema.parse(row));
    }
    return out;
  }

  /**
   * Changes or removes one member under the guard row: `change` sees the current member and all members as
   * they are at that moment, and may throw to refuse. Retried when another guarded change came first.
   */
  async guardedChange(tenantId: string, aadObjectId: string, change: GuardedChange): Promise<Member | undefined> {
    const k = keys.member(tenantId, aadObjectId);
    return retryOnConflict(async () => {
      let guard = await getOrUndefined<{ version: number }>(this.members, keys.guard.partitionKey, keys.guard.rowKey);
      if (!guard) {
        // The first guarded change ever: make the guard row (or find another's), then read it.
        await this.members.createEntity({ ...keys.guard, version: 0 }).catch((err: unknown) => {
          if (!isStatus(err, 409)) throw err;
        });
        guard = await getOrUndefined<{ version: number }>(this.members, keys.guard.partitionKey, keys.guard.rowKey);
        if (!guard) throw new Error('The members guard row could not be made');
      }
      const members = await this.listMembers();
      const current = members.find((m) => samePerson(m, { tenantId, aadObjectId }));
      if (!current) return undefined;
      const next = change(current, members);
      const actions: TransactionAction[] = [
        ['update', { ...keys.guard, version: Number(guard.version ?? 0) + 1 }, 'Replace', { etag: guard.etag }],
        next === 'delete' ? ['delete', k] : ['update', { ...k, ...next }, 'Replace'],
      ];
      await this.members.submitTransaction(actions);
      return next === 'delete' ? current : next;
    }, { attempts: 30, pauseMs: (attempt) => Math.random() * 20 * attempt });
  }

  async markRemoved(tenantId: string, aadObjectId: string, at: string): Promise<void> {
    await this.members.upsertEntity({ ...keys.removed(tenantId, aadObjectId), removedAt: at }, 'Replace');
  }

  async wasRemoved(tenantId: string, aadObjectId: string): Promise<boolean> {
    const k = keys.removed(tenantId, aadObjectId);
    return Boolean(await getOrUndefined(this.members, k.partitionKey, k.rowKey));
  }

  async clearRemoved(tenantId: string, aadObjectId: string): Promise<void> {
    const k = keys.removed(tenantId, aadObjectId);
    await this.members.deleteEntity(k.partitionKey, k.rowKey).catch((err: unknown) => {
      if (!isStatus(err, 404)) throw err;
    });
  }

  async getRequest(tenantId: string, aadObjectId: string): Promise<AccessRequest | undefined> {
    const k = keys.accessRequest(tenantId, aadObjectId);
    const row = await getOrUndefined<AccessRequest>(this.requests, k.partitionKey, k.rowKey);
    return row ? accessRequestSchema.parse(row) : undefined;
  }

  async putRequest(request: AccessRequest): Promise<void> {
    const k = keys.accessRequest(request.tenantId, request.aadObjectId);
    await this.requests.upsertEntity<AccessRequest>({ ...k, ...request }, 'Replace');
  }

  /**
   * Moves a pending request to a decision. Only one caller wins when two secretariaat members decide at once:
   * the ETag makes the second see the first's decision.
   */
  async decideRequest(
    tenantId: string,
    aadObjectId: string,
    decide: (current: AccessRequest) => AccessRequest | undefined,
  ): Promise<{ request: AccessRequest; changed: boolean } | undefined> {
    const k = keys.accessRequest(tenantId, aadObjectId);
    let changed = false;
    const row = await updateWithEtag<AccessRequest>(this.requests, k.partitionKey, k.rowKey, (current) => {
      changed = false;
      if (!current) return undefined;
      const next = decide(accessRequestSchema.parse(current));
      if (!next) return undefined;
      changed = true;
      return { ...k, ...next };
    });
    return row ? { request: accessRequestSchema.parse(row), changed } : undefined;
  }

  async listRequests(status: AccessRequest['status']): Promise<AccessRequest[]> {
    const filter = odata`PartitionKey eq ${keys.accessRequestPartition} and status eq ${status}`;
    const out: AccessRequest[] = [];
    for await (const row of this.requests.listEntities<AccessRequest>({ queryOptions: { filter } })) {
      out.push(accessRequestSchema.parse(row));
    }
    return out;
  }

  async deleteRequest(tenantId: string, aadObjectId: string): Promise<void> {
    const k = keys.accessRequest(tenantId, aadObjectId);
    try {
      await this.requests.deleteEntity(k.partitionKey, k.rowKey);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }

  /** Loads the reference list; running it again changes nothing that is already the same. */
  async upsertOrganisations(organisations: Organisation[]): Promise<void> {
    await Promise.all(
      organisations.map((o) => this.organisations.upsertEntity<Organisation>({ ...keys.organisation(o.id), ...o }, 'Replace')),
    );
  }

  async listOrganisations(): Promise<Organisation[]> {
    const out: Organisation[] = [];
    const filter = odata`PartitionKey eq ${keys.organisationPartition}`;
    for await (const row of this.organisations.listEntities<Organisation>({ queryOptions: { filter } })) {
      out.push(organisationSchema.parse(row));
    }
    return out;
  }
}
