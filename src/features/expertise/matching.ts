// The topic index: every dilemma as weighted terms (stems, housing concepts, its theme), and a scored search
// that finds the dilemmas nearest to a question or to a new dilemma. Pure: no storage, no clock, no rules about
// who may see what (the caller passes `accept`, which applies canSee).
import { allowedEdits, conceptTerm, stems, themeTerm, withinEdits, type Concepts } from './text';

/** What a text is about: each term with its weight. */
export type Terms = Map<string, number>;

export interface TopicText {
  title: string;
  description?: string;
  theme?: string;
}

/** Weights of where a term comes from: a title says more than a long description; concepts and theme add up. */
const WEIGHT = { title: 2, description: 1, concept: 3, theme: 2 } as const;
/** A misspelt query word counts for this part of the word it was taken for. */
const TYPO_WEIGHT = 0.7;
/** The theme "overig" says nothing about what a dilemma is about. */
const NO_THEME = 'overig';

export interface Hit {
  id: string;
  /** Cosine of the two term vectors (0–1). */
  score: number;
}

interface Doc {
  id: string;
  /** Its place in the score arrays; reused after a removal. */
  slot: number;
  terms: Terms;
  norm: number;
}

/** A term in more than this share of the documents is common: it only adds to the nearest candidates. */
const COMMON_SHARE = 0.1;
/** Below this many documents every term is treated as rare (exact scores). */
const SMALL_INDEX = 200;
/** How many candidates from the rare terms get their common terms added before the final ranking. */
const CANDIDATES = 300;
/** When the number of documents drifted this much since the last full pass, all lengths are computed again. */
const DRIFT = 0.1;

export class TopicIndex {
  private readonly docs = new Map<string, Doc>();
  private bySlot: Array<Doc | undefined> = [];
  private freeSlots: number[] = [];
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly typos = new Map<string, Array<{ term: string; edits: number }>>();
  private scores = new Float64Array(1024);
  /** Documents whose length is not known yet (added since the last search). */
  private readonly unmeasured = new Set<Doc>();
  private measuredAt = 0;

  constructor(private readonly concepts: Concepts) {}

  get size(): number {
    return this.docs.size;
  }

  /** The weighted terms of a text: stems of title and description, the concepts they name, the theme. */
  analyse(text: TopicText): Terms {
    const terms: Terms = new Map();
    const add = (term: string, w: number) => terms.set(term, (terms.get(term) ?? 0) + w);
    const title = stems(text.title);
    const description = text.description ? stems(text.description) : [];
    for (const s of title) add(s, WEIGHT.title);
    for (const s of description) add(s, WEIGHT.description);
    const themes = new Set<string>();
    for (const id of this.concepts.find([...title, ...description])) {
      add(conceptTerm(id), WEIGHT.concept);
      const theme = this.concepts.themeOf(id);
      if (theme) themes.add(theme);
    }
    if (text.theme && text.theme !== NO_THEME) add(themeTerm(text.theme), WEIGHT.theme);
    // A question names no theme, but its concepts do.
    else for (const theme of themes) add(themeTerm(theme), WEIGHT.theme / 2);
    // Repeating a word adds less and less.
    for (const [term, w] of terms) terms.set(term, Math.sqrt(w));
    return terms;
  }

  /** The concepts and theme in a set of terms (for saying what a question is about). */
  static labels(terms: Terms): { concepts: string[]; themes: string[] } {
    const concepts: Array<[string, number]> = [];
    const themes: Array<[string, number]> = [];
    for (const [term, w] of terms) {
      if (term.startsWith('~')) concepts.push([term.slice(1), w]);
      else if (term.startsWith('#')) themes.push([term.slice(1), w]);
    }
    const order = (list: Array<[string, number]>) => list.sort((a, b) => b[1] - a[1]).map(([t]) => t);
    return { concepts: order(concepts), themes: order(themes) };
  }

