// Plans, their history and followers in Table Storage. The only code that knows their keys.
//
// Everything lives in one partition, so a plan, its history entry and the version row are written in one
// transaction: a crash never leaves a plan without its history. The version row goes up with every write and
// each plan row carries the version it was written at, so a bot process learns what changed elsewhere with one
// point read, and fetches only those plans.
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { encodeKey, personKey } from '../../storage/keys';
import { getOrUndefined, isStatus, type Tables } from '../../storage/tables';
import type { PersonId } from '../../identity';
import { historyEntrySchema, planSchema, type HistoryEntry, type Plan } from './model';

export const PLAN_TABLES = { plans: 'Plans' } as const;

const PARTITION = 'plans';
/** Import reports waiting for their message: not plans, so plan queries never read them. */
const IMPORT_PARTITION = 'imports';
const keys = {
  version: 'version',
  plan: (id: string) => `p|${encodeKey(id)}`,
  planRange: ['p|', 'p}'] as const,
  history: (id: string, seq: number, index: number) => `h|${encodeKey(id)}|${String(seq).padStart(12, '0')}|${String(index).padStart(3, '0')}`,
  historyRange: (id: string) => [`h|${encodeKey(id)}|`, `h|${encodeKey(id)}}`] as const,
  historyAll: ['h|', 'h}'] as const,
  follower: (id: string, person: string) => `f|${encodeKey(id)}|${person}`,
  followerRange: (id: string) => [`f|${encodeKey(id)}|`, `f|${encodeKey(id)}}`] as const,
  following: (person: string, id: string) => `w|${person}|${encodeKey(id)}`,
  followingRange: (person: string) => [`w|${person}|`, `w|${person}}`] as const,
};

/** Azure allows 100 operations in one transaction: the version row plus a plan and its history entry each. */
export const PLANS_PER_WRITE = 49;

/** Someone else wrote in between (a plan's ETag or the version row): re-read and decide again. */
export class WriteConflict extends Error {}

export interface PlanWrite {
  plan: Plan;
  /** The ETag the plan was read with; undefined for a new plan. */
  etag: string | undefined;
  /** Undefined for a change that is no change of the plan's content (making a changer anonymous). */
  history: HistoryEntry | undefined;
}

interface StoredPlan {
  plan: Plan;
  etag: string;
  seq: number;
}

const rangeFilter = ([from, to]: readonly [string, string]) =>
  odata`PartitionKey eq ${PARTITION} and RowKey ge ${from} and RowKey lt ${to}`;

function planOf(row: Record<string, unknown>): StoredPlan {
  return { plan: planSchema.parse(JSON.parse(String(row.data))), etag: String(row.etag), seq: Number(row.seq) };
}

export class PlanStore {
  private readonly table: TableClient;

  constructor(tables: Tables) {
    this.table = tables.client(PLAN_TABLES.plans);
  }

