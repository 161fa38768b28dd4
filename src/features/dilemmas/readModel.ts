// What chat turns read dilemmas from: memory (memory.ts) kept fresh by the store's change log. Every process
// loads every dilemma once at start. Its own writes count at once; another process's writes arrive with the
// next poll of the change log (every `refreshMs`), and a full load every quarter hour catches anything a poll
// could have missed. Responses are kept for the few hundred dilemmas opened last, checked against the
// revision memory has, so a detail is never older than the list.
import type { Dilemma, DilemmaResponse, DilemmaSummary } from './model';
import { DilemmaMemory, type MemoryPage } from './memory';

/** A change another process made: a dilemma at a revision, or "load everything again" (many rows at once). */
export type Change = { id: string; revision: number } | { reload: string; at: number };

/** What the read model needs from the store. */
interface ChangeSource {
  readAll(): Promise<Array<{ dilemma: Dilemma; revision: number }>>;
  /** Changes written at or after `since` (by the writer's clock). */
  changesSince(since: Date, now: Date): Promise<Change[]>;
  read(id: string): Promise<{ dilemma: Dilemma; revision: number } | undefined>;
  responses(id: string): Promise<DilemmaResponse[]>;
  /** Removes change rows older than `before` (nobody polls that far back). */
  forgetChanges(before: Date): Promise<void>;
}

export interface ReadModelOptions {
  /** How often the change log is polled; 0: before every read (tests that want no delay at all). */
  refreshMs: number;
  /** A poll also reads changes this much older than the last one, for clocks that differ a little. */
  overlapMs?: number;
  /** Everything is loaded again this often, whatever the polls found. */
  fullLoadMs?: number;
  /** Details kept (least recently opened ones go first). */
  detailCache?: number;
  /** Over this many changes in one poll, one full load is cheaper than a read per change. */
  maxChangesPerPoll?: number;
  /**
   * Called on every failed poll; `again` is false only for the first failure after it worked, so a caller
   * can say it once and count the rest quietly.
   */
  onError?(err: unknown, again: boolean): void;
  /** Called when it works again after failing. */
  onRecovered?(): void;
}

const DEFAULTS = { overlapMs: 30_000, fullLoadMs: 15 * 60_000, detailCache: 300, maxChangesPerPoll: 200 };
/** Change rows are kept this long: far longer than any poll looks back. */
const KEEP_CHANGES_MS = 48 * 3600_000;

export interface Detail {
  dilemma: Dilemma;
  responses: DilemmaResponse[];
}

export class DilemmaReadModel {
  private memory?: DilemmaMemory;
  private loading?: Promise<DilemmaMemory>;
  /** Writes of this process while a load runs: carried over into the new memory when it is newer. */
  private readonly duringLoad: Array<{ dilemma: Dilemma; revision: number }> = [];
  private polledFrom = 0;
  private loadedAt = 0;
  private cleanedAt = 0;
  private readonly seenReloads = new Set<string>();
  private readonly details = new Map<string, { revision: number; detail: Detail }>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private failing = false;
  private readonly options: Required<Omit<ReadModelOptions, 'onError' | 'onRecovered'>> & Pick<ReadModelOptions, 'onError' | 'onRecovered'>;

