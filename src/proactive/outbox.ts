// The outbox: every proactive message is one row in Table Storage (per batch and recipient) and travels as a
// message on the work queue. The row's state, changed only with ETags, makes a redelivered queue message a
// no-op, so each recipient gets a message once, through crashes, restarts and several instances.
// Rows hold who it is for, a kind and a few ids; the text is built by the kind's renderer when it is sent,
// in the recipient's language and with what they may see at that moment.
import type { TableClient } from '@azure/data-tables';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Locale } from '../i18n';
import type { PersonId } from '../identity';
import { encodeKey, odataString, personKey } from '../storage/keys';
import { getOrUndefined, isStatus, type Tables } from '../storage/tables';
import type { WorkQueue } from './queue';

export const OUTBOX_TABLE = 'Outbox';

export type Recipient = { tenantId: string; aadObjectId: string } | { conversationId: string };

export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'unreachable', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const FINAL_STATES: ReadonlySet<DeliveryState> = new Set(['sent', 'failed', 'unreachable', 'skipped']);

/** What a capability asks to send. `batch` makes it unique: the same batch and recipient is sent once. */
export interface OutboxMessage {
  /** E.g. `digest-2026-03-02T07:00:00.000Z` or `dilemma-D-2026-014-status-geagendeerd`; letters, digits, - _ . : */
  batch: string;
  recipient: Recipient;
  /** The renderer that builds it at send time, e.g. 'agenda.digest'. */
  kind: string;
  /** Ids the renderer needs; no text and no more personal data than needed. */
  data: Record<string, string | number | boolean>;
}

export interface Delivery {
  batch: string;
  key: string;
  kind: string;
  data: Record<string, string | number | boolean>;
  recipient: Recipient;
  state: DeliveryState;
  attempts: number;
  lastError: string;
  createdAt: string;
  updatedAt: string;
  sentAt: string;
  leaseUntil: number;
  nextAttemptAt: number;
  conversationId: string;
  activityId: string;
  readAt: string;
  etag: string;
}

/** Builds the activity for one recipient; undefined when there is nothing (left) to send them. */
export type Renderer = (input: { data: Record<string, string | number | boolean>; recipient: Recipient; locale: Locale }) => Promise<Partial<Activity> | undefined>;

/** Work that runs once per queue message, on any instance (e.g. a digest's fan-out). Must be idempotent. */
export type JobHandler = (data: Record<string, string | number | boolean>) => Promise<void>;

const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);
const recipientSchema = z.union([
  z.object({ tenantId: z.string().min(1).max(64), aadObjectId: z.string().min(1).max(64) }),
  z.object({ conversationId: z.string().min(1).max(300) }),
]);
const batchSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/);
export const queueBodySchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('send'), batch: batchSchema, kind: z.string().max(100), data: z.record(scalar), recipient: recipientSchema }),
  z.object({ t: z.literal('job'), name: z.string().max(100), data: z.record(scalar) }),
]);
export type QueueBody = z.infer<typeof queueBodySchema>;

export function recipientKey(recipient: Recipient): string {
  return 'conversationId' in recipient ? `c|${encodeKey(recipient.conversationId)}` : personKey(recipient.tenantId, recipient.aadObjectId);
}

type Row = {
  partitionKey: string;
  rowKey: string;
  kind: string;
  data: string;
  tenantId: string;
  aadObjectId: string;
  recipientConversationId: string;
  state: string;
  attempts: number;
  lastError: string;
  createdAt: string;
  updatedAt: string;
  sentAt: string;
  leaseUntil: number;
  nextAttemptAt: number;
  conversationId: string;
  activityId: string;
  readAt: string;
};

function fromRow(row: Row & { etag?: string }): Delivery {
  return {
    batch: row.partitionKey,
    key: row.rowKey,
    kind: row.kind,
    data: JSON.parse(row.data) as Delivery['data'],
    recipient: row.recipientConversationId
      ? { conversationId: row.recipientConversationId }
      : { tenantId: row.tenantId, aadObjectId: row.aadObjectId },
    state: row.state as DeliveryState,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    sentAt: row.sentAt,
    leaseUntil: row.leaseUntil,
    nextAttemptAt: row.nextAttemptAt,
    conversationId: row.conversationId,
    activityId: row.activityId,
    readAt: row.readAt,
    etag: row.etag ?? '',
  };
}

function toRow(d: Omit<Delivery, 'etag'>): Row {
  const person = 'conversationId' in d.recipient ? undefined : d.recipient;
  return {
    partitionKey: d.batch,
    rowKey: d.key,
    kind: d.kind,
    data: JSON.stringify(d.data),
    tenantId: person?.tenantId ?? '',
    aadObjectId: person?.aadObjectId ?? '',
    recipientConversationId: 'conversationId' in d.recipient ? d.recipient.conversationId : '',
    state: d.state,
    attempts: d.attempts,
    lastError: d.lastError,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    sentAt: d.sentAt,
    leaseUntil: d.leaseUntil,
    nextAttemptAt: d.nextAttemptAt,
    conversationId: d.conversationId,
    activityId: d.activityId,
    readAt: d.readAt,
  };
}

