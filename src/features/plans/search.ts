// The plans in memory, for finding one by a name as people type it: case and accents do not matter, a part
// of a word is enough, and a small typo is forgiven. Lookups never touch storage; the service keeps it fresh.
import { fold } from '../../text';
import type { Plan } from './model';

interface Indexed {
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

// Three rows of the distance table, reused across calls: the typo search runs over many words per question.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Edit distance (with swapped neighbours as one edit), or max + 1 as soon as it is known to be above max. Only
 * the band of cells within `max` of the diagonal is computed.
 */
export function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (b.length + 1 > rows[0]!.length) rows = rows.map(() => new Int32Array(b.length * 2 + 2));
  let [prevPrev, prev, row] = rows as [Int32Array, Int32Array, Int32Array];
  const big = max + 1;
  for (let j = 0; j <= b.length; j++) prev[j] = j <= max ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    row[0] = i <= max ? i : big;
    if (from > 1) row[from - 1] = big;
    let best = row[0]!;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prevPrev[j - 2]! + 1);
      row[j] = v > big ? big : v;
      if (v < best) best = v;
    }
    if (to < b.length) row[to + 1] = big;
    if (best > max) return big;
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  return Math.min(prev[b.length]!, big);
}

export class PlanIndex {
  private readonly plans = new Map<string, Indexed>();
  /** Each plan's name as one folded word ("annashoeve"), for names typed without spaces. */
  private readonly compactNames = new Map<string, string>();
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
    this.compactNames.set(entry.plan.id, compact(entry.plan.name));
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

  /** How well each plan matches one typed word: 3 whole word, 2 start of a word, 1 with one typo, ½ with two. */
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
        if (word === token) continue;
        // One typo weighs more than two, so the nearest name wins.
        const d = distance(token, word, max);
        if (d <= max) give(word, d === 1 ? 1 : 0.5);
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
    const exact = [...(this.byWord.get(tokens[0]!) ?? [])].filter((id) => this.compactNames.get(id) === whole).map((id) => this.plans.get(id)!.plan);
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
        .sort((a, b) => b.hits - a.hits || b.score - a.score || (a.plan.name < b.plan.name ? -1 : a.plan.name > b.plan.name ? 1 : 0));
    const full = rank([...total.keys()].filter((id) => total.get(id)!.hits === tokens.length));
    if (full.length === 1) return { kind: 'one', plan: full[0]!.plan };
    if (full.length > 1) {
      // One plan matching every word as typed beats others that only match with a typo or a word's start.
      const perfect = full.filter((f) => f.score === tokens.length * 3);
      if (perfect.length === 1) return { kind: 'one', plan: perfect[0]!.plan };
      // Likewise one that matches clearly better than all others (whole words against mere starts of words).
      if (!perfect.length && full[0]!.score > full[1]!.score) return { kind: 'one', plan: full[0]!.plan };
      return { kind: 'several', plans: full.slice(0, limit).map((f) => f.plan) };
    }
    if (total.size) return { kind: 'none', closest: rank([...total.keys()]).slice(0, limit).map((f) => f.plan) };
    // One word that matches no word: perhaps a name written as one word ("annashoeve"). Compare whole names.
    if (tokens.length > 1) return { kind: 'none', closest: [] };
    const max = allowedTypos(whole.length);
    const near: Array<{ plan: Plan; d: number }> = [];
    for (const [id, name] of this.compactNames) {
      if (Math.abs(name.length - whole.length) > max) continue;
      const d = distance(whole, name, max);
      if (d <= max) near.push({ plan: this.plans.get(id)!.plan, d });
    }
    near.sort((a, b) => a.d - b.d);
    if (near.length === 1 || (near.length > 1 && near[0]!.d < near[1]!.d && near[0]!.d <= 1)) return { kind: 'one', plan: near[0]!.plan };
    return { kind: 'none', closest: near.slice(0, limit).map((x) => x.plan) };
  }
}
