// Where the bot can reach people and channels: conversation references kept in Table Storage.
import type { ConversationReference } from 'botbuilder';
import { encodeKey, personKey } from '../storage/keys';
import { odata, type TableClient } from '@azure/data-tables';
import { getOrUndefined, isStatus, type Tables } from '../storage/tables';

/** The core's table of conversations the bot is in. */
export const REFERENCE_TABLE = 'Conversations';

const keys = {
  /** A conversation the bot is in (personal chat, group chat, channel). */
  conversation: (conversationId: string) => ({ partitionKey: 'conversation', rowKey: encodeKey(conversationId) }),
  conversationPartition: 'conversation',
  /** The personal chat of one person, so the bot can reach them proactively. */
  personalChat: (tenantId: string, aadObjectId: string) => ({ partitionKey: 'personal', rowKey: personKey(tenantId, aadObjectId) }),
};

export interface StoredReference {
  reference: Partial<ConversationReference>;
  conversationType: string;
  locale: string;
  tenantId: string;
  aadObjectId?: string;
  updatedAt: string;
}

type Row = { partitionKey: string; rowKey: string; reference: string; conversationType: string; locale: string; tenantId: string; aadObjectId?: string; updatedAt: string };

function toRow(k: { partitionKey: string; rowKey: string }, r: StoredReference): Row {
  return { ...k, ...r, reference: JSON.stringify(r.reference) };
}

function fromRow(row: Row): StoredReference {
  return {
    reference: JSON.parse(row.reference) as Partial<ConversationReference>,
    conversationType: row.conversationType,
    locale: row.locale,
    tenantId: row.tenantId,
    ...(row.aadObjectId ? { aadObjectId: row.aadObjectId } : {}),
    updatedAt: row.updatedAt,
  };
}

export class ReferenceStore {
  // Conversations already saved by this process: saves once per process, not on every turn.
  private readonly seen = new Set<string>();

  private readonly table: TableClient;

  constructor(tables: Tables) {
    this.table = tables.client(REFERENCE_TABLE);
  }

  /** Saves a conversation; for a personal chat also under the person, so they can be reached by who they are. */
  async save(ref: StoredReference, options: { onlyOnce?: boolean } = {}): Promise<void> {
    const conversationId = ref.reference.conversation?.id;
    if (!conversationId) return;
    const seenKey = `${conversationId}|${ref.locale}`;
    if (options.onlyOnce && this.seen.has(seenKey)) return;
    const writes = [this.table.upsertEntity(toRow(keys.conversation(conversationId), ref), 'Replace')];
    if (ref.conversationType === 'personal' && ref.aadObjectId) {
      writes.push(this.table.upsertEntity(toRow(keys.personalChat(ref.tenantId, ref.aadObjectId), ref), 'Replace'));
    }
    await Promise.all(writes);
    this.seen.add(seenKey);
    if (this.seen.size > 10_000) this.seen.clear();
  }

  async personalChat(tenantId: string, aadObjectId: string): Promise<StoredReference | undefined> {
    const k = keys.personalChat(tenantId, aadObjectId);
    const row = await getOrUndefined<Row>(this.table, k.partitionKey, k.rowKey);
    return row ? fromRow(row) : undefined;
  }

  async conversation(conversationId: string): Promise<StoredReference | undefined> {
    const k = keys.conversation(conversationId);
    const row = await getOrUndefined<Row>(this.table, k.partitionKey, k.rowKey);
    return row ? fromRow(row) : undefined;
  }

  async listConversations(): Promise<StoredReference[]> {
    const out: StoredReference[] = [];
    const filter = odata`PartitionKey eq ${keys.conversationPartition}`;
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) out.push(fromRow(row));
    return out;
  }

  /** Forgets a conversation (uninstalled, team deleted, or Teams says it is gone for good). */
  async remove(conversationId: string): Promise<void> {
    const existing = await this.conversation(conversationId);
    const deletes = [keys.conversation(conversationId)];
    if (existing?.conversationType === 'personal' && existing.aadObjectId) {
      deletes.push(keys.personalChat(existing.tenantId, existing.aadObjectId));
    }
    await Promise.all(
      deletes.map(async (k) => {
        try {
          await this.table.deleteEntity(k.partitionKey, k.rowKey);
        } catch (err) {
          if (!isStatus(err, 404)) throw err;
        }
      }),
    );
    for (const key of [...this.seen]) if (key.startsWith(`${conversationId}|`)) this.seen.delete(key);
  }

  /** Forgets a person's personal chat (privacy erasure). */
  async removePerson(tenantId: string, aadObjectId: string): Promise<void> {
    const chat = await this.personalChat(tenantId, aadObjectId);
    const conversationId = chat?.reference.conversation?.id;
    if (conversationId) await this.remove(conversationId);
    const k = keys.personalChat(tenantId, aadObjectId);
    await this.table.deleteEntity(k.partitionKey, k.rowKey).catch((err: unknown) => {
      if (!isStatus(err, 404)) throw err;
    });
  }
}
