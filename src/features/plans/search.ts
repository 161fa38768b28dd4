// The plans in memory, for finding one by a name as people type it: case and accents do not matter, a part
// of a word is enough, and a small typo is forgiven. Lookups never touch storage; the service keeps it fresh.
import { fold } from '../../text';
import type { Plan } from './model';

export interface Indexed {
  plan: Plan;
  etag: string;
}

export type Found =
  | { kind: 'one'; plan: Plan }
  | { kind: 'several'; plans: Plan[] }
  | { kind: 'none'; closest: Plan[] };

const words = (text: string) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const compact = (text: string) => words(text).join('');

/** The typos forgiven in a word: none in short words, one from 4 letters, two from 8. */
function allowedTypos(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/** Edit distance (with swapped neighbours as one edit), or max + 1 as soon as it is known to be above max. */
export function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}

export class PlanIndex {
  private readonly plans = new Map<string, Indexed>();
  /** Word → ids of the plans whose name or location has it. */
  private readonly byWord = new Map<string, Set<string>>();
  /** The distinct words, by length, for the typo search. */
  private readonly byLength = new Map<number, Set<string>>();
  /** Sorted distinct words for prefix search; rebuilt lazily after a change. */
  private sorted: string[] | undefined;

  get size(): number {
    return this.plans.size;
  }

  get(id: string): Indexed | undefined {
    return this.plans.get(id);
  }

  all(): Plan[] {
    return [...this.plans.values()].map((i) => i.plan);
  }

  put(entry: Indexed): void {
    const old = this.plans.get(entry.plan.id);
    if (old && old.plan.revision > entry.plan.revision) return;
    if (old) for (const w of this.wordsOf(old.plan)) this.byWord.get(w)?.delete(old.plan.id);
    this.plans.set(entry.plan.id, entry);
    for (const w of this.wordsOf(entry.plan)) {
      let ids = this.byWord.get(w);
      if (!ids) {
        this.byWord.set(w, (ids = new Set()));
        let bucket = this.byLength.get(w.length);
        if (!bucket) this.byLength.set(w.length, (bucket = new Set()));
        bucket.add(w);
        this.sorted = undefined;
      }
      ids.add(entry.plan.id);
    }
  }

  private wordsOf(plan: Plan): string[] {
    return [...new Set([...words(plan.name), ...words(plan.location)])];
  }

  private sortedWords(): string[] {
    this.sorted ??= [...this.byWord.keys()].filter((w) => this.byWord.get(w)!.size).sort();
    return this.sorted;
  }

  /** How well each plan matches one typed word: 3 whole word, 2 start of a word, 1 with a typo. */
  private matchWord(token: string): Map<string, number> {
    const scores = new Map<string, number>();
    const give = (word: string, score: number) => {
      for (const id of this.byWord.get(word) ?? []) if ((scores.get(id) ?? 0) < score) scores.set(id, score);
    };
    give(token, 3);
    if (token.length >= 2) {
      const list = this.sortedWords();
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]! < token) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < list.length && list[i]!.startsWith(token); i++) if (list[i] !== token) give(list[i]!, 2);
    }
    const max = allowedTypos(token.length);
    for (let len = token.length - max; max && len <= token.length + max; len++) {
      for (const word of this.byLength.get(len) ?? []) {
        if (word !== token && distance(token, word, max) <= max) give(word, 1);
      }
    }
    return scores;
  }

  /**
   * The plan a person means: the one whose name is exactly this, else the plans where every typed word
   * matches (best first); when none do, the closest names.
   */
  find(query: string, limit = 5): Found {
    const tokens = [...new Set(words(query))];
    if (!tokens.length) return { kind: 'none', closest: [] };
    const whole = compact(query);
    const exact = [...(this.byWord.get(tokens[0]!) ?? [])].map((id) => this.plans.get(id)!.plan).filter((p) => compact(p.name) === whole);
    if (exact.length === 1) return { kind: 'one', plan: exact[0]! };

    const perToken = tokens.map((t) => this.matchWord(t));
    const total = new Map<string, { score: number; hits: number }>();
    perToken.forEach((scores) => {
      for (const [id, s] of scores) {
        const t = total.get(id) ?? { score: 0, hits: 0 };
        total.set(id, { score: t.score + s, hits: t.hits + 1 });
      }
    });
    const rank = (ids: string[]) =>
      ids
        .map((id) => ({ plan: this.plans.get(id)!.plan, ...total.get(id)! }))
        .sort((a, b) => b.hits - a.hits || b.score - a.score || a.plan.name.localeCompare(b.plan.name, 'nl'));
    const full = rank([...total.keys()].filter((id) => total.get(id)!.hits === tokens.length));
    if (full.length === 1) return { kind: 'one', plan: full[0]!.plan };
    if (full.length > 1) {
      // One plan matching every word as typed beats others that only match with a typo or a word's start.
      const perfect = full.filter((f) => f.score === tokens.length * 3);
      if (perfect.length === 1) return { kind: 'one', plan: perfect[0]!.plan };
      return { kind: 'several', plans: full.slice(0, limit).map((f) => f.plan) };
    }
    if (total.size) return { kind: 'none', closest: rank([...total.keys()]).slice(0, limit).map((f) => f.plan) };
    // Written as one word ("annashoeve"), or every word off: compare whole names, of similar length only.
    const max = Math.min(3, allowedTypos(whole.length));
    const near = [...this.plans.values()]
      .map(({ plan }) => ({ plan, d: distance(whole, compact(plan.name), max) }))
      .filter((x) => x.d <= max)
      .sort((a, b) => a.d - b.d);
    if (near.length === 1 || (near.length > 1 && near[0]!.d < near[1]!.d && near[0]!.d <= 1)) return { kind: 'one', plan: near[0]!.plan };
    return { kind: 'none', closest: near.slice(0, limit).map((x) => x.plan) };
  }
}
