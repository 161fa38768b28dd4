// The rate limits are checked with a fake clock: counted, not timed.
import { Throttle } from '../../src/proactive/throttle';

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

it('lets 7 messages a second through to one conversation and makes the 8th wait', async () => {
  const time = fakeTime();
  const throttle = new Throttle(time.clock, time.sleep);
  for (let i = 0; i < 7; i++) await throttle.acquire('c1');
  expect(time.waits).toEqual([]);
  await throttle.acquire('c1');
  expect(time.waits.length).toBeGreaterThan(0);
});

it('never sends more than 8 in 2 seconds or 60 in 30 seconds to one conversation', async () => {
  const time = fakeTime();
  const throttle = new Throttle(time.clock, time.sleep);
  const sent: number[] = [];
  for (let i = 0; i < 70; i++) {
    await throttle.acquire('c1');
    sent.push(time.clock());
  }
  const maxIn = (windowMs: number) =>
    Math.max(...sent.map((start) => sent.filter((s) => s >= start && s < start + windowMs).length));
  expect(maxIn(1000)).toBeLessThanOrEqual(7);
  expect(maxIn(2000)).toBeLessThanOrEqual(8);
  expect(maxIn(30_000)).toBeLessThanOrEqual(60);
});

it('does not hold one conversation back for another, within the app limit of 50 a second', async () => {
  const time = fakeTime();
  const throttle = new Throttle(time.clock, time.sleep);
  for (let c = 0; c < 7; c++) for (let i = 0; i < 7; i++) await throttle.acquire(`c${c}`);
  expect(time.waits).toEqual([]);
  await throttle.acquire('c99');
  await throttle.acquire('c100');
  expect(time.waits.length).toBeGreaterThan(0);
});
