// Runs work at set moments (e.g. the digest, Monday 08:00 Amsterdam time), once per moment however many
// instances run a scheduler: the first to create the moment's row in Table Storage hands the work to the
// queue; the others get 409 and leave it. Each schedule says its own next moment (see cronTimes in src/time.ts).
import { odata, type TableClient } from '@azure/data-tables';
import { errorFields, type Logger } from '../log';
import { encodeKey } from '../storage/keys';
import { getOrUndefined, isStatus, type Tables } from '../storage/tables';
import type { Outbox } from './outbox';

export const SCHEDULE_TABLE = 'Schedule';

interface Schedule {
  /** Moments of the same slot name are one slot: two schedules that meet at one moment run once. */
  slot: string;
  /** The first moment strictly after `after`, or undefined for none. */
  next(after: Date): Promise<Date | undefined>;
  /** The job the queue runs for a moment (any instance); its data gets `slot` (the moment, ISO) added. */
  job: string;
}

type SlotRow = { partitionKey: string; rowKey: string; state: string; job: string; claimedAt: string };

// Timers longer than this are split (Node's limit is about 24.8 days; shorter also follows new meetings).
const MAX_TIMER_MS = 15 * 60_000;
// A moment missed while no instance ran (a deploy at 08:00) is still run this long after.
const CATCH_UP_MS = 6 * 3_600_000;

export class Scheduler {
  private readonly table: TableClient;
  private readonly schedules: Schedule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;

  constructor(
    tables: Tables,
    private readonly outbox: Outbox,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.table = tables.client(SCHEDULE_TABLE);
  }

  add(schedule: Schedule): void {
    this.schedules.push(schedule);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const schedule of this.schedules) void this.plan(schedule, new Date(this.clock() - CATCH_UP_MS));
  }

  stop(): void {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async plan(schedule: Schedule, after: Date): Promise<void> {
    if (!this.running) return;
    let next: Date | undefined;
    try {
      next = await schedule.next(after);
    } catch (err) {
      this.log.error({ event: 'schedule.nextFailed', slot: schedule.slot, err: errorFields(err) }, 'could not plan the next moment');
      next = undefined;
    }
    const now = this.clock();
    if (next && next.getTime() <= now) {
      await this.fire(schedule, next);
      return this.plan(schedule, next);
    }
    const wait = next ? Math.min(next.getTime() - now, MAX_TIMER_MS) : MAX_TIMER_MS;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // Ask again when the timer ends: meetings may have moved, and a long wait was split.
      void this.plan(schedule, new Date(Math.min(this.clock(), next ? next.getTime() : this.clock()) - 1));
    }, wait);
    timer.unref();
    this.timers.add(timer);
  }

  /** Claims one moment; the instance that creates its row queues the job. Returns whether this one did. */
  async fire(schedule: Schedule, moment: Date): Promise<boolean> {
    const slot = moment.toISOString();
    const key = { partitionKey: encodeKey(schedule.slot), rowKey: slot };
    try {
      await this.table.createEntity<SlotRow>({ ...key, state: 'claimed', job: schedule.job, claimedAt: new Date(this.clock()).toISOString() });
    } catch (err) {
      if (isStatus(err, 409)) {
        // Someone has it. If they died between claiming and queueing, the job is queued again (it is idempotent).
        const row = await getOrUndefined<SlotRow>(this.table, key.partitionKey, key.rowKey);
        if (row?.state === 'claimed' && this.clock() - Date.parse(row.claimedAt) > 60_000) {
          await this.queue(schedule, slot, key, row.etag);
        }
        return false;
      }
      this.log.error({ event: 'schedule.claimFailed', slot: schedule.slot, err: errorFields(err) }, 'could not claim a scheduled moment');
      return false;
    }
    await this.queue(schedule, slot, key);
    this.log.info({ event: 'schedule.fired', slot: schedule.slot, moment: slot }, 'scheduled work queued');
    return true;
  }

  private async queue(schedule: Schedule, slot: string, key: { partitionKey: string; rowKey: string }, etag?: string): Promise<void> {
    await this.outbox.runJob(schedule.job, { slot });
    try {
      await this.table.updateEntity({ ...key, state: 'queued' }, 'Merge', etag ? { etag } : {});
    } catch (err) {
      if (!isStatus(err, 412)) throw err;
    }
  }

  /** The moments already run of a slot name, newest first (e.g. to know when the last digest went out). */
  async history(slotName: string, before: Date, max = 1): Promise<Date[]> {
    const out: Date[] = [];
    const filter = odata`PartitionKey eq ${encodeKey(slotName)} and RowKey lt ${before.toISOString()}`;
    for await (const row of this.table.listEntities<SlotRow>({ queryOptions: { filter } })) out.push(new Date(row.rowKey));
    return out.sort((a, b) => b.getTime() - a.getTime()).slice(0, max);
  }
}
