// The outbox: every proactive message is one row in Table Storage (per batch and recipient) and travels as a
// message on the work queue. The row is written first, so a notice is kept as soon as the change that causes
// it; a row whose queue message could not be sent (queue away, crash in between) is put on the queue later by
// the sweeper. The row's state, changed only with ETags, makes a redelivered queue message a no-op, so each
// recipient gets a message once, through crashes, restarts, queue outages and several instances.
// Rows hold who it is for, a kind and a few ids; the text is built by the kind's renderer when it is sent,
// in the recipient's language and with what they may see at that moment.
import { odata, type TableClient } from '@azure/data-tables';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Locale } from '../i18n';
import type { PersonId } from '../identity';
import { encodeKey, personKey } from '../storage/keys';
import { getOrUndefined, isStatus, retryOnConflict, type Tables } from '../storage/tables';
import type { WorkQueue } from './queue';

export const OUTBOX_TABLE = 'Outbox';

type Recipient = { tenantId: string; aadObjectId: string } | { conversationId: string };

const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'unreachable', 'skipped'] as const;
type DeliveryState = (typeof DELIVERY_STATES)[number];
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
  /** False while the row has no queue message yet (the sweeper puts it on the queue). */
  queued: boolean;
  /** The sweeper holds the row until then (it is putting it on the queue). */
  sweepUntil: number;
  /**
   * Teams may have it already from an earlier attempt (mogelijk dubbel): taken over from "sending" after its
   * worker vanished, or retried after a call whose answer was lost.
   */
  maybeDouble: boolean;
  etag: string;
}

/** Builds the activity for one recipient; undefined when there is nothing (left) to send them. */
type Renderer = (input: { data: Record<string, string | number | boolean>; recipient: Recipient; locale: Locale }) => Promise<Partial<Activity> | undefined>;

/** Work that runs once per queue message, on any instance (e.g. a digest's fan-out). Must be idempotent. */
type JobHandler = (data: Record<string, string | number | boolean>) => Promise<void>;

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

function recipientKey(recipient: Recipient): string {
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
  queued: boolean;
  sweepUntil: number;
  maybeDouble: boolean;
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
    // Rows from before the sweeper have no such column: they were queued first.
    queued: row.queued !== false,
    sweepUntil: row.sweepUntil ?? 0,
    maybeDouble: row.maybeDouble === true,
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
    queued: d.queued,
    sweepUntil: d.sweepUntil,
    maybeDouble: d.maybeDouble,
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
  /** Sent after a crash took over a send already under way: these people may have it twice. */
  maybeDouble: number;
}

/** How long a sweeper holds a row while it puts it on the queue. */
const SWEEP_HOLD_MS = 30_000;
/** A row this young may still be getting its queue message from its enqueuer. */
const SWEEP_GRACE_MS = 5_000;

export class Outbox {
  private readonly table: TableClient;
  readonly renderers = new Map<string, Renderer>();
  readonly jobs = new Map<string, JobHandler>();
  private heldCount = 0;

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
   * The row goes first: once it is written the message is kept, queue or no queue. 'held' means the queue was
   * not reachable: the sweeper puts it on the queue when the queue is back.
   */
  async enqueue(message: OutboxMessage): Promise<'queued' | 'held' | 'exists'> {
    const body = this.bodyOf(message);
    try {
      await this.table.createEntity(toRow(this.newDelivery(body, false)));
    } catch (err) {
      if (isStatus(err, 409)) return 'exists';
      throw err;
    }
    return (await this.putOnQueue([body])) === 1 ? 'queued' : 'held';
  }

  /**
   * For notices that come with a change (a response, a status, a sign-up): resolves once the rows are written,
   * so the caller says "done" only after that; it never throws, a failure goes to `onError`. The queue being
   * away does not count as a failure: the rows wait for the sweeper.
   */
  async notify(message: OutboxMessage | (() => Promise<OutboxMessage[]>), onError: (err: unknown) => void): Promise<void> {
    try {
      if (typeof message === 'function') await this.enqueueMany(await message());
      else await this.enqueue(message);
    } catch (err) {
      onError(err);
    }
  }

  /** Rows this process wrote but could not put on the queue, since the last sweep that found none. */
  get held(): number {
    return this.heldCount;
  }

