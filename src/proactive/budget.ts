// The app-wide Teams budget (about 50 requests a second) shared by every bot instance, in Table Storage.
//
// Why counters per 200 ms slot rather than a lease per instance: instances come and go (scale out, restarts)
// and a lease split would idle the share of an instance that has nothing to send. A slot row is claimed with
// ETags, a few places at a time, so a busy instance takes what an idle one leaves, and each instance pays one
// or two storage calls per few sends. Rows live in a ring (slot number modulo RING), so the table never grows.
// A local sliding window on top keeps one instance exactly within the rate; several instances together stay
// within the rate per slot, at most one slot's worth over it in a sliding second.
import type { TableClient } from '@azure/data-tables';
import { errorFields, type Logger } from '../log';
import { getOrUndefined, isStatus, type Tables } from '../storage/tables';
import { SlidingLimiter, type AppBudget } from './throttle';

export const BUDGET_TABLE = 'ProactiveBudget';
const SLOT_MS = 200;
/** Places claimed in a slot may be used this long after (a slow storage call must not waste them). */
const GRANT_MS = 1_000;
const RING = 600;

type SlotRow = { partitionKey: string; rowKey: string; slot: number; used: number };

export class SharedAppBudget implements AppBudget {
  private readonly table: TableClient;
  private readonly perSlot: number;
  private readonly local: SlidingLimiter;
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private pool = { until: 0, left: 0 };
  private warned = false;
  /** Storage calls made for the budget (the bench reports them). */
  claims = 0;

  constructor(
    tables: Tables,
    rate: number,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.table = tables.client(BUDGET_TABLE);
    this.perSlot = Math.max(1, Math.floor((rate * SLOT_MS) / 1000));
    this.local = new SlidingLimiter([{ ms: 1_000, max: rate }]);
  }

  take(): Promise<void> {
    this.waiting++;
    const turn = this.chain.then(async () => {
      try {
        for (let wait = this.local.waitFor(this.clock()); wait > 0; wait = this.local.waitFor(this.clock())) await sleep(wait);
        await this.shared();
        this.local.record(this.clock());
      } finally {
        this.waiting--;
      }
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private async shared(): Promise<void> {
    for (;;) {
      const slot = Math.floor(this.clock() / SLOT_MS);
      if (this.pool.left > 0 && this.clock() < this.pool.until) {
        this.pool.left--;
        return;
      }
      let granted: number;
      try {
        granted = await this.claim(slot, Math.min(this.perSlot, Math.max(1, this.waiting)));
      } catch (err) {
        // Storage trouble must not stop every message: this instance keeps to its own window meanwhile.
        if (!this.warned) this.log.warn({ event: 'proactive.budgetUnavailable', err: errorFields(err) }, 'shared Teams budget unreachable; local limit only');
        this.warned = true;
        return;
      }
      this.warned = false;
      if (granted > 0) {
        this.pool = { until: this.clock() + GRANT_MS, left: granted - 1 };
        return;
      }
      await sleep((slot + 1) * SLOT_MS - this.clock());
    }
  }

  /** Takes up to `want` places of a slot; 0 when the slot is full. */
  private async claim(slot: number, want: number): Promise<number> {
    const rowKey = String(slot % RING).padStart(3, '0');
    for (let attempt = 0; attempt < 20; attempt++) {
      this.claims++;
      const row = await getOrUndefined<SlotRow>(this.table, 'slot', rowKey);
      const used = row && row.slot === slot ? row.used : 0;
      const grant = Math.min(want, this.perSlot - used);
      if (grant <= 0) return 0;
      const next = { partitionKey: 'slot', rowKey, slot, used: used + grant };
      try {
        if (row) await this.table.updateEntity(next, 'Replace', { etag: row.etag });
        else await this.table.createEntity(next);
        return grant;
      } catch (err) {
        if (!isStatus(err, 412) && !isStatus(err, 409)) throw err;
      }
      if (Math.floor(this.clock() / SLOT_MS) !== slot) return 0;
    }
    return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
