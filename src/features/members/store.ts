// Members, access requests and organisations in Table Storage: the only code here that knows keys and ETags.
import { keys, odataString } from '../../storage/keys';
import { getOrUndefined, isStatus, updateWithEtag, type Tables } from '../../storage/tables';
import {
  accessRequestSchema,
  memberSchema,
  organisationSchema,
  type AccessRequest,
  type Member,
  type Organisation,
} from './model';

// The zod schemas drop what Table Storage adds (partitionKey, rowKey, etag, timestamp) when they parse a row.
export class MemberStore {
  constructor(private readonly tables: Tables) {}

  async getMember(tenantId: string, aadObjectId: string): Promise<Member | undefined> {
    const k = keys.member(tenantId, aadObjectId);
    const row = await getOrUndefined<Member>(this.tables.Members, k.partitionKey, k.rowKey);
    return row ? memberSchema.parse(row) : undefined;
  }

  /** Creates or replaces a member. */
  async putMember(member: Member): Promise<void> {
    await this.tables.Members.upsertEntity<Member>({ ...keys.member(member.tenantId, member.aadObjectId), ...member }, 'Replace');
  }

  /** Creates a member only when none exists (a concurrent second create is a no-op). Returns the stored one. */
  async createMemberIfAbsent(member: Member): Promise<Member> {
    try {
      await this.tables.Members.createEntity<Member>({ ...keys.member(member.tenantId, member.aadObjectId), ...member });
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
    const row = await updateWithEtag<Member>(this.tables.Members, k.partitionKey, k.rowKey, (current) => {
      if (!current) return undefined;
      const next = change(memberSchema.parse(current));
      return next ? { ...k, ...next } : undefined;
    });
    return row ? memberSchema.parse(row) : undefined;
  }

  async deleteMember(tenantId: string, aadObjectId: string): Promise<boolean> {
    const k = keys.member(tenantId, aadObjectId);
    try {
      await this.tables.Members.deleteEntity(k.partitionKey, k.rowKey);
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  }

  async listMembers(): Promise<Member[]> {
    const out: Member[] = [];
    const filter = `PartitionKey eq ${odataString(keys.memberPartition)}`;
    for await (const row of this.tables.Members.listEntities<Member>({ queryOptions: { filter } })) {
      out.push(memberSchema.parse(row));
    }
    return out;
  }

  async getRequest(tenantId: string, aadObjectId: string): Promise<AccessRequest | undefined> {
    const k = keys.accessRequest(tenantId, aadObjectId);
    const row = await getOrUndefined<AccessRequest>(this.tables.AccessRequests, k.partitionKey, k.rowKey);
    return row ? accessRequestSchema.parse(row) : undefined;
  }

  async putRequest(request: AccessRequest): Promise<void> {
    const k = keys.accessRequest(request.tenantId, request.aadObjectId);
    await this.tables.AccessRequests.upsertEntity<AccessRequest>({ ...k, ...request }, 'Replace');
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
    const row = await updateWithEtag<AccessRequest>(this.tables.AccessRequests, k.partitionKey, k.rowKey, (current) => {
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
    const filter = `PartitionKey eq ${odataString(keys.accessRequestPartition)} and status eq ${odataString(status)}`;
    const out: AccessRequest[] = [];
    for await (const row of this.tables.AccessRequests.listEntities<AccessRequest>({ queryOptions: { filter } })) {
      out.push(accessRequestSchema.parse(row));
    }
    return out;
  }

  async deleteRequest(tenantId: string, aadObjectId: string): Promise<void> {
    const k = keys.accessRequest(tenantId, aadObjectId);
    try {
      await this.tables.AccessRequests.deleteEntity(k.partitionKey, k.rowKey);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }

  /** Loads the reference list; running it again changes nothing that is already the same. */
  async upsertOrganisations(organisations: Organisation[]): Promise<void> {
    await Promise.all(
      organisations.map((o) => this.tables.Organisations.upsertEntity<Organisation>({ ...keys.organisation(o.id), ...o }, 'Replace')),
    );
  }

  async listOrganisations(): Promise<Organisation[]> {
    const out: Organisation[] = [];
    const filter = `PartitionKey eq ${odataString(keys.organisationPartition)}`;
    for await (const row of this.tables.Organisations.listEntities<Organisation>({ queryOptions: { filter } })) {
      out.push(organisationSchema.parse(row));
    }
    return out;
  }
}
