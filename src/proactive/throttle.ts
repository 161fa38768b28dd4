// The one place for Teams rate limits: per conversation 7 a second, 8 per 2 s, 60 per 30 s, 1,800 an hour,
// and about 50 requests a second for the whole app. Callers await acquire() before each send.

interface Window {
  ms: number;
  max: number;
}

export const CONVERSATION_WINDOWS: Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];
export const APP_WINDOWS: Window[] = [{ ms: 1_000, max: 50 }];

class SlidingLimiter {
  private stamps: number[] = [];
  constructor(private readonly windows: Window[]) {}

  /** Milliseconds to wait before one more send fits every window; 0 when it fits now. */
  waitFor(now: number): number {
    const longest = Math.max(...this.windows.map((w) => w.ms));
    while (this.stamps.length && this.stamps[0]! <= now - longest) this.stamps.shift();
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = this.stamps.filter((s) => s > now - w.ms);
      if (inWindow.length >= w.max) wait = Math.max(wait, inWindow[inWindow.length - w.max]! + w.ms - now);
    }
    return wait;
  }

  record(now: number): void {
    this.stamps.push(now);
  }

  get idle(): boolean {
    return this.stamps.length === 0;
  }
}

export class Throttle {
  private readonly conversations = new Map<string, SlidingLimiter>();
  private readonly app = new SlidingLimiter(APP_WINDOWS);
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly clock: () => number = Date.now, private readonly sleep = defaultSleep) {}

  /** Resolves when one more message to this conversation stays within every limit, and counts it. */
  acquire(conversationId: string): Promise<void> {
    // Serialised so two callers never both take the last free place.
    const turn = this.chain.then(async () => {
      let limiter = this.conversations.get(conversationId);
      if (!limiter) this.conversations.set(conversationId, (limiter = new SlidingLimiter(CONVERSATION_WINDOWS)));
      for (;;) {
        const now = this.clock();
        const wait = Math.max(limiter.waitFor(now), this.app.waitFor(now));
        if (wait <= 0) break;
        await this.sleep(wait);
      }
      const now = this.clock();
      limiter.record(now);
      this.app.record(now);
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
