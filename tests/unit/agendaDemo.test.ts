// The invented demo data of `npm start` tells one story, whatever day the store is first filled: the theme
// session comes first, on a working day, with sign-up still open; the next BO, on a Thursday afternoon two
// weeks later, reflects on it by its date; the learning track follows.
import { demoItems, demoMeetingStart } from '../../src/features/agenda/service';
import { DEMO_THEME_SESSION_TITLE, demoThemeSessionStart } from '../../src/features/sessions';
import { seedDrafts } from '../../src/features/sessions/seed';

const amsterdam = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', weekday: 'long', hour: '2-digit', minute: '2-digit' });
const dutchDate = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' });

it.each(Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2026, 11, 6 + i, 10))))('puts the demo BO on a Thursday afternoon, three to four weeks after %s', (now) => {
  const start = demoMeetingStart(now);
  expect(amsterdam.format(start)).toBe('donderdag 14:00');
  const days = (start.getTime() - now.getTime()) / 86_400_000;
  expect(days).toBeGreaterThanOrEqual(21 - 1);
  expect(days).toBeLessThan(28);
});

// Every hour-ish of a whole year, both clock changes included.
const starts = Array.from({ length: 400 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 22 * 3_600_000));

it('lets the demo BO reflect on the theme session that took place before it, on any start day', () => {
  for (const now of starts) {
    const bo = demoMeetingStart(now);
    const theme = seedDrafts(now, null).find((d) => d.title === DEMO_THEME_SESSION_TITLE)!;
    const themeStart = new Date(theme.startsAt);
    expect(themeStart.getTime()).toBe(demoThemeSessionStart(now).getTime());
    const story = {
      now: now.toISOString(),
      themeDay: amsterdam.format(themeStart),
      themeBeforeBo: themeStart < bo,
      signUpOpen: Date.parse(theme.signupDeadline) > now.getTime(),
      boDay: amsterdam.format(bo),
      reflection: String(demoItems(now)[0]!.title),
      trackAfterBo: seedDrafts(now, null).filter((d) => d.series === 'praktijkleergang').every((d) => Date.parse(d.startsAt) > bo.getTime()),
    };
    expect(story).toEqual({
      now: now.toISOString(),
      themeDay: 'donderdag 10:00',
      themeBeforeBo: true,
      signUpOpen: true,
      boDay: 'donderdag 14:00',
      reflection: `Reflectie op de themasessie van ${dutchDate.format(themeStart)}: sneller van plan naar bouw`,
      trackAfterBo: true,
    });
  }
});
