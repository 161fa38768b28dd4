// The rules for one plan's values, shared by the import and the edit card: counts, quarters, dates, phases,
// ratings and municipalities read from text, and the homes that must add up. Pure functions, no storage.
import { fold } from '../../text';
import { HOME_PARTS, REFERENCE, type Homes } from './model';
import type { PlanMessageKey } from './messages';

/** A problem with one value, as a sentence key and its blanks (filled in the reader's language). */
export interface Problem {
  key: PlanMessageKey;
  vars?: Record<string, string | number>;
}
type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (key: PlanMessageKey, vars?: Record<string, string | number>): Parsed<never> => ({ ok: false, problem: { key, ...(vars ? { vars } : {}) } });

/** Compares labels the way people type them: case, accents, hyphens, dots and extra spaces do not matter. */
export function loose(text: string): string {
  return fold(text).replace(/[-_./'’]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * A count of homes: a whole number from 0 up to the limit per plan. Dutch thousands separators ("1.250",
 * "1 250") are read as thousands; a decimal ("12,5") is refused rather than guessed.
 */
export function parseCount(raw: string, field: string, options: { required?: boolean } = {}): Parsed<number | undefined> {
  const text = raw.trim();
  if (!text) return options.required ? no('plan.problem.required', { field }) : ok(undefined);
  if (/^-/.test(text)) return no('plan.problem.negative', { field, value: clip(text) });
  const grouped = /^\d{1,3}([. ]\d{3})+$/.test(text) ? text.replace(/[. ]/g, '') : text;
  if (!/^\d+$/.test(grouped)) return no('plan.problem.notACount', { field, value: clip(text) });
  const value = Number(grouped);
  if (value > REFERENCE.limits.homesPerPlan) return no('plan.problem.absurd', { field, value: clip(text), max: REFERENCE.limits.homesPerPlan });
  return ok(value);
}

/** A quarter: "2027-Q3", "2027 Q3", "Q3 2027", "2027 K3" (kwartaal), or a bare year (counted as Q4, the end of it). */
export function parseQuarter(raw: string, field: string): Parsed<string> {
  const text = raw.trim().toUpperCase();
  if (!text) return ok('');
  let year: number | undefined;
  let quarter: number | undefined;
  let m = /^(\d{4})\s*[-/ ]?\s*[QK]\s*([1-4])$/.exec(text);
  if (m) [year, quarter] = [Number(m[1]), Number(m[2])];
  m = m ?? /^[QK]\s*([1-4])\s*[-/ ]?\s*(\d{4})$/.exec(text);
  if (m && year === undefined) [quarter, year] = [Number(m[1]), Number(m[2])];
  if (year === undefined && /^\d{4}$/.test(text)) [year, quarter] = [Number(text), 4];
  if (year === undefined || quarter === undefined) return no('plan.problem.quarter', { field, value: clip(raw) });
  const { firstYear, lastYear } = REFERENCE.limits;
  if (year < firstYear || year > lastYear) return no('plan.problem.yearRange', { field, value: year, from: firstYear, to: lastYear });
  return ok(`${year}-Q${quarter}`);
}

/** A date as 2025-03-14, 14-3-2025 or 14/03/2025 (or a date an Excel cell holds), not in the future. */
export function parseDate(raw: string | Date, field: string, today: Date): Parsed<string> {
  let iso: string | undefined;
  if (raw instanceof Date) {
    if (!Number.isNaN(raw.getTime())) iso = raw.toISOString().slice(0, 10);
  } else {
    const text = raw.trim();
    if (!text) return ok('');
    let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T.*)?$/.exec(text);
    if (m) iso = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
    if (m) iso = ymd(Number(m[3]), Number(m[2]), Number(m[1]));
  }
  if (!iso) return no('plan.problem.date', { field, value: clip(String(raw)) });
  const from = REFERENCE.limits.discussedFrom;
  const until = today.toISOString().slice(0, 10);
  if (iso < from || iso > until) return no('plan.problem.dateRange', { field, value: iso, from, to: until });
  return ok(iso);
}

function ymd(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A phase by its id, its Dutch or English name, or an alias from the reference data. */
export function parsePhase(raw: string): Parsed<string> {
  const text = loose(raw);
  if (!text) return no('plan.problem.required', { field: 'fase' });
  const phase = REFERENCE.phases.find((p) => [p.id, p.nl, p.en, ...p.aliases].some((label) => loose(label) === text));
  if (!phase) return no('plan.problem.unknownPhase', { value: clip(raw), choices: REFERENCE.phases.map((p) => p.nl).join(', ') });
  return ok(phase.id);
}

export function parseRating(raw: string, field: string): Parsed<string> {
  const text = loose(raw);
  if (!text) return ok('');
  const rating = REFERENCE.ratings.find((r) => [r.id, r.nl, r.en, ...r.aliases].some((label) => loose(label) === text));
  if (!rating) return no('plan.problem.unknownRating', { field, value: clip(raw), choices: REFERENCE.ratings.map((r) => r.nl).join(', ') });
  return ok(rating.id);
}

export interface Municipality {
  id: string;
  name: string;
}

/** A member municipality by id or name, with or without "Gemeente". */
export function parseMunicipality(raw: string, municipalities: readonly Municipality[]): Parsed<string> {
  const text = loose(raw).replace(/^gemeente /, '');
  if (!text) return no('plan.problem.required', { field: 'gemeente' });
  const found = municipalities.find((m) => loose(m.id) === text || loose(m.name).replace(/^gemeente /, '') === text);
  if (!found) return no('plan.problem.unknownMunicipality', { value: clip(raw), choices: municipalities.map((m) => shortName(m.name)).join(', ') });
  return ok(found.id);
}

export function shortName(organisationName: string): string {
  return organisationName.replace(/^Gemeente /, '');
}

/**
 * The parts must fit in the total. When "other" is not given it is what the named parts leave over; when it is
 * given, everything must add up exactly.
 */
export function completeHomes(given: { total: number } & Partial<Omit<Homes, 'total'>>, otherGiven: boolean): Parsed<Homes> {
  const homes: Homes = {
    total: given.total,
    socialRent: given.socialRent ?? 0,
    midRent: given.midRent ?? 0,
    affordablePurchase: given.affordablePurchase ?? 0,
    other: given.other ?? 0,
  };
  const named = homes.socialRent + homes.midRent + homes.affordablePurchase;
  if (!otherGiven) {
    if (named > homes.total) return no('plan.problem.partsAboveTotal', { parts: named, total: homes.total });
    return ok({ ...homes, other: homes.total - named });
  }
  const sum = HOME_PARTS.reduce((s, part) => s + homes[part], 0);
  if (sum > homes.total) return no('plan.problem.partsAboveTotal', { parts: sum, total: homes.total });
  if (sum !== homes.total) return no('plan.problem.partsBelowTotal', { parts: sum, total: homes.total });
  return ok(homes);
}

/** Start of construction may not come after delivery. */
export function checkOrder(start: string, delivery: string): Problem | undefined {
  return start && delivery && start > delivery ? { key: 'plan.problem.startAfterDelivery', vars: { start, delivery } } : undefined;
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 40)}…` : one;
}