  /**
   * Many at once (a digest's fan-out). Reads which rows the batches have already (a fan-out run again after a
   * crash adds nothing), writes the new rows a hundred at a time (one transaction per batch partition), then
   * sends their queue messages a few in parallel: far fewer storage calls than one by one.
   */
  async enqueueMany(messages: OutboxMessage[], parallel = 16): Promise<{ queued: number; existed: number; held: number }> {
    const bodies = messages.map((m) => this.bodyOf(m));
    const existing = new Set<string>();
    for (const batch of new Set(bodies.map((b) => b.batch))) {
      const filter = odata`PartitionKey eq ${batch}`;
      for await (const row of this.table.listEntities<Row>({ queryOptions: { filter, select: ['RowKey'] } })) existing.add(`${batch}|${row.rowKey}`);
    }
    const fresh = bodies.filter((b) => !existing.has(`${b.batch}|${recipientKey(b.recipient)}`));
    const unique = [...new Map(fresh.map((b) => [`${b.batch}|${recipientKey(b.recipient)}`, b])).values()];
    let queued = 0;
    for (let start = 0; start < unique.length; start += 100) {
      const chunk = unique.slice(start, start + 100);
      await this.createRows(chunk);
      queued += await this.putOnQueue(chunk, parallel);
    }
    return { queued, existed: bodies.length - fresh.length, held: unique.length - queued };
  }

  /**
   * Sends the queue messages of rows just written, then marks those rows queued. Returns how many went on the
   * queue; the rest stay unqueued for the sweeper (the first failure stops the rest: the queue is away).
   */
  private async putOnQueue(bodies: Array<Extract<QueueBody, { t: 'send' }>>, parallel = 16): Promise<number> {
    const done: Array<Extract<QueueBody, { t: 'send' }>> = [];
    let next = 0;
    let failed = false;
    await Promise.all(
      Array.from({ length: Math.min(parallel, bodies.length) }, async () => {
        while (!failed && next < bodies.length) {
          const body = bodies[next++]!;
          try {
            await this.queue.send(JSON.stringify(body));
            done.push(body);
          } catch {
            failed = true;
          }
        }
      }),
    );
    if (done.length < bodies.length) this.heldCount += bodies.length - done.length;
    // A merge of one column: a worker that already changed the row keeps its word on everything else.
    const byBatch = new Map<string, Array<Extract<QueueBody, { t: 'send' }>>>();
    for (const b of done) byBatch.set(b.batch, [...(byBatch.get(b.batch) ?? []), b]);
    for (const group of byBatch.values()) {
      try {
        await this.table.submitTransaction(
          group.map((b) => ['update', { partitionKey: b.batch, rowKey: recipientKey(b.recipient), queued: true }, 'Merge'] as ['update', { partitionKey: string; rowKey: string; queued: boolean }, 'Merge']),
        );
      } catch {
        // Not marked: the sweeper puts it on the queue once more later, and the row's state makes that a no-op.
      }
    }
    return done.length;
  }