  /** Keeps an import report (as one message shows it) until its message is sent; its own partition. */
  async saveImportReport(id: string, reportJson: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: IMPORT_PARTITION, rowKey: encodeKey(id), report: reportJson, at: new Date().toISOString() }, 'Replace');
  }

  async importReport(id: string): Promise<string | undefined> {
    const row = await getOrUndefined<{ report?: string }>(this.table, IMPORT_PARTITION, encodeKey(id));
    return typeof row?.report === 'string' ? row.report : undefined;
  }

  /** The number of writes so far: one point read. */
  async version(): Promise<number> {
    const row = await getOrUndefined<{ value: number }>(this.table, PARTITION, keys.version);
    return row ? Number(row.value) : 0;
  }

  /** The plans written after version `seq` (all of them for 0). Not for a chat turn unless the version moved. */
  async plansSince(seq: number): Promise<StoredPlan[]> {
    const out: StoredPlan[] = [];
    const filter = `${rangeFilter(keys.planRange)}${seq > 0 ? ` and seq gt ${Math.floor(seq)}` : ''}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(planOf(row));
    return out;
  }

  async get(id: string): Promise<StoredPlan | undefined> {
    const row = await getOrUndefined<Record<string, unknown>>(this.table, PARTITION, keys.plan(id));
    return row ? planOf(row) : undefined;
  }

  /**
   * Writes plans and their history entries, and moves the version on, all or nothing. Throws WriteConflict
   * when a plan changed since it was read (or a new one exists already), or another write came first.
   */
  async write(writes: PlanWrite[]): Promise<StoredPlan[]> {
    if (!writes.length) return [];
    if (writes.length > PLANS_PER_WRITE) throw new Error(`At most ${PLANS_PER_WRITE} plans per write`);
    const version = await getOrUndefined<{ value: number }>(this.table, PARTITION, keys.version);
    const seq = (version ? Number(version.value) : 0) + 1;
    const versionRow = { partitionKey: PARTITION, rowKey: keys.version, value: seq };
    const actions: TransactionAction[] = [
      version ? ['update', versionRow, 'Replace', { etag: version.etag }] : ['create', versionRow],
    ];
    writes.forEach((w, index) => {
      const planRow = {
        partitionKey: PARTITION,
        rowKey: keys.plan(w.plan.id),
        seq,
        data: JSON.stringify(w.plan),
        byKey: w.plan.updatedBy.aadObjectId ? personKey(w.plan.updatedBy.tenantId, w.plan.updatedBy.aadObjectId) : '',
      };
      actions.push(w.etag ? ['update', planRow, 'Replace', { etag: w.etag }] : ['create', planRow]);
      if (!w.history) return;
      actions.push([
        'create',
        {
          partitionKey: PARTITION,
          rowKey: keys.history(w.plan.id, seq, index),
          data: JSON.stringify(w.history),
          byKey: w.history.by.aadObjectId ? personKey(w.history.by.tenantId, w.history.by.aadObjectId) : '',
        },
      ]);
    });
    let response;
    try {
      response = await this.table.submitTransaction(actions);
    } catch (err) {
      if (isStatus(err, 412) || isStatus(err, 409)) throw new WriteConflict('A plan or the version changed in between');
      throw err;
    }
    // Each plan's new ETag, so the next change of it (another import) needs no read first.
    return writes.map((w) => ({ plan: w.plan, seq, etag: response.getResponseForEntity(keys.plan(w.plan.id))?.etag ?? '' }));
  }

  /** The history of one plan, oldest first (its own range of keys: no scan of other plans). */
  async history(id: string): Promise<HistoryEntry[]> {
    const out: HistoryEntry[] = [];
    const filter = rangeFilter(keys.historyRange(id));
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push(historyEntrySchema.parse(JSON.parse(String(row.data))));
    }
    return out;
  }

  async isFollowing(id: string, person: PersonId): Promise<boolean> {
    return Boolean(await getOrUndefined(this.table, PARTITION, keys.follower(id, personKey(person.tenantId, person.aadObjectId))));
  }

  /** Follows or unfollows; both directions of the link are written together. */
  async setFollowing(id: string, person: PersonId, follow: boolean): Promise<void> {
    const key = personKey(person.tenantId, person.aadObjectId);
    const rows = [
      { partitionKey: PARTITION, rowKey: keys.follower(id, key), tenantId: person.tenantId, aadObjectId: person.aadObjectId, planId: id },
      { partitionKey: PARTITION, rowKey: keys.following(key, id), tenantId: person.tenantId, aadObjectId: person.aadObjectId, planId: id },
    ];
    if (follow) {
      await this.table.submitTransaction(rows.map((r): TransactionAction => ['upsert', r, 'Replace']));
      return;
    }
    for (const r of rows) await this.table.deleteEntity(r.partitionKey, r.rowKey).catch((err) => (isStatus(err, 404) ? undefined : Promise.reject(err)));
  }

  async followers(id: string): Promise<PersonId[]> {
    const out: PersonId[] = [];
    for await (const row of this.table.listEntities<{ tenantId: string; aadObjectId: string }>({
      queryOptions: { filter: rangeFilter(keys.followerRange(id)) },
    })) {
      out.push({ tenantId: row.tenantId, aadObjectId: row.aadObjectId });
    }
    return out;
  }

  /** The ids of the plans a person follows. */
  async followedBy(person: PersonId): Promise<string[]> {
    const out: string[] = [];
    const filter = rangeFilter(keys.followingRange(personKey(person.tenantId, person.aadObjectId)));
    for await (const row of this.table.listEntities<{ planId: string }>({ queryOptions: { filter } })) out.push(row.planId);
    return out;
  }

  /** History entries a person made: for privacy export and erasure only, never on a chat turn. */
  async historyBy(person: PersonId): Promise<Array<{ rowKey: string; entry: HistoryEntry }>> {
    const out: Array<{ rowKey: string; entry: HistoryEntry }> = [];
    const filter = `${rangeFilter(keys.historyAll)} and ${odata`byKey eq ${personKey(person.tenantId, person.aadObjectId)}`}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push({ rowKey: String(row.rowKey), entry: historyEntrySchema.parse(JSON.parse(String(row.data))) });
    }
    return out;
  }

  async replaceHistory(rowKey: string, entry: HistoryEntry): Promise<void> {
    await this.table.updateEntity({ partitionKey: PARTITION, rowKey, data: JSON.stringify(entry), byKey: '' }, 'Replace');
  }

  /** Plans last changed by a person: for privacy only. */
  async plansChangedBy(person: PersonId): Promise<StoredPlan[]> {
    const out: StoredPlan[] = [];
    const filter = `${rangeFilter(keys.planRange)} and ${odata`byKey eq ${personKey(person.tenantId, person.aadObjectId)}`}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(planOf(row));
    return out;
  }
}
