// Message lookup and Dutch date formats. Dutch is the default; English for en-* Teams locales.
import { nl, type MessageKey } from './nl';
import { en } from './en';
import { TIME_ZONE } from '../time';

export type Locale = 'nl' | 'en';
export type { MessageKey };

export const catalogs: Record<Locale, Record<MessageKey, string>> = { nl, en };

export interface LocaleSettings {
  fallback: Locale;
  force?: Locale;
}

/** Teams sends locales like "nl-NL" or "en-US"; anything English gets English, all else the fallback. */
export function localeOf(teamsLocale: string | undefined, settings: LocaleSettings = { fallback: 'nl' }): Locale {
  if (settings.force) return settings.force;
  if (!teamsLocale) return settings.fallback;
  return /^en\b/i.test(teamsLocale) ? 'en' : /^nl\b/i.test(teamsLocale) ? 'nl' : settings.fallback;
}

type Vars = Record<string, string | number>;

/** What happens when a message is filled without one of its placeholders (tests make it throw). */
let onMissing: (name: string, text: string) => void = () => undefined;

/** Tests call this (jest setup) so a message missing a parameter fails the test instead of showing a gap. */
export function failOnMissingPlaceholders(): void {
  onMissing = (name, text) => {
    throw new Error(`The message "${text.slice(0, 80)}" was filled without {${name}}`);
  };
}

/**
 * Fills `{name}` with its value, and `{name|one|other}` with the word that fits the number in `name`
 * ("{count} {count|rij|rijen}": "1 rij", "2 rijen"), so a message never says "1 rijen". A person never sees a
 * raw "{max}": a missing value leaves nothing.
 */
export function fill(text: string, vars: Vars): string {
  return text.replace(/\{(\w+)(?:\|([^{}|]*)\|([^{}|]*))?\}/g, (_whole, name: string, one?: string, other?: string) => {
    if (!(name in vars)) {
      onMissing(name, text);
      return '';
    }
    if (one === undefined) return String(vars[name]);
    // Exactly one, not "1.000" (a formatted thousand) nor "1,5".
    const value = vars[name];
    return value === 1 || value === '1' ? one : (other ?? '');
  });
}

export function t(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  return fill(catalogs[locale][key], vars);
}

/** A capability's own messages, in both languages (the compiler checks that English has every Dutch key). */
export interface Messages<K extends string = string> {
  nl: Readonly<Record<K, string>>;
  en: Readonly<Record<K, string>>;
}

export function defineMessages<K extends string>(messages: Messages<K>): Messages<K> {
  return messages;
}

/** A lookup for a capability: its own keys first, then the core's (menu, errors, roles). */
export type Translate<K extends string> = (locale: Locale, key: K | MessageKey, vars?: Vars) => string;

export function translator<K extends string>(own: Messages<K>): Translate<K> {
  return (locale, key, vars = {}) => {
    const text = (own[locale] as Record<string, string>)[key] ?? catalogs[locale][key as MessageKey];
    return fill(text ?? key, vars);
  };
}

// Building an Intl formatter costs far more than using one (a list card formats ten dates): one per kind
// and language, made on first use.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
/** The formatter kept under `key` (say what it formats and for which language), made once by `make`. */
export function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}
const tag = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'nl-NL');

export function formatDate(date: Date, locale: Locale): string {
  return formatter(`date|${locale}`, () =>
    new Intl.DateTimeFormat(tag(locale), { timeZone: TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }),
  ).format(date);
}

/** A date with its time, where order matters (responses, status changes): "29 november 2026, 14:36". */
export function formatMoment(date: Date, locale: Locale): string {
  const time = formatter('time', () => new Intl.DateTimeFormat('nl-NL', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
  return `${formatDate(date, locale)}, ${time.format(date)}`;
}

/** The time of day to the second, as a clock on the wall shows it in Amsterdam: "14:05:09". */
export function formatClock(date: Date): string {
  return formatter('clock', () => new Intl.DateTimeFormat('nl-NL', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })).format(date);
}

export function formatDateTime(date: Date, locale: Locale): string {
  return formatter(`dateTime|${locale}`, () =>
    new Intl.DateTimeFormat(tag(locale), {
      timeZone: TIME_ZONE,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }),
  ).format(date);
}

export function formatNumber(value: number, locale: Locale): string {
  return formatter(`number|${locale}`, () => new Intl.NumberFormat(tag(locale))).format(value);
}