  put(id: string, text: TopicText): void {
    this.remove(id);
    const terms = this.analyse(text);
    const slot = this.freeSlots.pop() ?? this.bySlot.length;
    const doc: Doc = { id, slot, terms, norm: 0 };
    this.docs.set(id, doc);
    this.bySlot[slot] = doc;
    if (slot >= this.scores.length) this.scores = new Float64Array(Math.max(slot + 1, this.scores.length * 2));
    for (const [term, w] of terms) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = new Map();
        this.postings.set(term, posting);
        this.typos.clear();
      }
      posting.set(slot, w);
    }
    this.unmeasured.add(doc);
  }

  remove(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    for (const term of doc.terms.keys()) {
      const posting = this.postings.get(term);
      posting?.delete(doc.slot);
      if (posting && posting.size === 0) {
        this.postings.delete(term);
        this.typos.clear();
      }
    }
    this.docs.delete(id);
    this.bySlot[doc.slot] = undefined;
    this.freeSlots.push(doc.slot);
    this.unmeasured.delete(doc);
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  termsOf(id: string): Terms | undefined {
    return this.docs.get(id)?.terms;
  }

  private idf(term: string): number {
    const df = this.postings.get(term)?.size ?? 0;
    return Math.log(1 + (this.docs.size + 1) / (df + 1));
  }

  private length(doc: Doc): number {
    let sum = 0;
    for (const [term, w] of doc.terms) sum += (w * this.idf(term)) ** 2;
    return Math.sqrt(sum) || 1;
  }

  /**
   * Document lengths under the current term rarities: new documents at once; all of them again only when the
   * number of documents drifted (rarities barely move between), so one new dilemma does not cost a full pass.
   */
  measure(): void {
    if (Math.abs(this.docs.size - this.measuredAt) > this.measuredAt * DRIFT) {
      for (const doc of this.docs.values()) doc.norm = this.length(doc);
      this.measuredAt = this.docs.size;
    } else for (const doc of this.unmeasured) doc.norm = this.length(doc);
    this.unmeasured.clear();
  }

  /** Known terms a slip of the keyboard away from an unknown query word. */
  private nearTerms(word: string): Array<{ term: string; edits: number }> {
    const cached = this.typos.get(word);
    if (cached) return cached;
    const max = allowedEdits(word.length);
    const found: Array<{ term: string; edits: number }> = [];
    if (max > 0) {
      for (const term of this.postings.keys()) {
        if (term[0] !== word[0] || term.startsWith('~') || term.startsWith('#')) continue;
        if (Math.abs(term.length - word.length) > max) continue;
        if (withinEdits(word, term, max)) found.push({ term, edits: 1 });
      }
    }
    if (this.typos.size > 5_000) this.typos.clear();
    this.typos.set(word, found);
    return found;
  }

  /** The query's terms with their weights, a misspelt word replaced by the known words it may mean. */
  private expand(query: Terms): Terms {
    const out: Terms = new Map();
    for (const [term, w] of query) {
      if (this.postings.has(term) || term.startsWith('~') || term.startsWith('#')) {
        out.set(term, Math.max(out.get(term) ?? 0, w));
        continue;
      }
      const near = this.nearTerms(term);
      // An unknown word that resembles nothing still counts in the question's length: it is part of what is asked.
      if (!near.length) out.set(term, Math.max(out.get(term) ?? 0, w));
      for (const n of near) out.set(n.term, Math.max(out.get(n.term) ?? 0, w * TYPO_WEIGHT));
    }
    return out;
  }

  /**
   * The documents nearest to the query, best first: at most `limit`, each at least `minScore`, and only
   * those `accept` lets through.
   */
  search(query: Terms, accept: (id: string) => boolean, limit: number, minScore = 0): Hit[] {
    this.measure();
    const n = this.docs.size;
    const rare: Array<[Map<number, number>, number]> = [];
    const common: Array<[Map<number, number>, number]> = [];
    let qNorm = 0;
    for (const [term, w] of this.expand(query)) {
      const idf = this.idf(term);
      const qw = w * idf;
      qNorm += qw * qw;
      const posting = this.postings.get(term);
      if (!posting) continue;
      (n > SMALL_INDEX && posting.size > n * COMMON_SHARE ? common : rare).push([posting, qw * idf]);
    }
    qNorm = Math.sqrt(qNorm) || 1;
    // A question of common words only: they are all it has.
    if (!rare.length) rare.push(...common.splice(0));
    const scores = this.scores;
    const touched: number[] = [];
    for (const [posting, factor] of rare) {
      for (const [slot, dw] of posting) {
        if (scores[slot] === 0) touched.push(slot);
        scores[slot]! += factor * dw;
      }
    }
    let candidates = touched;
    if (common.length && touched.length > CANDIDATES) {
      // The nearest few by their rare terms (a typed-array sort of the values finds the cut quickly).
      const values = Float64Array.from(touched, (slot) => scores[slot]!).sort();
      const cut = values[values.length - CANDIDATES]!;
      candidates = touched.filter((slot) => scores[slot]! >= cut);
    }
    const top: Hit[] = [];
    for (const slot of candidates) {
      let dot = scores[slot]!;
      for (const [posting, factor] of common) dot += factor * (posting.get(slot) ?? 0);
      const doc = this.bySlot[slot]!;
      const score = dot / (qNorm * doc.norm);
      if (score < minScore) continue;
      if (top.length === limit && score <= top[top.length - 1]!.score) continue;
      if (!accept(doc.id)) continue;
      let at = top.length;
      while (at > 0 && top[at - 1]!.score < score) at--;
      top.splice(at, 0, { id: doc.id, score });
      if (top.length > limit) top.pop();
    }
    for (const slot of touched) scores[slot] = 0;
    return top;
  }
}
