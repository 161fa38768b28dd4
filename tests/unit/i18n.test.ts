import { catalogs, fill, formatDate, localeOf, t, type Locale } from '../../src/i18n';
import { CAPABILITIES } from '../../src/capabilities';
import { t as planText } from '../../src/features/plans/messages';
import { importSummary } from '../../src/features/plans/cards';

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\|[^{}|]*\|[^{}|]*)?\}/g)].map((m) => m[1]))].sort();

it('has the same keys in Dutch and English', () => {
  expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs.nl).sort());
});

it('uses the same placeholders in both languages, and no message is empty', () => {
  for (const key of Object.keys(catalogs.nl) as Array<keyof typeof catalogs.nl>) {
    expect({ key, p: placeholders(catalogs.en[key]) }).toEqual({ key, p: placeholders(catalogs.nl[key]) });
    expect(catalogs.nl[key].trim()).not.toBe('');
    expect(catalogs.en[key].trim()).not.toBe('');
  }
});

it('answers English Teams locales in English and everything else in Dutch', () => {
  expect(localeOf('en-US')).toBe('en');
  expect(localeOf('en-GB')).toBe('en');
  expect(localeOf('nl-NL')).toBe('nl');
  expect(localeOf('de-DE')).toBe('nl');
  expect(localeOf(undefined)).toBe('nl');
  expect(localeOf('de-DE', { fallback: 'en' })).toBe('en');
  expect(localeOf('en-US', { fallback: 'nl', force: 'nl' })).toBe('nl');
});

it('chooses the singular or plural word by the number', () => {
  expect(planText('nl', 'plan.import.summary', { created: 1, changed: 0, unchanged: 2, rejected: 1 })).toBe(
    '1 nieuw, 0 gewijzigd, 2 gelijk gebleven, 1 rij afgekeurd.',
  );
  expect(planText('nl', 'plan.import.summary', { created: 0, changed: 0, unchanged: 0, rejected: 3 })).toContain('3 rijen afgekeurd');
  expect(planText('en', 'plan.import.summary', { created: 0, changed: 0, unchanged: 0, rejected: 1 })).toContain('1 row rejected');
  // A formatted thousand is many, not one.
  expect(planText('nl', 'plan.list.more', { count: '1.000' })).toContain('1.000 plannen');
});

it('writes an import summary with thousands separators, in the card and in `npm run import:plans` alike', () => {
  expect(importSummary('nl', { created: 6000, changed: 1, unchanged: 12500, rejected: 1 })).toBe(
    '6.000 nieuw, 1 gewijzigd, 12.500 gelijk gebleven, 1 rij afgekeurd.',
  );
  expect(importSummary('en', { created: 6000, changed: 0, unchanged: 0, rejected: 2000 })).toBe('6,000 new, 0 changed, 0 unchanged, 2,000 rows rejected.');
});

it('fills in placeholders', () => {
  expect(t('nl', 'error.apology', { code: 'AB12CD' })).toContain('AB12CD');
});

it('writes dates in Dutch, in Amsterdam time', () => {
  // 23:30 UTC on 28 November is already 29 November in Amsterdam.
  expect(formatDate(new Date('2026-11-28T23:30:00Z'), 'nl')).toBe('29 november 2026');
  expect(formatDate(new Date('2026-07-01T22:30:00Z'), 'nl')).toBe('2 juli 2026');
  expect(formatDate(new Date('2026-07-01T12:00:00Z'), 'en')).toBe('1 July 2026');
});

describe('no raw placeholder reaches a person', () => {
  // Every catalog: the core's and each capability's own, in both languages.
  const all: Array<{ catalog: string; locale: Locale; key: string; text: string }> = [
    ...(['nl', 'en'] as const).flatMap((locale) => Object.entries(catalogs[locale]).map(([key, text]) => ({ catalog: 'core', locale, key, text }))),
    ...CAPABILITIES.flatMap((c) =>
      (['nl', 'en'] as const).flatMap((locale) => Object.entries(c.messages[locale]).map(([key, text]) => ({ catalog: c.name, locale, key, text: String(text) }))),
    ),
  ];
  const withParameters = all.filter((m) => /\{\w+\}/.test(m.text));

  it('walks the messages with parameters', () => {
    expect(withParameters.length).toBeGreaterThan(50);
  });

  it('leaves no {…} in any message once its parameters are filled', () => {
    for (const m of withParameters) {
      const vars = Object.fromEntries(placeholders(m.text).map((name) => [name!, 'x']));
      const filled = fill(m.text, vars);
      expect({ at: `${m.catalog} ${m.locale} ${m.key}`, filled }).toEqual({ at: `${m.catalog} ${m.locale} ${m.key}`, filled: expect.not.stringMatching(/[{}]/) });
    }
  });

  it('fails a test that fills a message without one of its parameters', () => {
    expect(() => t('nl', 'error.tooLong')).toThrow('{max}');
    expect(() => t('nl', 'error.tooLong', { max: 2000 })).not.toThrow();
  });
});

describe('a count of one is written in the singular', () => {
  // The nouns (and verbs) that follow a number in the catalogs, in their plural: after "1" they must not stand.
  const plurals: Record<Locale, RegExp> = {
    nl: /\b1 (?:[a-z]+ )?(woningen|plannen|rijen|plaatsen|mensen|leden|afspraken|kolommen|tekens|minuten|besluiten|dilemma's|aanvragen|wijzigingen|agendapunten|reacties|sessies|deelnemers|herkennen|zijn)\b/,
    en: /\b1 (?:[a-z]+ )?(homes|plans|rows|seats|people|members|agreements|columns|characters|minutes|decisions|dilemmas|requests|changes|items|responses|sessions|participants|recognise|are)\b/,
  };
  it.each<Locale>(['nl', 'en'])('no message of any capability says "1 rijen" or "1 plaatsen" (%s)', (locale) => {
    const all: Record<string, string> = { ...catalogs[locale] };
    for (const c of CAPABILITIES) Object.assign(all, c.messages[locale]);
    const wrong: string[] = [];
    for (const [key, text] of Object.entries(all)) {
      // Every number in the message is one: the hardest case for a plural.
      const filled = fill(text, Object.fromEntries(placeholders(text).map((name) => [name!, 1])));
      if (plurals[locale].test(filled)) wrong.push(`${key}: ${filled}`);
    }
    expect(wrong).toEqual([]);
  });
});

it('tells a gespreksleider whom a job is for by role, never "BO-leden" (she is a member too)', () => {
  const refusals = CAPABILITIES.flatMap((c) =>
    (['nl', 'en'] as const).flatMap((locale) => Object.entries(c.messages[locale]).filter(([key]) => key.endsWith('.notForRole')).map(([key, text]) => ({ key, locale, text: String(text) }))),
  );
  expect(refusals.length).toBeGreaterThanOrEqual(12);
  for (const r of refusals) expect({ ...r, byMembership: /BO-leden|leden van de BO|members of the BO/i.test(r.text) }).toEqual({ ...r, byMembership: false });
});
