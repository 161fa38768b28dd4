// Where the bot can reach people and channels: conversation references kept in Table Storage.
import type { ConversationReference } from 'botbuilder';
import { keys, odataString } from '../storage/keys';
import { getOrUndefined, isStatus, type Tables } from '../storage/tables';

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

  constructor(private readonly tables: Tables) {}

  /** Saves a conversation; for a personal chat also under the person, so they can be reached by who they are. */
  async save(ref: StoredReference, options: { onlyOnce?: boolean } = {}): Promise<void> {
    const conversationId = ref.reference.conversation?.id;
    if (!conversationId) return;
    const seenKey = `${conversationId}|${ref.locale}`;
    if (options.onlyOnce && this.seen.has(seenKey)) return;
    const writes = [this.tables.Conversations.upsertEntity(toRow(keys.conversation(conversationId), ref), 'Replace')];
    if (ref.conversationType === 'personal' && ref.aadObjectId) {
      writes.push(this.tables.Conversations.upsertEntity(toRow(keys.personalChat(ref.tenantId, ref.aadObjectId), ref), 'Replace'));
    }
    await Promise.all(writes);
    this.seen.add(seenKey);
    if (this.seen.size > 10_000) this.seen.clear();
  }

  async personalChat(tenantId: string, aadObjectId: string): Promise<StoredReference | undefined> {
    const k = keys.personalChat(tenantId, aadObjectId);
    const row = await getOrUndefined<Row>(this.tables.Conversations, k.partitionKey, k.rowKey);
    return row ? fromRow(row) : undefined;
  }

  async conversation(conversationId: string): Promise<StoredReference | undefined> {
    const k = keys.conversation(conversationId);
    const row = await getOrUndefined<Row>(this.tables.Conversations, k.partitionKey, k.rowKey);
    return row ? fromRow(row) : undefined;
  }

  async listConversations(): Promise<StoredReference[]> {
    const out: StoredReference[] = [];
    const filter = `PartitionKey eq ${odataString(keys.conversationPartition)}`;
    for await (const row of this.tables.Conversations.listEntities<Row>({ queryOptions: { filter } })) out.push(fromRow(row));
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
          await this.tables.Conversations.deleteEntity(k.partitionKey, k.rowKey);
        } catch (err) {
          if (!isStatus(err, 404)) throw err;
        }
      }),
    );
    for (const key of [...this.seen]) if (key.startsWith(`${conversationId}|`)) this.seen.delete(key);
  }
}