  constructor(
    private readonly source: ChangeSource,
    options: ReadModelOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Memory, loaded on first use. */
  private async ready(): Promise<DilemmaMemory> {
    if (this.memory && this.options.refreshMs === 0) await this.poll();
    if (this.memory) return this.memory;
    return (this.loading ??= this.load());
  }

  /** Reads every dilemma into a new memory, keeping this process's writes made meanwhile. */
  private async load(): Promise<DilemmaMemory> {
    try {
      const startedAt = this.clock();
      this.duringLoad.length = 0;
      const memory = DilemmaMemory.of(await this.source.readAll());
      // What this process wrote or learnt since the read began may be newer than what the read saw.
      if (this.memory) for (const e of this.memory.entries()) memory.apply(e.dilemma, e.revision);
      for (const { dilemma, revision } of this.duringLoad) memory.apply(dilemma, revision);
      this.duringLoad.length = 0;
      this.memory = memory;
      this.loadedAt = startedAt;
      if (!this.polledFrom) this.polledFrom = startedAt;
      return memory;
    } finally {
      this.loading = undefined;
    }
  }

  /** Takes a change this process stored (it counts at once, before the change log is polled). */
  apply(dilemma: Dilemma, revision: number): void {
    if (this.loading) this.duringLoad.push({ dilemma, revision });
    this.memory?.apply(dilemma, revision);
    const cached = this.details.get(dilemma.id);
    if (cached && cached.revision < revision) this.details.delete(dilemma.id);
  }

  /** Forgets the detail kept for a dilemma (its responses changed without a new revision of the dilemma). */
  forgetDetail(id: string): void {
    this.details.delete(id);
  }

  async page(after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): Promise<MemoryPage> {
    return (await this.ready()).page(after, accept, want);
  }

  async search(words: readonly string[], after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): Promise<MemoryPage> {
    return (await this.ready()).search(words, after, accept, want);
  }

  /** Every dilemma as memory holds it now (no change-log read: the background poll keeps it fresh). */
  async snapshot(): Promise<Dilemma[]> {
    return (await this.ready()).filter(() => true);
  }

  /**
   * The dilemmas for which `test` holds, after reading the change log first, so what other processes
   * changed until now is in (privacy export and erasure: complete, without reading every dilemma again).
   */
  async current(test: (d: Dilemma) => boolean): Promise<Dilemma[]> {
    if (this.memory && this.options.refreshMs !== 0) await this.poll();
    return (await this.ready()).filter(test);
  }

  /**
   * A dilemma with its responses: the dilemma from memory, its responses from the few kept while memory has
   * no newer revision (otherwise read, and kept). A dilemma memory does not know yet (just logged by another
   * process) is read.
   */
  async detail(id: string): Promise<Detail | undefined> {
    const memory = await this.ready();
    const known = memory.get(id);
    if (known && known.dilemma.responseCount === 0) return { dilemma: known.dilemma, responses: [] };
    const cached = this.details.get(id);
    if (cached && known && cached.revision >= known.revision) {
      // Most recently used last, so the oldest is the first to go.
      this.details.delete(id);
      this.details.set(id, cached);
      return cached.detail;
    }
    const stored = await this.source.read(id);
    if (!stored) return undefined;
    this.apply(stored.dilemma, stored.revision);
    const responses = stored.dilemma.responseCount > 0 ? await this.source.responses(id) : [];
    const detail = { dilemma: stored.dilemma, responses };
    // A response is numbered before it is stored: while one is on its way, do not keep an incomplete list.
    if (responses.length === stored.dilemma.responseCount) {
      this.details.set(id, { revision: stored.revision, detail });
      if (this.details.size > this.options.detailCache) this.details.delete(this.details.keys().next().value!);
    }
    return detail;
  }

  /** Reads the changes other processes logged since the last poll, and applies them. */
  async poll(): Promise<void> {
    if (!this.memory) {
      await (this.loading ??= this.load());
      return;
    }
    const now = this.clock();
    if (now - this.loadedAt >= this.options.fullLoadMs) {
      await (this.loading ??= this.load());
      return;
    }
    const from = this.polledFrom - this.options.overlapMs;
    const changes = await this.source.changesSince(new Date(from), new Date(now));
    const memory = this.memory;
    const wanted = new Map<string, number>();
    let reload = false;
    for (const change of changes) {
      if ('reload' in change) {
        if (this.seenReloads.has(change.reload)) continue;
        this.seenReloads.add(change.reload);
        // A bulk write that began before the last load finished may not all have been in it.
        if (change.at >= this.loadedAt - this.options.overlapMs) reload = true;
        continue;
      }
      if ((memory.revisionOf(change.id) ?? -1) < change.revision) wanted.set(change.id, Math.max(change.revision, wanted.get(change.id) ?? 0));
    }
    if (reload || wanted.size > this.options.maxChangesPerPoll) {
      await (this.loading ??= this.load());
    } else {
      for (const id of wanted.keys()) {
        const stored = await this.source.read(id);
        if (stored) this.apply(stored.dilemma, stored.revision);
      }
    }
    this.polledFrom = now;
    if (this.seenReloads.size > 1000) this.seenReloads.clear();
    if (now - this.cleanedAt > 3600_000) {
      this.cleanedAt = now;
      await this.source.forgetChanges(new Date(now - KEEP_CHANGES_MS));
    }
  }

  /** Polls every `refreshMs` until stopped (the capability's background job). */
  start(): void {
    if (!this.stopped || this.options.refreshMs === 0) return;
    this.stopped = false;
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.poll()
          .then(() => {
            if (this.failing) this.options.onRecovered?.();
            this.failing = false;
          })
          .catch((err: unknown) => {
            // Storage away: the caller says it once when it starts, not at every poll.
            this.options.onError?.(err, this.failing);
            this.failing = true;
          })
          .finally(() => {
            this.running = undefined;
            next();
          });
      }, this.options.refreshMs);
      this.timer.unref();
    };
    next();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
