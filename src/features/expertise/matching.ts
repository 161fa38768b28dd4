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
  terms: Terms;
  norm: number;
}

export class TopicIndex {
  private readonly docs = new Map<string, Doc>();
  private readonly postings = new Map<string, Map<string, number>>();
  private dirtyNorms = true;
  private readonly typos = new Map<string, Array<{ term: string; edits: number }>>();

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
    this.docs.set(id, { id, terms, norm: 0 });
    for (const [term, w] of terms) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = new Map();
        this.postings.set(term, posting);
        this.typos.clear();
      }
      posting.set(id, w);
    }
    this.dirtyNorms = true;
  }

  remove(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    for (const term of doc.terms.keys()) {
      const posting = this.postings.get(term);
      posting?.delete(id);
      if (posting && posting.size === 0) {
        this.postings.delete(term);
        this.typos.clear();
      }
    }
    this.docs.delete(id);
    this.dirtyNorms = true;
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

  /** Each document's length under the current term rarities (after changes, once, before a search). */
  private norms(): void {
    if (!this.dirtyNorms) return;
    const idf = new Map<string, number>();
    for (const term of this.postings.keys()) idf.set(term, this.idf(term));
    for (const doc of this.docs.values()) {
      let sum = 0;
      for (const [term, w] of doc.terms) sum += (w * idf.get(term)!) ** 2;
      doc.norm = Math.sqrt(sum) || 1;
    }
    this.dirtyNorms = false;
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
    this.norms();
    const expanded = this.expand(query);
    const scores = new Map<string, number>();
    let qNorm = 0;
    for (const [term, w] of expanded) {
      const idf = this.idf(term);
      const qw = w * idf;
      qNorm += qw * qw;
      const posting = this.postings.get(term);
      if (!posting) continue;
      for (const [id, dw] of posting) scores.set(id, (scores.get(id) ?? 0) + qw * dw * idf);
    }
    qNorm = Math.sqrt(qNorm) || 1;
    const top: Hit[] = [];
    for (const [id, dot] of scores) {
      const score = dot / (qNorm * this.docs.get(id)!.norm);
      if (score < minScore) continue;
      if (top.length === limit && score <= top[top.length - 1]!.score) continue;
      if (!accept(id)) continue;
      let at = top.length;
      while (at > 0 && top[at - 1]!.score < score) at--;
      top.splice(at, 0, { id, score });
      if (top.length > limit) top.pop();
    }
    return top;
  }
}
