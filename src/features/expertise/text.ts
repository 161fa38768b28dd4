// Dutch text into the terms a dilemma or a question is matched on. Pure: no storage, no clock.
// Words are folded (no case, no accents), Dutch stop words dropped, stemmed (Snowball), and the housing
// concepts they name (concepts.json: "kavelprijs" and "grondprijs" are one concept) added as terms of their own.
import { nld } from 'stopword';
import { newStemmer } from 'snowball-stemmers';
import { z } from 'zod';
import { fold } from '../../text';

const stemmer = newStemmer('dutch');
const STOP = new Set<string>([...nld.map((w) => fold(w)), 'wel', 'heel', 'erg', 'echt', 'hoe', 'wie', 'weet', 'iets', 'gaan', 'gaat', 'komen', 'krijgen', 'doen', 'willen', 'moeten', 'kunnen']);
/** A word longer than this is cut (nobody types it, and it keeps the index small). */
const MAX_WORD = 40;

/**
 * The stem of one folded word. Snowball leaves the Dutch voicing of a plural ("prijzen" → "prijz",
 * "prijs" → "prijs"): a closing z or v becomes s or f, so both forms meet.
 */
export function stem(word: string): string {
  const s = stemmer.stem(word);
  if (s.length > 3 && s.endsWith('z')) return `${s.slice(0, -1)}s`;
  if (s.length > 3 && s.endsWith('v')) return `${s.slice(0, -1)}f`;
  return s;
}

const stemCache = new Map<string, string>();
function cachedStem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stem(word);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** The stems of a text, in order, without stop words and one-letter words. */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const raw of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || STOP.has(raw)) continue;
    out.push(cachedStem(raw.slice(0, MAX_WORD)));
  }
  return out;
}

const conceptSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,40}$/),
  theme: z.string().optional(),
  terms: z.array(z.string().min(2).max(80)).min(1),
});
export const conceptFileSchema = z.object({ about: z.string().optional(), concepts: z.array(conceptSchema) });
export type ConceptFile = z.infer<typeof conceptFileSchema>;
export type Concept = z.infer<typeof conceptSchema>;

/** The term a concept adds to a text: it cannot collide with a word stem. */
export const conceptTerm = (id: string) => `~${id}`;
/** The term a theme adds to a text. */
export const themeTerm = (id: string) => `#${id}`;

/** Words near each other count as one phrase when they are at most this many stems apart. */
const PHRASE_WINDOW = 3;

/** The concept list, made ready for matching: every term as its stems. */
export class Concepts {
  private readonly single = new Map<string, Set<string>>();
  private readonly phrases: Array<{ id: string; stems: string[] }> = [];
  private readonly themes = new Map<string, string>();

  constructor(concepts: readonly Concept[]) {
    for (const c of concepts) {
      if (c.theme) this.themes.set(c.id, c.theme);
      for (const term of c.terms) {
        const s = stems(term);
        if (s.length === 1) {
          const set = this.single.get(s[0]!) ?? new Set<string>();
          set.add(c.id);
          this.single.set(s[0]!, set);
        } else if (s.length > 1) this.phrases.push({ id: c.id, stems: s });
      }
    }
  }

  /** Merges concept files (the kept list and the secretariaat's own): terms of one id add up. */
  static of(...files: ConceptFile[]): Concepts {
    const byId = new Map<string, Concept>();
    for (const file of files) {
      for (const c of file.concepts) {
        const known = byId.get(c.id);
        byId.set(c.id, known ? { ...known, theme: known.theme ?? c.theme, terms: [...known.terms, ...c.terms] } : { ...c });
      }
    }
    return new Concepts([...byId.values()]);
  }

  /** The theme a concept belongs to, if any. */
  themeOf(id: string): string | undefined {
    return this.themes.get(id);
  }

  /** The concepts a stemmed text names (each once). */
  find(textStems: readonly string[]): string[] {
    const found = new Set<string>();
    const at = new Map<string, number[]>();
    textStems.forEach((s, i) => {
      for (const id of this.single.get(s) ?? []) found.add(id);
      const list = at.get(s);
      if (list) list.push(i);
      else at.set(s, [i]);
    });
    for (const phrase of this.phrases) {
      if (found.has(phrase.id)) continue;
      if (phraseIn(phrase.stems, at)) found.add(phrase.id);
    }
    return [...found];
  }
}

/** Whether the stems of a phrase occur in order, each within a few stems of the one before. */
function phraseIn(phrase: readonly string[], at: Map<string, number[]>): boolean {
  const starts = at.get(phrase[0]!);
  if (!starts) return false;
  for (const start of starts) {
    let pos = start;
    let ok = true;
    for (let k = 1; k < phrase.length && ok; k++) {
      const next = (at.get(phrase[k]!) ?? []).find((p) => p > pos && p - pos <= PHRASE_WINDOW);
      if (next === undefined) ok = false;
      else pos = next;
    }
    if (ok) return true;
  }
  return false;
}

/** Whether two stems are at most `max` edits apart (insert, delete, change, swap of neighbours). */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const n = b.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return false;
    prevPrev = prev;
    prev = row;
  }
  return prev[n]! <= max;
}

/** How many typing slips a word of this length may carry and still be found. */
export function allowedEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}
