// BO meetings (with their agenda in the same row, so an edit or a new order is one ETag-checked write) and
// digest subscriptions in Table Storage. The only code that knows their keys.
import { odata, type TableClient } from '@azure/data-tables';
import { personKey } from '../../storage/keys';
import { getOrUndefined, isStatus, updateWithEtag, type Tables } from '../../storage/tables';
import type { PersonId } from '../../identity';
import { meetingSchema, type BoMeeting } from './model';

export const AGENDA_TABLES = { meetings: 'BoMeetings', subscriptions: 'DigestSubscriptions' } as const;

const keys = {
  meeting: (id: string) => ({ partitionKey: 'meeting', rowKey: id }),
  meetingPartition: 'meeting',
  subscription: (person: PersonId) => ({ partitionKey: 'subscription', rowKey: personKey(person.tenantId, person.aadObjectId) }),
};

type MeetingRow = Omit<BoMeeting, 'items' | 'addedAt'> & { items: string; addedAt: string };
type SubscriptionRow = { subscribed: boolean; tenantId: string; aadObjectId: string; updatedAt: string };

function toRow(m: BoMeeting) {
  return { ...keys.meeting(m.id), ...m, items: JSON.stringify(m.items), addedAt: JSON.stringify(m.addedAt) };
}

function fromRow(row: Record<string, unknown>): BoMeeting {
  return meetingSchema.parse({ ...row, items: JSON.parse(String(row.items)), addedAt: JSON.parse(String(row.addedAt)) });
}

export class AgendaStore {
  private readonly meetings: TableClient;
  private readonly subscriptions: TableClient;

  constructor(tables: Tables) {
    this.meetings = tables.client(AGENDA_TABLES.meetings);
    this.subscriptions = tables.client(AGENDA_TABLES.subscriptions);
  }

  async listMeetings(): Promise<BoMeeting[]> {
    const out: BoMeeting[] = [];
    const filter = odata`PartitionKey eq ${keys.meetingPartition}`;
    for await (const row of this.meetings.listEntities<MeetingRow>({ queryOptions: { filter } })) out.push(fromRow(row));
    return out;
  }

  async getMeeting(id: string): Promise<BoMeeting | undefined> {
    const k = keys.meeting(id);
    const row = await getOrUndefined<MeetingRow>(this.meetings, k.partitionKey, k.rowKey);
    return row ? fromRow(row) : undefined;
  }

  /** Creates a meeting; false when one exists on that day already. */
  async createMeeting(meeting: BoMeeting): Promise<boolean> {
    try {
      await this.meetings.createEntity(toRow(meeting));
      return true;
    } catch (err) {
      if (isStatus(err, 409)) return false;
      throw err;
    }
  }

  /** Changes a meeting with optimistic concurrency; `change` may throw to refuse, or return undefined for no change. */
  async updateMeeting(id: string, change: (current: BoMeeting) => BoMeeting | undefined): Promise<BoMeeting | undefined> {
    const k = keys.meeting(id);
    let result: BoMeeting | undefined;
    await updateWithEtag<MeetingRow>(this.meetings, k.partitionKey, k.rowKey, (row) => {
      if (!row) return undefined;
      const current = fromRow(row);
      const next = change(current);
      result = next ?? current;
      return next ? (toRow(next) as never) : undefined;
    });
    return result;
  }

  /** undefined when the person never said (then they are subscribed). */
  async subscription(person: PersonId): Promise<boolean | undefined> {
    const k = keys.subscription(person);
    const row = await getOrUndefined<SubscriptionRow>(this.subscriptions, k.partitionKey, k.rowKey);
    return row ? row.subscribed : undefined;
  }

  async setSubscription(person: PersonId, subscribed: boolean, at: string): Promise<void> {
    await this.subscriptions.upsertEntity(
      { ...keys.subscription(person), subscribed, tenantId: person.tenantId.toLowerCase(), aadObjectId: person.aadObjectId.toLowerCase(), updatedAt: at },
      'Replace',
    );
  }

  /** Everyone who said `digest uit`. */
  async unsubscribed(): Promise<Set<string>> {
    const out = new Set<string>();
    const filter = `PartitionKey eq 'subscription' and subscribed eq false`;
    for await (const row of this.subscriptions.listEntities<SubscriptionRow>({ queryOptions: { filter } })) out.add(row.rowKey ?? "");
    return out;
  }

  async deleteSubscription(person: PersonId): Promise<void> {
    const k = keys.subscription(person);
    try {
      await this.subscriptions.deleteEntity(k.partitionKey, k.rowKey);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }
}
