// The dilemma list index (part of the store layer: only this file and store.ts know dilemma keys). Lists
// read small projection rows newest-first from one partition per filter, and a search reads a word index,
// so a chat turn never reads the whole dilemma table, however many dilemmas there are.
//
// Table DilemmaLists: projection rows (what a list shows and what canSee needs), RowKey the newest-first key,
// one partition per list and month of creation ("<list>|<inverted yyyymm>"), where <list> is one of
//   list            every dilemma that is not withdrawn
//   theme|<id>      the same, per theme
//   muni|<id>       the same, per municipality (or "regio")
//   plan|<id>       the same, per plan of the plan list
//   status|<s>      every dilemma with that status (withdrawn too)
// Table DilemmaLookup: small rows that say where to read
//   months|<list>   the months (RowKey: inverted yyyymm, newest first) in which that list has dilemmas
//   w|<word>        per month, the newest-first keys of the dilemmas whose title or description has the
//                   word, in one property (64 KB: about 2,600 dilemmas a month with the same word)
//   vocab           every indexed word (RowKey), for prefix search ("woning" finds "woningbouw")
//   meta            the marker that says the index was built for the dilemmas stored before it existed
//
// Month partitions keep every query small, also where a query costs as much as its partition has rows
// (Azurite sorts all matches). Projection rows carry a revision (the dilemma row's), so a late write never
// overwrites a newer one.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { encodeKey, odataString } from '../../storage/keys';
import { getOrUndefined, isStatus, updateWithEtag, type Tables } from '../../storage/tables';
import { summarySchema, type Dilemma, type DilemmaSummary, summaryOf } from './model';
import { indexWords } from './words';

export const INDEX_TABLES = { lists: 'DilemmaLists', lookup: 'DilemmaLookup' } as const;

/** The newest-first key of a dilemma: inverted creation time, then inverted number (newest number first). */
export function newestKey(createdAt: string, id: string): string {
  const ms = Date.parse(createdAt);
  const invertedTime = String(9_999_999_999_999 - (Number.isFinite(ms) ? ms : 0)).padStart(13, '0');
  const match = /^D-(\d{4})-(\d{3,6})$/.exec(id);
  const year = match ? Number(match[1]) : 0;
  const sequence = match ? Number(match[2]) : 0;
  return `${invertedTime}-${String(9999 - year).padStart(4, '0')}${String(999_999 - sequence).padStart(6, '0')}`;
}

/** Which partition a list reads. */
export type ListSource =
  | { kind: 'all' }
  | { kind: 'theme' | 'municipality' | 'plan' | 'status'; value: string };

const partitionOf = (source: ListSource): string => {
  switch (source.kind) {
    case 'all':
      return 'list';
    case 'theme':
      return `theme|${encodeKey(source.value)}`;
    case 'municipality':
      return `muni|${encodeKey(source.value)}`;
    case 'plan':
      return `plan|${encodeKey(source.value)}`;
    case 'status':
      return `status|${encodeKey(source.value)}`;
  }
};

/** The partitions whose lists a dilemma is in. Withdrawn ones are only in their status list. */
function listPartitions(d: Dilemma): string[] {
  const status = partitionOf({ kind: 'status', value: d.status });
  if (d.status === 'ingetrokken') return [status];
  return [
    partitionOf({ kind: 'all' }),
    partitionOf({ kind: 'theme', value: d.theme }),
    ...d.municipalities.map((m) => partitionOf({ kind: 'municipality', value: m })),
    ...(d.relatedPlanId ? [partitionOf({ kind: 'plan', value: d.relatedPlanId })] : []),
    status,
  ];
}

