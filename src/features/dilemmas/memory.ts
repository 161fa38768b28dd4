// Every dilemma in process memory, newest first, with its list row and a word index for search. Pure (no storage,
// no clock): the read model (readModel.ts) fills it from the store and keeps it fresh. A list, a filter, a
// "Meer" page or a search is then a walk over memory, however many dilemmas there are: no chat turn waits
// for storage to show a list.
import { summaryOf, type Dilemma, type DilemmaSummary } from './model';
import { indexWords } from './words';

/** The newest-first key of a dilemma: inverted creation time, then inverted number (newest number first). */
function newestKey(createdAt: string, id: string): string {
  const ms = Date.parse(createdAt);
  const invertedTime = String(9_999_999_999_999 - (Number.isFinite(ms) ? ms : 0)).padStart(13, '0');
  const match = /^D-(\d{4})-(\d{3,6})$/.exec(id);
  const year = match ? Number(match[1]) : 0;
  const sequence = match ? Number(match[2]) : 0;
  return `${invertedTime}-${String(9999 - year).padStart(4, '0')}${String(999_999 - sequence).padStart(6, '0')}`;
}

/** A search word matches at most this many known words (prefixes); more is reported as capped. */
const MAX_PREFIX_WORDS = 25;

export interface MemoryPage {
  items: DilemmaSummary[];
  /** Where the next page starts (a newest-first key), when there is one. */
  next?: string;
  /** A search word was the start of more words than were looked at. */
  capped: boolean;
}

interface Entry {
  /** Its place in `bySlot`; never changes, so the word index can point to it with a small number. */
  readonly slot: number;
  /** Sorts newest first; made from the creation time and number, which never change. */
  readonly key: string;
  dilemma: Dilemma;
  summary: DilemmaSummary;
  words: string[];
  revision: number;
}

