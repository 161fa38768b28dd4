// The shared app budget's window arithmetic, on a simulated clock: whatever the instances claim and whenever
// within the allowed time they use it, no sliding second holds more sends than the rate.
import { grantInWindow, SLOT_MS, USE_SLOTS, WINDOW_SLOTS } from '../../src/proactive/budget';

/** The most sends in any sliding second (a window starting at a send is the worst). */
function maxInAnySecond(stamps: number[]): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + 1000) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** A small seeded generator, so a failure can be repeated. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * Instances take turns claiming (the row's ETag makes claims one sequence) at random moments; each granted place
 * is used at the first or the last moment it may be, whichever hurts most.
 */
function simulate(rate: number, instances: number, seconds: number, seed: number): number[] {
  const next = random(seed);
  let counts: Record<string, number> = {};
  let newest = 0;
  const sends: number[] = [];
  for (let now = 0; now < seconds * 1000; now += 1 + Math.floor(next() * 15)) {
    for (let i = 0; i < instances; i++) {
      if (next() < 0.5) continue;
      const slot = Math.max(Math.floor(now / SLOT_MS), newest);
      const claimed = grantInWindow(counts, slot, 1 + Math.floor(next() * 10), rate);
      counts = claimed.counts;
      if (!claimed.grant) continue;
      newest = slot;
      const until = (slot + USE_SLOTS) * SLOT_MS - 1;
      for (let k = 0; k < claimed.grant; k++) sends.push(next() < 0.5 ? now : until);
    }
  }
  return sends;
}

it('keeps every sliding second of two or three instances at or under the rate', () => {
  for (const [rate, instances, seed] of [
    [40, 2, 1],
    [40, 3, 2],
    [20, 2, 3],
    [50, 2, 4],
    [7, 3, 5],
  ] as const) {
    const sends = simulate(rate, instances, 20, seed);
    expect([rate, instances, maxInAnySecond(sends) <= rate]).toEqual([rate, instances, true]);
    // And it is not idle: under full demand it sends at least the rate over the 1.2 s a place can span.
    expect(sends.length / 20).toBeGreaterThanOrEqual((rate * 1000) / (WINDOW_SLOTS * SLOT_MS) - 1);
  }
});

it('grants only what keeps the last slots within the rate, and forgets slots that left the window', () => {
  const counts = { '100': 10, '105': 20 };
  expect(grantInWindow(counts, 106, 15, 40)).toEqual({ grant: 10, counts: { '100': 10, '105': 20, '106': 10 } });
  expect(grantInWindow(counts, 106, 5, 40).grant).toBe(5);
  // Slot 100 is 12 slots before 112: it no longer counts, and it is dropped from the row.
  expect(grantInWindow(counts, 112, 30, 40)).toEqual({ grant: 20, counts: { '105': 20, '112': 20 } });
  expect(grantInWindow({ '110': 40 }, 111, 1, 40).grant).toBe(0);
});