const wordPartition = (word: string) => `w|${encodeKey(word)}`;
/** The month of a dilemma: inverted yyyymm, so the newest month comes first. */
const monthRow = (createdAt: string) => {
  const d = new Date(Number.isFinite(Date.parse(createdAt)) ? createdAt : 0);
  return String(999_999 - (d.getUTCFullYear() * 100 + d.getUTCMonth() + 1)).padStart(6, '0');
};
const monthOfKey = (key: string) => monthRow(new Date(9_999_999_999_999 - Number(key.slice(0, 13))).toISOString());
const bucket = (list: string, month: string) => `${list}|${month}`;
const monthsPartition = (list: string) => `months|${list}`;
/** Months a list page looks through at most. */
const MAX_MONTHS = 24;

const VOCAB = 'vocab';
const MARKER = { partitionKey: 'meta', rowKey: 'listIndex' } as const;
const INDEX_VERSION = 1;

/** Rows read per query page; a page of ten shown plus the room to skip a few the viewer may not see. */
const READ_PAGE = 20;
/** A list reads at most this many rows for one page; the card says when it stopped there. */
export const MAX_LIST_ROWS = 200;
/** A search word matches at most this many indexed words (prefixes); more is reported as capped. */
export const MAX_PREFIX_WORDS = 25;
/** Month rows read per matching word for one page of a search. */
const SEARCH_MONTHS_PER_WORD = 2;
/** Dilemmas a search opens (point reads) for one page at most. */
const MAX_SEARCH_OPENS = 40;
/** Writes in flight at once for one dilemma's index rows. */
const WRITE_CONCURRENCY = 12;

export interface IndexedPage {
  items: DilemmaSummary[];
  next?: string;
  capped: boolean;
}

type ProjectionRow = Record<string, unknown> & { partitionKey: string; rowKey: string; revision: number };

function projection(list: string, d: Dilemma, revision: number): ProjectionRow {
  const s = summaryOf(d);
  return {
    partitionKey: bucket(list, monthRow(d.createdAt)),
    rowKey: newestKey(d.createdAt, d.id),
    ...s,
    municipalities: JSON.stringify(s.municipalities),
    author: JSON.stringify(s.author),
    revision,
  };
}

function fromProjection(row: Record<string, unknown>): DilemmaSummary {
  return summarySchema.parse({
    ...row,
    municipalities: JSON.parse(String(row.municipalities)),
    author: JSON.parse(String(row.author)),
  });
}