/** The first index in `sorted` whose value is greater than (or, with `orEqual`, at least) `value`. */
function firstAfter(sorted: readonly string[], value: string, orEqual = false): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value || (!orEqual && sorted[mid] === value)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The upper bound of a prefix range: "woning" → "woninh". */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export class DilemmaMemory {
  private readonly byId = new Map<string, Entry>();
  private readonly bySlot: Entry[] = [];
  /** Every entry, newest first, and their keys in the same order (for finding where a page starts). */
  private newest: Entry[] = [];
  private keys: string[] = [];
  /** Per word, the slots of the dilemmas that have it; and every word, sorted, for prefix search. */
  private readonly postings = new Map<string, number[]>();
  private vocabulary: string[] = [];

  /** Memory filled with many dilemmas at once (a load at start): sorted once, not per dilemma. */
  static of(dilemmas: Iterable<{ dilemma: Dilemma; revision: number }>): DilemmaMemory {
    const memory = new DilemmaMemory();
    for (const { dilemma, revision } of dilemmas) {
      if (memory.byId.has(dilemma.id)) {
        memory.apply(dilemma, revision);
        continue;
      }
      const entry = memory.newEntry(dilemma, revision);
      memory.newest.push(entry);
      for (const word of entry.words) memory.post(word, entry.slot);
    }
    memory.newest.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    memory.keys = memory.newest.map((e) => e.key);
    memory.vocabulary = [...memory.postings.keys()].sort();
    return memory;
  }

  revisionOf(id: string): number | undefined {
    return this.byId.get(id)?.revision;
  }

  get(id: string): { dilemma: Dilemma; revision: number } | undefined {
    return this.byId.get(id);
  }

  /** The dilemmas for which `test` holds, newest first. */
  filter(test: (d: Dilemma) => boolean): Dilemma[] {
    const out: Dilemma[] = [];
    for (const e of this.newest) if (test(e.dilemma)) out.push(e.dilemma);
    return out;
  }

  /** Every dilemma as memory holds it, with its revision (for carrying newer ones over into a new load). */
  *entries(): Iterable<{ dilemma: Dilemma; revision: number }> {
    for (const e of this.newest) yield e;
  }

  /**
   * Takes a dilemma as stored at `revision`; an older revision than memory has is ignored, so changes may
   * arrive in any order and more than once. Returns whether memory changed.
   */
  apply(dilemma: Dilemma, revision: number): boolean {
    const current = this.byId.get(dilemma.id);
    if (current && current.revision >= revision) return false;
    const words = indexWords(dilemma.title, dilemma.description);
    if (!current) {
      const entry = this.newEntry(dilemma, revision, words);
      const at = firstAfter(this.keys, entry.key);
      this.newest.splice(at, 0, entry);
      this.keys.splice(at, 0, entry.key);
      for (const word of entry.words) this.addWord(word, entry.slot);
      return true;
    }
    const had = new Set(current.words);
    const has = new Set(words);
    for (const word of current.words) if (!has.has(word)) this.removeWord(word, current.slot);
    for (const word of words) if (!had.has(word)) this.addWord(word, current.slot);
    current.dilemma = dilemma;
    current.summary = summaryOf(dilemma);
    current.words = words;
    current.revision = revision;
    return true;
  }

  /**
   * One page, newest first, after `after` (a key): the rows `accept` lets through, at most `want`, and where
   * the next page starts when there is at least one more.
   */
  page(after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): MemoryPage {
    return this.walk(after, (e) => accept(e.summary), want, false);
  }

  /**
   * One page of a search: dilemmas that have, for every search word, a word starting with it (words as
   * indexWords makes them); newest first, after `after`.
   */
  search(words: readonly string[], after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): MemoryPage {
    let capped = false;
    // Per slot one bit per search word (at most five words, see searchWords) that the dilemma has.
    const marks = new Uint8Array(this.bySlot.length);
    const limited = words.slice(0, 8);
    for (let i = 0; i < limited.length; i++) {
      const word = limited[i]!;
      const from = firstAfter(this.vocabulary, word, true);
      const to = firstAfter(this.vocabulary, prefixEnd(word), true);
      if (to === from) return { items: [], capped };
      if (to - from > MAX_PREFIX_WORDS) capped = true;
      for (const known of this.vocabulary.slice(from, Math.min(to, from + MAX_PREFIX_WORDS))) {
        for (const slot of this.postings.get(known) ?? []) marks[slot]! |= 1 << i;
      }
    }
    const all = (1 << limited.length) - 1;
    const page = this.walk(after, (e) => marks[e.slot] === all && accept(e.summary), want, capped);
    return page;
  }

  private walk(after: string | undefined, accept: (e: Entry) => boolean, want: number, capped: boolean): MemoryPage {
    const items: DilemmaSummary[] = [];
    for (let i = after === undefined ? 0 : firstAfter(this.keys, after); i < this.newest.length; i++) {
      const entry = this.newest[i]!;
      if (!accept(entry)) continue;
      if (items.length === want) return { items, next: this.byId.get(items[items.length - 1]!.id)!.key, capped };
      items.push(entry.summary);
    }
    return { items, capped };
  }

  private newEntry(dilemma: Dilemma, revision: number, words = indexWords(dilemma.title, dilemma.description)): Entry {
    const entry: Entry = { slot: this.bySlot.length, key: newestKey(dilemma.createdAt, dilemma.id), dilemma, summary: summaryOf(dilemma), words, revision };
    this.bySlot.push(entry);
    this.byId.set(dilemma.id, entry);
    return entry;
  }

  private post(word: string, slot: number): boolean {
    const slots = this.postings.get(word);
    if (slots) {
      slots.push(slot);
      return false;
    }
    this.postings.set(word, [slot]);
    return true;
  }

  private addWord(word: string, slot: number): void {
    if (this.post(word, slot)) this.vocabulary.splice(firstAfter(this.vocabulary, word, true), 0, word);
  }

  private removeWord(word: string, slot: number): void {
    const slots = this.postings.get(word);
    if (!slots) return;
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    if (slots.length) return;
    this.postings.delete(word);
    const index = firstAfter(this.vocabulary, word, true);
    if (this.vocabulary[index] === word) this.vocabulary.splice(index, 1);
  }
}