  /**
   * Puts rows that have no queue message on the queue, each once: the row is held with its ETag while its
   * message is sent, so two sweepers (two instances) never both send it. Stops at the first queue failure.
   */
  async sweep(): Promise<{ requeued: number; left: number }> {
    const now = this.now().getTime();
    const filter = `state eq 'pending' and queued eq false`;
    let requeued = 0;
    let left = 0;
    let queueDown = false;
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) {
      const d = fromRow(row);
      // A young row may still be getting its message from its enqueuer: it counts as left, for the next sweep.
      if (queueDown || d.sweepUntil > now || Date.parse(d.createdAt) > now - SWEEP_GRACE_MS) {
        left++;
        continue;
      }
      const holding = await this.change(d, { sweepUntil: now + SWEEP_HOLD_MS });
      if (!holding) continue;
      try {
        await this.queue.send(JSON.stringify(queueBodySchema.parse({ t: 'send', batch: d.batch, kind: d.kind, data: d.data, recipient: d.recipient })));
      } catch {
        queueDown = true;
        left++;
        await this.change(holding, { sweepUntil: 0 });
        continue;
      }
      // A worker may have changed it already (it had the message): then it says queued itself.
      await this.change(holding, { queued: true, sweepUntil: 0 });
      requeued++;
    }
    if (left === 0) this.heldCount = 0;
    return { requeued, left };
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
        await this.table.submitTransaction(group.map((b) => ['create', toRow(this.newDelivery(b, false))] as ['create', Row]));
      } catch (err) {
        if (!isStatus(err, 409) && !isStatus(err, 400)) throw err;
        for (const b of group) await this.createRow(b, false);
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
    await this.createRow(body, true);
    const created = await getOrUndefined<Row>(this.table, body.batch, key);
    if (!created) throw new Error('outbox row vanished');
    return fromRow(created);
  }

  private newDelivery(body: Extract<QueueBody, { t: 'send' }>, queued: boolean): Omit<Delivery, 'etag'> {
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
      queued,
      sweepUntil: 0,
      maybeDouble: false,
    };
  }

  private async createRow(body: Extract<QueueBody, { t: 'send' }>, queued: boolean): Promise<void> {
    try {
      await this.table.createEntity(toRow(this.newDelivery(body, queued)));
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
  }

  /**
   * Writes a changed delivery only if nobody changed it since it was read; undefined when someone did. The one
   * change that is not someone else's word is the "queued" mark (enqueueMany sets it after its messages are out,
   * possibly while a worker holds the row): then the change is made on the row as it is now.
   */
  async change(delivery: Delivery, changes: Partial<Omit<Delivery, 'batch' | 'key' | 'etag'>>): Promise<Delivery | undefined> {
    let current = delivery;
    const changed = (err: unknown) => isStatus(err, 412);
    try {
      return await retryOnConflict(
        async (attempt) => {
          if (attempt > 1) {
            const now = await this.get(current.batch, current.recipient);
            if (!now || !onlyMarkedQueued(current, now)) return undefined;
            current = now;
          }
          const next = { ...current, ...changes, updatedAt: this.now().toISOString() };
          try {
            const result = await this.table.updateEntity(toRow(next), 'Replace', { etag: current.etag });
            return { ...next, etag: result.etag ?? '' };
          } catch (err) {
            if (isStatus(err, 404)) return undefined;
            throw err;
          }
        },
        { isConflict: changed, attempts: 3, pauseMs: () => 0 },
      );
    } catch (err) {
      if (changed(err)) return undefined;
      throw err;
    }
  }

  async get(batch: string, recipient: Recipient): Promise<Delivery | undefined> {
    const row = await getOrUndefined<Row>(this.table, batch, recipientKey(recipient));
    return row ? fromRow(row) : undefined;
  }

  async list(batch: string): Promise<Delivery[]> {
    const out: Delivery[] = [];
    const filter = odata`PartitionKey eq ${batch}`;
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
      maybeDouble: rows.filter((r) => r.state === 'sent' && r.maybeDouble).length,
      unreachablePeople: rows
        .filter((r) => r.state === 'unreachable' && !('conversationId' in r.recipient))
        .map((r) => r.recipient as PersonId),
    };
  }

  /** A read receipt from a personal chat: everything sent there up to that message is read. */
  async markRead(conversationId: string, lastReadMessageId: string): Promise<number> {
    let marked = 0;
    const filter = odata`conversationId eq ${conversationId} and state eq 'sent' and readAt eq ''`;
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
    const filter = odata`createdAt lt ${olderThan.toISOString()}`;
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
    const filter = odata`tenantId eq ${person.tenantId.toLowerCase()} and aadObjectId eq ${person.aadObjectId.toLowerCase()}`;
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

/** True when `now` is `before` with at most its "queued" mark set (and its time stamp moved). */
function onlyMarkedQueued(before: Delivery, now: Delivery): boolean {
  const { queued: _q1, updatedAt: _u1, etag: _e1, ...a } = before;
  const { queued: _q2, updatedAt: _u2, etag: _e2, ...b } = now;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Teams message ids in a chat grow with time (they are timestamps); a receipt covers every id up to its own. */
function isReadUpTo(activityId: string, lastRead: string): boolean {
  const a = Number(activityId);
  const b = Number(lastRead);
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 && a <= b;
}
