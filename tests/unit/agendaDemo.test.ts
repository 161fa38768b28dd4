// The invented BO meeting of `npm start` falls on a working day, whatever day the store is first filled.
import { demoMeetingStart } from '../../src/features/agenda/service';

const amsterdam = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', weekday: 'long', hour: '2-digit', minute: '2-digit' });

it.each(Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2026, 11, 6 + i, 10))))('puts the demo BO on a Thursday afternoon, three to four weeks after %s', (now) => {
  const start = demoMeetingStart(now);
  expect(amsterdam.format(start)).toBe('donderdag 14:00');
  const days = (start.getTime() - now.getTime()) / 86_400_000;
  expect(days).toBeGreaterThanOrEqual(21 - 1);
  expect(days).toBeLessThan(28);
});
