// The app-wide Teams budget (about 50 requests a second) shared by every bot instance, in Table Storage.
//
// Teams counts in its own sliding windows, so this keeps every sliding second at or under the rate, across
// all instances. Time is cut in 100 ms slots; places are claimed in the current slot and used in that slot or
// the next (later they are dropped). A sliding second then holds sends of at most 12 consecutive slots, so a
// claim is granted only while the claimed places of the last 12 slots stay within the rate. The counts live in
// one row, changed with its ETag: claims of all instances are one sequence, and a claim never goes to a slot
// older than the newest one claimed (a slower clock elsewhere cannot slip under a window already checked).
// Why shared counts rather than a fixed share per instance: instances come and go, and a busy one takes what an
// idle one leaves. A local sliding window on top keeps one instance within the rate by its own clock too.
import type { TableClient } from '@azure/data-tables';
import { errorFields, type Logger } from '../log';
import { getOrUndefined, isEtagConflict, isStatus, retryOnConflict, type Tables } from '../storage/tables';
import { SlidingLimiter, type AppBudget } from './throttle';

export const BUDGET_TABLE = 'ProactiveBudget';
export const SLOT_MS = 100;
/** Places claimed in a slot are used in it or the next one. */
export const USE_SLOTS = 2;
/** The slots whose sends can fall in one sliding second: its ten, and one more at each end. */
export const WINDOW_SLOTS = 1000 / SLOT_MS + USE_SLOTS;

type WindowRow = { partitionKey: string; rowKey: string; newest: number; counts: string };

/**
 * The places granted to a claim of `want` in `slot`, given the places already claimed per slot: as many as
 * keep the last WINDOW_SLOTS slots (this one included) within `rate`. Returns the counts to store (older slots
 * dropped).
 */
export function grantInWindow(counts: Readonly<Record<string, number>>, slot: number, want: number, rate: number): { grant: number; counts: Record<string, number> } {
  const kept: Record<string, number> = {};
  let used = 0;
  for (const [key, n] of Object.entries(counts)) {
    const k = Number(key);
    if (k > slot - WINDOW_SLOTS && k <= slot) {
      kept[key] = n;
      used += n;
    }
  }
  const grant = Math.max(0, Math.min(want, rate - used));
  if (grant > 0) kept[String(slot)] = (kept[String(slot)] ?? 0) + grant;
  return { grant, counts: kept };
}

export class SharedAppBudget implements AppBudget {
  private readonly table: TableClient;
  /** At most this many places per claim: they must be used within two slots. */
  private readonly perClaim: number;
  private readonly local: SlidingLimiter;
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private pool = { until: 0, left: 0 };
  private warned = false;
  /** Storage calls made for the budget (the bench reports them). */
  claims = 0;

  constructor(
    tables: Tables,
    private readonly rate: number,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.table = tables.client(BUDGET_TABLE);
    this.perClaim = Math.max(1, Math.floor((rate * SLOT_MS * USE_SLOTS) / 1000));
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
      if (this.pool.left > 0 && this.clock() < this.pool.until) {
        this.pool.left--;
        return;
      }
      let claimed: { grant: number; slot: number };
      try {
        claimed = await this.claim(Math.min(this.perClaim, Math.max(1, this.waiting)));
      } catch (err) {
        // Storage trouble must not stop every message: this instance keeps to its own window meanwhile.
        if (!this.warned) this.log.warn({ event: 'proactive.budgetUnavailable', err: errorFields(err) }, 'shared Teams budget unreachable; local limit only');
        this.warned = true;
        return;
      }
      this.warned = false;
      const until = (claimed.slot + USE_SLOTS) * SLOT_MS;
      // Places that came too late to use (slow storage) are left unused: counted, never exceeded.
      if (claimed.grant > 0 && this.clock() < until) {
        this.pool = { until, left: claimed.grant - 1 };
        return;
      }
      await sleep(Math.max(1, (Math.floor(this.clock() / SLOT_MS) + 1) * SLOT_MS - this.clock()));
    }
  }

  /** Claims up to `want` places in the current slot (or the newest claimed, if another clock is ahead). */
  private async claim(want: number): Promise<{ grant: number; slot: number }> {
    let slot = Math.floor(this.clock() / SLOT_MS);
    try {
      // At once again on a conflict: the other claim is done, and waiting would only waste the slot.
      return await retryOnConflict(
        async () => {
          this.claims++;
          const row = await getOrUndefined<WindowRow>(this.table, 'app', 'window');
          slot = Math.max(Math.floor(this.clock() / SLOT_MS), row?.newest ?? 0);
          const { grant, counts } = grantInWindow(row ? (JSON.parse(row.counts) as Record<string, number>) : {}, slot, want, this.rate);
          if (grant <= 0) return { grant: 0, slot };
          const next: WindowRow = { partitionKey: 'app', rowKey: 'window', newest: slot, counts: JSON.stringify(counts) };
          if (row) await this.table.updateEntity(next, 'Replace', { etag: row.etag });
          else await this.table.createEntity(next);
          return { grant, slot };
        },
        { attempts: 20, pauseMs: () => 0 },
      );
    } catch (err) {
      // Twenty other claims came first: nothing this time; the caller waits for the next slot.
      if (isEtagConflict(err)) return { grant: 0, slot };
      throw err;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
