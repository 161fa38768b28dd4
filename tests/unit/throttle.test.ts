// The rate limits are checked with a fake clock: counted, not timed.
import { LocalAppBudget, Throttle } from '../../src/proactive/throttle';
import { backoffMs } from '../../src/proactive/sender';

function fakeTime() {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
    advance: (ms: number) => (now += ms),
  };
}

function throttleOn(time: ReturnType<typeof fakeTime>, rate = 50) {
  return new Throttle(new LocalAppBudget(rate, time.clock, time.sleep), time.clock, time.sleep);
}

const maxIn = (stamps: number[], windowMs: number) =>
  Math.max(...stamps.map((start) => stamps.filter((s) => s >= start && s < start + windowMs).length));

it('lets 7 messages a second through to one conversation and makes the 8th wait', async () => {
  const time = fakeTime();
  const throttle = throttleOn(time);
  for (let i = 0; i < 7; i++) await throttle.acquire('c1');
  expect(time.waits).toEqual([]);
  await throttle.acquire('c1');
  expect(time.waits.length).toBeGreaterThan(0);
});

it('never sends more than 8 in 2 seconds or 60 in 30 seconds to one conversation', async () => {
  const time = fakeTime();
  const throttle = throttleOn(time);
  const sent: number[] = [];
  for (let i = 0; i < 70; i++) {
    await throttle.acquire('c1');
    sent.push(time.clock());
  }
  expect(maxIn(sent, 1000)).toBeLessThanOrEqual(7);
  expect(maxIn(sent, 2000)).toBeLessThanOrEqual(8);
  expect(maxIn(sent, 30_000)).toBeLessThanOrEqual(60);
});

it('keeps the whole app within 50 a second, whatever the conversations', async () => {
  const time = fakeTime();
  const throttle = throttleOn(time);
  const sent: number[] = [];
  for (let i = 0; i < 200; i++) {
    await throttle.acquire(`c${i}`);
    sent.push(time.clock());
  }
  expect(maxIn(sent, 1000)).toBeLessThanOrEqual(50);
});

it('does not hold other conversations back while one waits for its own limit', async () => {
  // Real timers: the busy conversation's 8th message waits about a second; another conversation does not.
  const throttle = new Throttle(new LocalAppBudget(50));
  for (let i = 0; i < 7; i++) await throttle.acquire('busy');
  const order: string[] = [];
  const busy = throttle.acquire('busy').then(() => order.push('busy'));
  const other = throttle.acquire('other').then(() => order.push('other'));
  await Promise.all([busy, other]);
  expect(order).toEqual(['other', 'busy']);
});

it('pauses only the conversation Teams asked to wait (Retry-After)', async () => {
  const throttle = new Throttle(new LocalAppBudget(50));
  await throttle.acquire('slow');
  throttle.pause('slow', 300);
  const order: string[] = [];
  await Promise.all([throttle.acquire('slow').then(() => order.push('slow')), throttle.acquire('fast').then(() => order.push('fast'))]);
  expect(order).toEqual(['fast', 'slow']);
});

it('forgets conversations that have gone quiet', async () => {
  const time = fakeTime();
  const throttle = throttleOn(time, 1000);
  for (let i = 0; i < 100; i++) await throttle.acquire(`c${i}`);
  expect(throttle.size).toBe(100);
  time.advance(3_600_000 + 1000);
  throttle.prune();
  expect(throttle.size).toBe(0);
});

it('waits at least Retry-After, then backs off further with each attempt (with jitter)', () => {
  expect(backoffMs(1, 2000, 1000, () => 0)).toBe(2000);
  expect(backoffMs(1, 2000, 1000, () => 0.5)).toBe(2500);
  expect(backoffMs(3, undefined, 1000, () => 0.99)).toBeGreaterThan(3900);
  expect(backoffMs(30, undefined, 1000, () => 1)).toBeLessThanOrEqual(5 * 60_000);
});