export interface BatchReport {
  total: number;
  sent: number;
  failed: number;
  unreachable: number;
  pending: number;
  skipped: number;
  /** Of the sent ones, how many Teams said were read; undefined when no read receipt came at all. */
  read: number;
  unreachablePeople: PersonId[];
}

export class Outbox {
  private readonly table: TableClient;
  readonly renderers = new Map<string, Renderer>();
  readonly jobs = new Map<string, JobHandler>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    tables: Tables,
    readonly queue: WorkQueue,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.table = tables.client(OUTBOX_TABLE);
  }

  /** Registers how a kind of message is built at send time (capabilities do this in build()). */
  renderer(kind: string, render: Renderer): void {
    if (this.renderers.has(kind)) throw new Error(`Two renderers for outbox kind "${kind}"`);
    this.renderers.set(kind, render);
  }

  /** Registers a job that queue messages can ask for (capabilities do this in build()). */
  job(name: string, handler: JobHandler): void {
    if (this.jobs.has(name)) throw new Error(`Two handlers for job "${name}"`);
    this.jobs.set(name, handler);
  }

  /**
   * Puts a message in the outbox, once per batch and recipient: enqueueing the same again does nothing.
   * The queue message goes first: if the process dies right after, the worker creates the row from it.
   */
  async enqueue(message: OutboxMessage): Promise<'queued' | 'exists'> {
    const body = this.bodyOf(message);
    if (await getOrUndefined(this.table, body.batch, recipientKey(body.recipient))) return 'exists';
    await this.queue.send(JSON.stringify(body));
    await this.createRow(body);
    return 'queued';
  }

  /**
   * Enqueues after the turn, for callers that cannot wait (a notifier must not throw); a failure is logged by
   * `onError`. drain() waits for what is still being enqueued (shutdown, tests).
   */
  enqueueSoon(message: OutboxMessage | (() => Promise<OutboxMessage[]>), onError: (err: unknown) => void): void {
    const work = typeof message === 'function' ? message().then((all) => this.enqueueMany(all)) : this.enqueue(message);
    const running: Promise<unknown> = work
      .catch(onError)
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /**
   * Many at once (a digest's fan-out). Reads which rows the batches have already (a fan-out run again after a
   * crash adds nothing), sends the queue messages a few in parallel, then writes the rows a hundred at a time
   * (one transaction per batch partition): far fewer storage calls than one by one.
   */
  async enqueueMany(messages: OutboxMessage[], parallel = 16): Promise<{ queued: number; existed: number }> {
    const bodies = messages.map((m) => this.bodyOf(m));
    const existing = new Set<string>();
    for (const batch of new Set(bodies.map((b) => b.batch))) {
      const filter = `PartitionKey eq ${odataString(batch)}`;
      for await (const row of this.table.listEntities<Row>({ queryOptions: { filter, select: ['RowKey'] } })) existing.add(`${batch}|${row.rowKey}`);
    }
    const fresh = bodies.filter((b) => !existing.has(`${b.batch}|${recipientKey(b.recipient)}`));
    const unique = [...new Map(fresh.map((b) => [`${b.batch}|${recipientKey(b.recipient)}`, b])).values()];
    for (let start = 0; start < unique.length; start += 100) {
      const chunk = unique.slice(start, start + 100);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(parallel, chunk.length) }, async () => {
          while (next < chunk.length) await this.queue.send(JSON.stringify(chunk[next++]));
        }),
      );
      await this.createRows(chunk);
    }
    return { queued: unique.length, existed: bodies.length - fresh.length };
  }

  private bodyOf(message: OutboxMessage): Extract<QueueBody, { t: 'send' }> {
    const recipient: Recipient =
      'conversationId' in message.recipient
        ? message.recipient
        : { tenantId: message.recipient.tenantId.toLowerCase(), aadObjectId: message.recipient.aadObjectId.toLowerCase() };
    return queueBodySchema.parse({ t: 'send', ...message, recipient }) as Extract<QueueBody, { t: 'send' }>;
  }

  /** Creates rows in transactions per partition; when one already exists, falls back to one by one. */
  private async createRows(bodies: Array<Extract<QueueBody, { t: 'send' }>>): Promise<void> {
    const byBatch = new Map<string, Array<Extract<QueueBody, { t: 'send' }>>>();
    for (const b of bodies) byBatch.set(b.batch, [...(byBatch.get(b.batch) ?? []), b]);
    for (const group of byBatch.values()) {
      try {
        await this.table.submitTransaction(group.map((b) => ['create', toRow(this.newDelivery(b))] as ['create', Row]));
      } catch (err) {
        if (!isStatus(err, 409) && !isStatus(err, 400)) throw err;
        for (const b of group) await this.createRow(b);
      }
    }
  }

  /** Asks any instance to run a job once. */
  async runJob(name: string, data: Record<string, string | number | boolean> = {}): Promise<void> {
    await this.queue.send(JSON.stringify(queueBodySchema.parse({ t: 'job', name, data })));
  }

  /** The row of a queue message, made from the message if the enqueuer died before writing it. */
  async rowFor(body: Extract<QueueBody, { t: 'send' }>): Promise<Delivery> {
    const key = recipientKey(body.recipient);
    const existing = await getOrUndefined<Row>(this.table, body.batch, key);
    if (existing) return fromRow(existing);
    await this.createRow(body);
    const created = await getOrUndefined<Row>(this.table, body.batch, key);
    if (!created) throw new Error('outbox row vanished');
    return fromRow(created);
  }

  private newDelivery(body: Extract<QueueBody, { t: 'send' }>): Omit<Delivery, 'etag'> {
    const at = this.now().toISOString();
    return {
      batch: body.batch,
      key: recipientKey(body.recipient),
      kind: body.kind,
      data: body.data,
      recipient: body.recipient,
      state: 'pending',
      attempts: 0,
      lastError: '',
      createdAt: at,
      updatedAt: at,
      sentAt: '',
      leaseUntil: 0,
      nextAttemptAt: 0,
      conversationId: '',
      activityId: '',
      readAt: '',
    };
  }

  private async createRow(body: Extract<QueueBody, { t: 'send' }>): Promise<void> {
    try {
      await this.table.createEntity(toRow(this.newDelivery(body)));
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
  }

  /** Writes a changed delivery only if nobody changed it since it was read; false when someone did. */
  async change(delivery: Delivery, changes: Partial<Omit<Delivery, 'batch' | 'key' | 'etag'>>): Promise<Delivery | undefined> {
    const next = { ...delivery, ...changes, updatedAt: this.now().toISOString() };
    try {
      const result = await this.table.updateEntity(toRow(next), 'Replace', { etag: delivery.etag });
      return { ...next, etag: result.etag ?? '' };
    } catch (err) {
      if (isStatus(err, 412) || isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  async get(batch: string, recipient: Recipient): Promise<Delivery | undefined> {
    const row = await getOrUndefined<Row>(this.table, batch, recipientKey(recipient));
    return row ? fromRow(row) : undefined;
  }

  async list(batch: string): Promise<Delivery[]> {
    const out: Delivery[] = [];
    const filter = `PartitionKey eq ${odataString(batch)}`;
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) out.push(fromRow(row));
    return out;
  }

  /** Sent, failed, unreachable and pending of one batch, and who could not be reached. */
  async report(batch: string): Promise<BatchReport> {
    const rows = await this.list(batch);
    const count = (...states: DeliveryState[]) => rows.filter((r) => states.includes(r.state)).length;
    return {
      total: rows.length,
      sent: count('sent'),
      failed: count('failed'),
      unreachable: count('unreachable'),
      pending: count('pending', 'sending'),
      skipped: count('skipped'),
      read: rows.filter((r) => r.readAt).length,
      unreachablePeople: rows
        .filter((r) => r.state === 'unreachable' && !('conversationId' in r.recipient))
        .map((r) => r.recipient as PersonId),
    };
  }

  /** A read receipt from a personal chat: everything sent there up to that message is read. */
  async markRead(conversationId: string, lastReadMessageId: string): Promise<number> {
    let marked = 0;
    const filter = `conversationId eq ${odataString(conversationId)} and state eq 'sent' and readAt eq ''`;
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) {
      const d = fromRow(row);
      if (!d.activityId || !isReadUpTo(d.activityId, lastReadMessageId)) continue;
      if (await this.change(d, { readAt: this.now().toISOString() })) marked++;
    }
    return marked;
  }

  /** Everything the outbox holds about one person (privacy export). */
  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const rows = await this.ofPerson(person);
    return {
      deliveries: rows.map((r) => ({ batch: r.batch, kind: r.kind, state: r.state, createdAt: r.createdAt, sentAt: r.sentAt, readAt: r.readAt })),
    };
  }

  /** Erases one person's delivery rows (privacy). */
  async erase(person: PersonId): Promise<void> {
    for (const r of await this.ofPerson(person)) await this.deleteRow(r.batch, r.key);
  }

  /** Deletes delivery rows older than the retention period; returns how many. */
  async prune(olderThan: Date): Promise<number> {
    let removed = 0;
    const filter = `createdAt lt ${odataString(olderThan.toISOString())}`;
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) {
      // A message still under way is kept until it ends.
      if (!FINAL_STATES.has(row.state as DeliveryState)) continue;
      await this.deleteRow(row.partitionKey, row.rowKey);
      removed++;
    }
    return removed;
  }

  private async ofPerson(person: PersonId): Promise<Delivery[]> {
    const out: Delivery[] = [];
    const filter = `tenantId eq ${odataString(person.tenantId.toLowerCase())} and aadObjectId eq ${odataString(person.aadObjectId.toLowerCase())}`;
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) out.push(fromRow(row));
    return out;
  }

  private async deleteRow(partitionKey: string, rowKey: string): Promise<void> {
    try {
      await this.table.deleteEntity(partitionKey, rowKey);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }
}

/** Teams message ids in a chat grow with time (they are timestamps); a receipt covers every id up to its own. */
function isReadUpTo(activityId: string, lastRead: string): boolean {
  const a = Number(activityId);
  const b = Number(lastRead);
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 && a <= b;
}
