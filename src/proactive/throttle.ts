// The one place for Teams rate limits: per conversation 7 a second, 8 per 2 s, 60 per 30 s, 1,800 an hour,
// and about 50 requests a second for the whole app, shared by every instance (an AppBudget). Every HTTP call
// to Teams takes a place here first, retries included. One conversation at its limit waits alone: the others
// go on.

interface Window {
  ms: number;
  max: number;
}

const CONVERSATION_WINDOWS: Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

/**
 * A send is counted a little longer than its window: the moment it is counted here and the moment Teams
 * counts it differ by the network's jitter, and a limit met exactly here could be exceeded there.
 */
const MARGIN_MS = 20;

export class SlidingLimiter {
  private stamps: number[] = [];
  private readonly longest: number;
  constructor(private readonly windows: Window[]) {
    this.longest = Math.max(...windows.map((w) => w.ms)) + MARGIN_MS;
  }

  /** Milliseconds to wait before one more send fits every window; 0 when it fits now. */
  waitFor(now: number): number {
    this.forget(now);
    let wait = 0;
    for (const w of this.windows) {
      if (this.stamps.length < w.max) continue;
      // The w.max-th most recent send must have left the window.
      const blocking = this.stamps[this.stamps.length - w.max]!;
      wait = Math.max(wait, blocking + w.ms + MARGIN_MS - now);
    }
    return wait;
  }

  record(now: number): void {
    this.stamps.push(now);
  }

  /** True when nothing sent lately still counts: the limiter can be dropped. */
  idle(now: number): boolean {
    this.forget(now);
    return this.stamps.length === 0;
  }

  private forget(now: number): void {
    let drop = 0;
    while (drop < this.stamps.length && this.stamps[drop]! <= now - this.longest) drop++;
    if (drop) this.stamps.splice(0, drop);
  }
}

/** The app-wide budget: resolves when one more request to Teams fits, across every instance. */
export interface AppBudget {
  take(): Promise<void>;
}

/** An app budget for one process only (unit tests, a single instance without shared storage). */
export class LocalAppBudget implements AppBudget {
  private readonly limiter: SlidingLimiter;
  private chain: Promise<void> = Promise.resolve();
  constructor(
    rate: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {
    this.limiter = new SlidingLimiter([{ ms: 1_000, max: rate }]);
  }

  take(): Promise<void> {
    // Serialised so two callers never both take the last place; each waits only as long as the budget needs.
    const turn = this.chain.then(async () => {
      for (let wait = this.limiter.waitFor(this.clock()); wait > 0; wait = this.limiter.waitFor(this.clock())) await this.sleep(wait);
      this.limiter.record(this.clock());
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }
}

interface ConversationState {
  limiter: SlidingLimiter;
  /** Sends to this conversation, one after another (a conversation's order and its own limits). */
  chain: Promise<void>;
  /** Teams said 429: nothing to this conversation before this moment. */
  pausedUntil: number;
  waiting: number;
}

export class Throttle {
  private readonly conversations = new Map<string, ConversationState>();
  private acquiresSincePrune = 0;

  constructor(
    private readonly app: AppBudget,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  /** Resolves when one more request to this conversation stays within every limit, and counts it. */
  acquire(conversationId: string): Promise<void> {
    if (++this.acquiresSincePrune >= 500) this.prune();
    let state = this.conversations.get(conversationId);
    if (!state) {
      state = { limiter: new SlidingLimiter(CONVERSATION_WINDOWS), chain: Promise.resolve(), pausedUntil: 0, waiting: 0 };
      this.conversations.set(conversationId, state);
    }
    const s = state;
    s.waiting++;
    const turn = s.chain.then(async () => {
      try {
        for (;;) {
          const now = this.clock();
          const wait = Math.max(s.limiter.waitFor(now), s.pausedUntil - now);
          if (wait <= 0) break;
          await this.sleep(wait);
        }
        // The conversation's place is held while the app budget is awaited, so its own order stays.
        await this.app.take();
        s.limiter.record(this.clock());
      } finally {
        s.waiting--;
      }
    });
    s.chain = turn.catch(() => undefined);
    return turn;
  }

  /** Teams asked to wait (429 Retry-After): this conversation waits, the others do not. */
  pause(conversationId: string, ms: number): void {
    const state = this.conversations.get(conversationId);
    if (state) state.pausedUntil = Math.max(state.pausedUntil, this.clock() + ms);
  }

  /** How many conversations it keeps track of (pruned as they go quiet). */
  get size(): number {
    return this.conversations.size;
  }

  /** Drops conversations with nothing waiting and nothing recent enough to count. */
  prune(): void {
    this.acquiresSincePrune = 0;
    const now = this.clock();
    for (const [id, state] of this.conversations) {
      if (state.waiting === 0 && state.pausedUntil <= now && state.limiter.idle(now)) this.conversations.delete(id);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