/** Runs `work` over `items`, at most `limit` at once. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

/** The upper bound of a prefix range: "woning" → "woninh". */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export class ListIndex {
  private readonly table: TableClient;
  private readonly lookup: TableClient;

  constructor(tables: Tables) {
    this.table = tables.client(INDEX_TABLES.lists);
    this.lookup = tables.client(INDEX_TABLES.lookup);
  }

  /**
   * Brings the index rows of one dilemma from `before` (undefined: new) to `after`. Called after the dilemma
   * row is written, with that row's revision; safe to repeat and to run twice at once.
   */
  async sync(before: Dilemma | undefined, after: Dilemma, revision: number): Promise<void> {
    const wanted = new Set(listPartitions(after));
    const gone = before ? listPartitions(before).filter((p) => !wanted.has(p)) : [];
    const key = newestKey(after.createdAt, after.id);
    const month = monthRow(after.createdAt);
    const had = new Set(before ? listPartitions(before) : []);
    const newLists = [...wanted].filter((p) => !had.has(p));
    const wordsBefore = before ? indexWords(before.title, before.description) : [];
    const wordsAfter = indexWords(after.title, after.description);
    const oldWords = new Set(wordsBefore);
    const newWords = new Set(wordsAfter);
    const added = before ? wordsAfter.filter((w) => !oldWords.has(w)) : wordsAfter;
    const removed = wordsBefore.filter((w) => !newWords.has(w));

    type Job = () => Promise<void>;
    const jobs: Job[] = [
      ...[...wanted].map((p) => () => this.putIfNewer(projection(p, after, revision), !before)),
      ...gone.map((p) => () => this.deleteIfOlder(bucket(p, month), key, revision)),
      // The month is now one a list has dilemmas in (an empty month left behind is skipped when read).
      ...newLists.map((p) => () => this.lookup.upsertEntity({ partitionKey: monthsPartition(p), rowKey: month }, 'Merge').then(() => undefined)),
      ...added.map((w) => () => this.changePosting(w, after.createdAt, key, true)),
      ...removed.map((w) => () => this.changePosting(w, after.createdAt, key, false)),
    ];
    await Promise.all([inPool(jobs, WRITE_CONCURRENCY, (job) => job()), this.addToVocabulary(added)]);
  }

  /** Writes a projection row unless the one stored is as new or newer. */
  private async putIfNewer(row: ProjectionRow, probablyNew: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (probablyNew && attempt === 1) {
          await this.table.createEntity(row);
          return;
        }
        const current = await getOrUndefined<{ revision?: number }>(this.table, row.partitionKey, row.rowKey);
        if (current && Number(current.revision ?? 0) >= row.revision) return;
        if (current) await this.table.updateEntity(row, 'Replace', { etag: current.etag });
        else await this.table.createEntity(row);
        return;
      } catch (err) {
        if (!(isStatus(err, 409) || isStatus(err, 412)) || attempt >= 20) throw err;
      }
    }
  }

  private async deleteIfOlder(partitionKey: string, rowKey: string, revision: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await getOrUndefined<{ revision?: number }>(this.table, partitionKey, rowKey);
      if (!current || Number(current.revision ?? 0) >= revision) return;
      try {
        await this.table.deleteEntity(partitionKey, rowKey, { etag: current.etag });
        return;
      } catch (err) {
        if (isStatus(err, 404)) return;
        if (!isStatus(err, 412) || attempt >= 20) throw err;
      }
    }
  }

  /** Adds a dilemma's key to (or takes it from) the month row of a word. */
  private async changePosting(word: string, createdAt: string, key: string, add: boolean): Promise<void> {
    await updateWithEtag<{ keys: string }>(
      this.lookup,
      wordPartition(word),
      monthRow(createdAt),
      (current) => {
        const keys = new Set(current?.keys ? current.keys.split(' ') : []);
        if (keys.has(key) === add) return undefined;
        if (add) keys.add(key);
        else keys.delete(key);
        return { partitionKey: wordPartition(word), rowKey: monthRow(createdAt), keys: [...keys].sort().join(' ') };
      },
      60,
    );
  }

  private async addToVocabulary(words: readonly string[]): Promise<void> {
    const batches: TransactionAction[][] = [];
    for (let i = 0; i < words.length; i += 100) {
      batches.push(words.slice(i, i + 100).map((w) => ['upsert', { partitionKey: VOCAB, rowKey: encodeKey(w) }, 'Replace'] as TransactionAction));
    }
    await inPool(batches, 4, async (batch) => void (await this.lookup.submitTransaction(batch)));
  }

  /**
   * One page of a list, newest first, after `after` (a row key): rows that `accept` lets through, at most
   * `want`. Reads at most MAX_LIST_ROWS rows; `next` is where the following page starts.
   */
  async page(source: ListSource, after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): Promise<IndexedPage> {
    const list = partitionOf(source);
    const fromMonth = after ? monthOfKey(after) : undefined;
    const monthFilter = `PartitionKey eq ${odataString(monthsPartition(list))}` + (fromMonth ? ` and RowKey ge ${odataString(fromMonth)}` : '');
    const months: string[] = [];
    for await (const page of this.lookup.listEntities({ queryOptions: { filter: monthFilter, select: ['RowKey'] } }).byPage({ maxPageSize: MAX_MONTHS })) {
      for (const row of page) months.push(String(row.rowKey));
      break;
    }
    const items: DilemmaSummary[] = [];
    const keys: string[] = [];
    let read = 0;
    let lastRead: string | undefined;
    for (const month of months) {
      const filter = `PartitionKey eq ${odataString(bucket(list, month))}` + (after ? ` and RowKey gt ${odataString(after)}` : '');
      for await (const page of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: READ_PAGE })) {
        for (const row of page) {
          read++;
          lastRead = String(row.rowKey);
          const summary = fromProjection(row);
          if (!accept(summary)) continue;
          if (items.length === want) return { items, next: keys[keys.length - 1]!, capped: false };
          items.push(summary);
          keys.push(lastRead);
        }
        if (read >= MAX_LIST_ROWS) return { items, next: lastRead!, capped: true };
      }
    }
    // All the months read, and the list has older ones still: say so, and go on from here.
    if (months.length >= MAX_MONTHS && lastRead) return { items, next: lastRead, capped: true };
    return { items, capped: false };
  }

  /**
   * One page of a word search: dilemmas that have, for every search word, a word starting with it; newest
   * first, after `after`. Each match is opened in `source` (a point read of its projection row), so a match
   * that is not on that list (another theme, withdrawn) is skipped without reading the dilemma itself.
   */
  async search(
    words: readonly string[],
    source: ListSource,
    after: string | undefined,
    accept: (s: DilemmaSummary) => boolean,
    want: number,
  ): Promise<IndexedPage> {
    const list = partitionOf(source);
    const open = async (key: string) => {
      const row = await getOrUndefined<Record<string, unknown>>(this.table, bucket(list, monthOfKey(key)), key);
      return row ? fromProjection(row) : undefined;
    };
    let capped = false;
    // 1. The indexed words each search word is the start of.
    const expansions = await Promise.all(
      words.map(async (w) => {
        const found: string[] = [];
        const filter = `PartitionKey eq '${VOCAB}' and RowKey ge ${odataString(encodeKey(w))} and RowKey lt ${odataString(encodeKey(prefixEnd(w)))}`;
        for await (const page of this.lookup.listEntities({ queryOptions: { filter, select: ['RowKey'] } }).byPage({ maxPageSize: MAX_PREFIX_WORDS })) {
          for (const row of page) found.push(String(row.rowKey));
          break;
        }
        if (found.length >= MAX_PREFIX_WORDS) capped = true;
        return found;
      }),
    );
    if (expansions.some((e) => e.length === 0)) return { items: [], capped };

    // 2. The newest months of every matching word; a key counts when each search word has it.
    // Where a word's read stopped (it had older months), older keys are not complete: keep what lies before.
    let horizon: string | undefined;
    const fromMonth = after ? monthOfKey(after) : undefined;
    const perWord = await Promise.all(
      expansions.map(async (indexed) => {
        const keys = new Set<string>();
        await Promise.all(
          indexed.map(async (encodedWord) => {
            const filter = `PartitionKey eq ${odataString(`w|${encodedWord}`)}` + (fromMonth ? ` and RowKey ge ${odataString(fromMonth)}` : '');
            let months = 0;
            let last = '';
            for await (const page of this.lookup
              .listEntities<{ keys: string }>({ queryOptions: { filter, select: ['RowKey', 'keys'] } })
              .byPage({ maxPageSize: SEARCH_MONTHS_PER_WORD })) {
              for (const row of page) {
                months++;
                const monthKeys = row.keys ? row.keys.split(' ') : [];
                for (const k of monthKeys) if (!after || k > after) keys.add(k);
                if (monthKeys.length) last = monthKeys[monthKeys.length - 1]!;
              }
              break;
            }
            if (months >= SEARCH_MONTHS_PER_WORD && last && (horizon === undefined || last < horizon)) horizon = last;
          }),
        );
        return keys;
      }),
    );
    let candidates = [...perWord[0]!].filter((k) => perWord.every((m) => m.has(k))).sort();
    if (horizon !== undefined) candidates = candidates.filter((k) => k <= horizon!);

    // 3. Open the newest candidates until a page is full (plus one, to know there is more).
    const items: DilemmaSummary[] = [];
    const keys: string[] = [];
    let opened = 0;
    for (let i = 0; i < candidates.length; ) {
      const chunk = candidates.slice(i, i + want + 1 - items.length);
      i += chunk.length;
      const found = await Promise.all(chunk.map((k) => open(k)));
      opened += chunk.length;
      for (let j = 0; j < chunk.length; j++) {
        const summary = found[j];
        if (!summary || !accept(summary)) continue;
        if (items.length === want) return { items, next: keys[keys.length - 1]!, capped };
        items.push(summary);
        keys.push(chunk[j]!);
      }
      if (opened >= MAX_SEARCH_OPENS && i < candidates.length) return { items, next: chunk[chunk.length - 1]!, capped: true };
    }
    if (horizon !== undefined) return { items, next: horizon, capped: true };
    return { items, capped };
  }

  /** Whether the index was built for the dilemmas stored before it existed. */
  async isBuilt(): Promise<boolean> {
    const marker = await getOrUndefined<{ version?: number }>(this.lookup, MARKER.partitionKey, MARKER.rowKey);
    return Number(marker?.version ?? 0) >= INDEX_VERSION;
  }

  async markBuilt(): Promise<void> {
    await this.lookup.upsertEntity({ ...MARKER, version: INDEX_VERSION, builtAt: new Date().toISOString() }, 'Replace');
  }

  /**
   * Writes the index rows of many dilemmas at once in batches per partition (100 rows a batch): for filling
   * an empty store quickly (the bench, demo data), not for changes.
   */
  async bulkAdd(dilemmas: ReadonlyArray<{ dilemma: Dilemma; revision: number }>, concurrency = 6): Promise<void> {
    const lists = new Map<string, Record<string, unknown>[]>();
    const add = (row: Record<string, unknown> & { partitionKey: string }) => {
      let rows = lists.get(row.partitionKey);
      if (!rows) lists.set(row.partitionKey, (rows = []));
      rows.push(row);
    };
    const postings = new Map<string, Map<string, string[]>>();
    const directory = new Map<string, Set<string>>();
    for (const { dilemma, revision } of dilemmas) {
      const key = newestKey(dilemma.createdAt, dilemma.id);
      const month = monthRow(dilemma.createdAt);
      for (const p of listPartitions(dilemma)) {
        add(projection(p, dilemma, revision));
        let months = directory.get(p);
        if (!months) directory.set(p, (months = new Set()));
        months.add(month);
      }
      for (const w of indexWords(dilemma.title, dilemma.description)) {
        let months = postings.get(w);
        if (!months) postings.set(w, (months = new Map()));
        let keys = months.get(month);
        if (!keys) months.set(month, (keys = []));
        keys.push(key);
      }
    }
    const batches: Array<{ table: TableClient; actions: TransactionAction[] }> = [];
    const batch = (table: TableClient, partitionRows: Array<{ partitionKey: string; rowKey: string } & Record<string, unknown>>) => {
      for (let i = 0; i < partitionRows.length; i += 100) {
        batches.push({ table, actions: partitionRows.slice(i, i + 100).map((r) => ['upsert', r, 'Replace'] as TransactionAction) });
      }
    };
    for (const rows of lists.values()) batch(this.table, rows as Array<{ partitionKey: string; rowKey: string }>);
    for (const [word, months] of postings) {
      batch(
        this.lookup,
        [...months].map(([month, keys]) => ({ partitionKey: wordPartition(word), rowKey: month, keys: keys.sort().join(' ') })),
      );
    }
    batch(this.lookup, [...postings.keys()].map((w) => ({ partitionKey: VOCAB, rowKey: encodeKey(w) })));
    for (const [list, months] of directory) batch(this.lookup, [...months].map((m) => ({ partitionKey: monthsPartition(list), rowKey: m })));
    await inPool(batches, concurrency, async (b) => void (await b.table.submitTransaction(b.actions)));
  }
}

