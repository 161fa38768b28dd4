// Dilemmas, their numbers, submissions and responses in Table Storage. The only code that knows their keys.
import { encodeKey } from '../../storage/keys';
import { randomUUID } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { dropTables, getOrUndefined, isStatus, updateWithEtag, type Tables } from '../../storage/tables';
import { dilemmaSchema, responseSchema, type Dilemma, type DilemmaResponse, type DilemmaSummary } from './model';
import type { MemoryPage } from './memory';
import { DilemmaReadModel, type Change, type Detail, type ReadModelOptions } from './readModel';

export const DILEMMA_TABLES = { dilemmas: 'Dilemmas', changes: 'DilemmaChanges' } as const;
/** Tables of the list index that memory replaced; dropped at start, so no copy of a name stays behind. */
const RETIRED_TABLES = ['DilemmaLists', 'DilemmaLookup'] as const;

const keys = {
  dilemma: (id: string) => ({ partitionKey: 'dilemma', rowKey: encodeKey(id) }),
  dilemmaPartition: 'dilemma',
  /** One counter per year, so numbers are D-2026-001, D-2026-002, … */
  dilemmaSequence: (year: number) => ({ partitionKey: 'sequence', rowKey: String(year) }),
  /**
   * A form's submission id per person, so a double click or a resent submit makes one dilemma (or one
   * response). Per person: a card in a channel is the same card, with the same id, for everyone there.
   */
  submission: (kind: 'dilemma' | 'response', owner: string, submissionId: string) => ({
    partitionKey: 'submission',
    rowKey: `${kind}|${encodeKey(owner)}|${encodeKey(submissionId)}`,
  }),
  /** Responses of one dilemma; the row key is the response's number, so they list in the order they came in. */
  dilemmaResponse: (dilemmaId: string, sequence: number) => ({
    partitionKey: `response|${encodeKey(dilemmaId)}`,
    rowKey: String(sequence).padStart(6, '0'),
  }),
  dilemmaResponsePartition: (dilemmaId: string) => `response|${encodeKey(dilemmaId)}`,
  /**
   * The change log (table DilemmaChanges) that tells other processes what to read again: one partition per
   * hour (UTC, the writer's clock), rows ordered by time; a row names a dilemma and its revision, or asks
   * for a full load after many rows were written at once.
   */
  changeHour: (at: Date) => at.toISOString().slice(0, 13).replace(/[-T]/g, ''),
  change: (at: Date, id: string, revision: number) => ({
    partitionKey: keys.changeHour(at),
    rowKey: `${at.toISOString()}|${encodeKey(id)}|${String(revision).padStart(9, '0')}`,
  }),
  reload: (at: Date) => ({ partitionKey: keys.changeHour(at), rowKey: `${at.toISOString()}|~reload|${randomUUID()}` }),
};

/** Runs `work` over `items`, at most `limit` at once. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

// Many members may press at once; each retry re-reads, so a generous number of attempts is cheap.
const CONTENDED_ATTEMPTS = 60;

type DilemmaRow = Omit<Dilemma, 'municipalities' | 'author' | 'recognisedBy'> & {
  municipalities: string;
  author: string;
  recognisedBy: string;
};

function toRow(d: Dilemma): DilemmaRow & { partitionKey: string; rowKey: string } {
  return {
    ...keys.dilemma(d.id),
    ...d,
    municipalities: JSON.stringify(d.municipalities),
    author: JSON.stringify(d.author),
    recognisedBy: JSON.stringify(d.recognisedBy),
  };
}

function fromRow(row: Record<string, unknown>): Dilemma {
  return dilemmaSchema.parse({
    ...row,
    municipalities: JSON.parse(String(row.municipalities)),
    author: JSON.parse(String(row.author)),
    recognisedBy: JSON.parse(String(row.recognisedBy)),
  });
}

type SubmissionClaim =
  /** Yours to carry out; `pending` is what an earlier attempt that died had reserved (a number), if anything. */
  | { status: 'claimed'; pending?: string }
  | { status: 'done'; result: string }
  | { status: 'busy' };

export type SubmissionKind = 'dilemma' | 'response';

/** The revision of a dilemma row: one more on every change, so memory never goes back to an older state. */
const revisionOf = (row: Record<string, unknown> | undefined) => Number(row?.revision ?? 0) || 0;

export class DilemmaStore {
  private readonly table: TableClient;
  private readonly changes: TableClient;
  /** Lists, searches and details for chat turns come from here (memory), not from a table read. */
  readonly reader: DilemmaReadModel;

  constructor(
    private readonly tables: Tables,
    options: ReadModelOptions = { refreshMs: 1000 },
  ) {
    this.table = tables.client(DILEMMA_TABLES.dilemmas);
    this.changes = tables.client(DILEMMA_TABLES.changes);
    this.reader = new DilemmaReadModel(
      {
        readAll: () => this.readAll(),
        changesSince: (since, now) => this.changesSince(since, now),
        read: (id) => this.read(id),
        responses: (id) => this.responses(id),
        forgetChanges: (before) => this.forgetChanges(before),
      },
      options,
    );
  }

  /** The next number of the year; unique even when many people submit at the same moment. */
  async nextSequence(year: number): Promise<number> {
    const k = keys.dilemmaSequence(year);
    const row = await updateWithEtag<{ value: number }>(
      this.table,
      k.partitionKey,
      k.rowKey,
      (current) => ({ ...k, value: (current?.value ?? 0) + 1 }),
      CONTENDED_ATTEMPTS,
    );
    return row!.value;
  }

  /**
   * Claims a form submission for its owner. The first caller gets "claimed" and must finish it with
   * completeSubmission; a repeat gets the result, or "busy" while the first is at work.
   */
  async claimSubmission(
    kind: SubmissionKind,
    submissionId: string,
    owner: string,
    now: Date,
    staleAfterMs = 30_000,
  ): Promise<SubmissionClaim> {
    const k = keys.submission(kind, owner, submissionId);
    try {
      await this.table.createEntity({ ...k, result: '', pending: '', claimedAt: now.toISOString() });
      return { status: 'claimed' };
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
    const row = await getOrUndefined<{ result: string; pending: string; claimedAt: string }>(this.table, k.partitionKey, k.rowKey);
    if (!row) return { status: 'busy' };
    if (row.result) return { status: 'done', result: row.result };
    if (now.getTime() - Date.parse(row.claimedAt) > staleAfterMs) {
      // An earlier attempt died half-way. Take it over (only if nobody else just did), and hand on what it
      // had reserved, so the caller can finish that instead of making a second one.
      try {
        await this.table.updateEntity({ ...k, result: '', pending: row.pending, claimedAt: now.toISOString() }, 'Replace', {
          etag: row.etag,
        });
        return row.pending ? { status: 'claimed', pending: row.pending } : { status: 'claimed' };
      } catch (err) {
        if (!isStatus(err, 412)) throw err;
      }
    }
    return { status: 'busy' };
  }

  /** Notes what a claimed submission is about to store (a number), before it is stored. */
  async reserveSubmission(kind: SubmissionKind, submissionId: string, owner: string, pending: string, now: Date): Promise<void> {
    const k = keys.submission(kind, owner, submissionId);
    await this.table.upsertEntity({ ...k, result: '', pending, claimedAt: now.toISOString() }, 'Replace');
  }

  async completeSubmission(kind: SubmissionKind, submissionId: string, owner: string, result: string, now: Date): Promise<void> {
    const k = keys.submission(kind, owner, submissionId);
    await this.table.upsertEntity({ ...k, result, pending: result, claimedAt: now.toISOString() }, 'Replace');
  }

  /** Gives a claim back when nothing was stored, so the same form can be sent again. */
  async releaseSubmission(kind: SubmissionKind, submissionId: string, owner: string): Promise<void> {
    const k = keys.submission(kind, owner, submissionId);
    await this.table.deleteEntity(k.partitionKey, k.rowKey).catch(() => undefined);
  }

  async create(dilemma: Dilemma): Promise<void> {
    await this.table.createEntity({ ...toRow(dilemma), revision: 1 });
    await this.changed(dilemma, 1);
  }

  /** Logs a change for other processes, then lets this process's memory take it at once. */
  private async changed(dilemma: Dilemma, revision: number): Promise<void> {
    await this.changes.upsertEntity({ ...keys.change(new Date(), dilemma.id, revision), id: dilemma.id, revision }, 'Replace');
    this.reader.apply(dilemma, revision);
  }

  /**
   * Stores many new dilemmas at once, in batches: for filling an empty store quickly (the bench), never for a
   * person's dilemma (that goes through create, numbers and all). Running processes load everything again.
   */
  async bulkCreate(dilemmas: readonly Dilemma[], concurrency = 6): Promise<void> {
    const batches: Dilemma[][] = [];
    for (let i = 0; i < dilemmas.length; i += 100) batches.push(dilemmas.slice(i, i + 100));
    await inPool(batches, concurrency, async (batch) => {
      await this.table.submitTransaction(batch.map((d) => ['upsert', { ...toRow(d), revision: 1 }, 'Replace']));
    });
    await this.changes.upsertEntity(keys.reload(new Date()), 'Replace');
    for (const d of dilemmas) this.reader.apply(d, 1);
  }

  /** Drops the tables of the list index that memory replaced (stores from before it); safe to repeat. */
  retireOldIndex(): Promise<number> {
    return dropTables(this.tables, RETIRED_TABLES);
  }

  /** One page of a list from memory, newest first (see DilemmaMemory.page). */
  listPage(after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): Promise<MemoryPage> {
    return this.reader.page(after, accept, want);
  }

  /** One page of a word search from memory, newest first (see DilemmaMemory.search). */
  searchPage(words: readonly string[], after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): Promise<MemoryPage> {
    return this.reader.search(words, after, accept, want);
  }

  /** A dilemma and its responses as chat turns show them (memory-checked; see DilemmaReadModel.detail). */
  detail(id: string): Promise<Detail | undefined> {
    return this.reader.detail(id);
  }

  private async readAll(): Promise<Array<{ dilemma: Dilemma; revision: number }>> {
    const out: Array<{ dilemma: Dilemma; revision: number }> = [];
    const filter = odata`PartitionKey eq ${keys.dilemmaPartition}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push({ dilemma: fromRow(row), revision: revisionOf(row) });
    }
    return out;
  }

  private async read(id: string): Promise<{ dilemma: Dilemma; revision: number } | undefined> {
    const k = keys.dilemma(id);
    const row = await getOrUndefined<Record<string, unknown>>(this.table, k.partitionKey, k.rowKey);
    return row ? { dilemma: fromRow(row), revision: revisionOf(row) } : undefined;
  }

  private async changesSince(since: Date, now: Date): Promise<Change[]> {
    const out: Change[] = [];
    // Every hour partition from `since` to a little after `now` (a writer's clock may run ahead).
    const hours = new Set<string>();
    for (let t = since.getTime(); t <= now.getTime() + 3600_000; t += 3600_000) hours.add(keys.changeHour(new Date(t)));
    for (const hour of hours) {
      const filter = odata`PartitionKey eq ${hour} and RowKey ge ${since.toISOString()}`;
      for await (const row of this.changes.listEntities<{ id?: string; revision?: number }>({ queryOptions: { filter } })) {
        const rowKey = String(row.rowKey);
        if (rowKey.includes('|~reload|')) out.push({ reload: rowKey, at: Date.parse(rowKey.slice(0, rowKey.indexOf('|'))) });
        else if (typeof row.id === 'string') out.push({ id: row.id, revision: Number(row.revision ?? 0) });
      }
    }
    return out;
  }

  private async forgetChanges(before: Date): Promise<void> {
    const filter = odata`PartitionKey lt ${keys.changeHour(before)}`;
    const byHour = new Map<string, TransactionAction[]>();
    for await (const row of this.changes.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      const hour = String(row.partitionKey);
      let actions = byHour.get(hour);
      if (!actions) byHour.set(hour, (actions = []));
      actions.push(['delete', { partitionKey: hour, rowKey: String(row.rowKey) }]);
    }
    for (const actions of byHour.values()) {
      for (let i = 0; i < actions.length; i += 100) {
        await this.changes.submitTransaction(actions.slice(i, i + 100)).catch((err: unknown) => {
          // Another process removed them first.
          if (!isStatus(err, 404)) throw err;
        });
      }
    }
  }

  async hasResponse(dilemmaId: string, sequence: number): Promise<boolean> {
    const k = keys.dilemmaResponse(dilemmaId, sequence);
    return Boolean(await getOrUndefined(this.table, k.partitionKey, k.rowKey));
  }

  async get(id: string): Promise<Dilemma | undefined> {
    const k = keys.dilemma(id);
    const row = await getOrUndefined<Record<string, unknown>>(this.table, k.partitionKey, k.rowKey);
    return row ? fromRow(row) : undefined;
  }

  /**
   * Read-modify-write of one dilemma with ETags. `change` returns the new dilemma, or undefined to leave it;
   * it may throw to refuse (nothing is written then).
   */
  async update(id: string, change: (current: Dilemma) => Dilemma | undefined): Promise<Dilemma | undefined> {
    const k = keys.dilemma(id);
    // Set by the attempt that wrote (each retry re-reads and sets them again).
    let before: Dilemma | undefined;
    let revision = 0;
    const row = await updateWithEtag<Record<string, unknown>>(
      this.table,
      k.partitionKey,
      k.rowKey,
      (current) => {
        before = undefined;
        if (!current) return undefined;
        const was = fromRow(current);
        const next = change(was);
        if (!next) return undefined;
        before = was;
        revision = revisionOf(current) + 1;
        return { ...toRow(next), revision };
      },
      CONTENDED_ATTEMPTS,
    );
    if (!row) return undefined;
    const after = fromRow(row);
    // The dilemma row is the truth; the change log and this process's memory follow before the person gets an answer.
    if (before) await this.changed(after, revision);
    return after;
  }

  /**
   * The dilemmas for which `test` holds, as stored now (memory, after reading the change log): for privacy
   * export and erasure, which look at every dilemma.
   */
  current(test: (d: Dilemma) => boolean): Promise<Dilemma[]> {
    return this.reader.current(test);
  }

  /** Stores response number `sequence` (taken from the dilemma's responseCount, so numbers never repeat). */
  async addResponse(response: DilemmaResponse, sequence: number): Promise<void> {
    const k = keys.dilemmaResponse(response.dilemmaId, sequence);
    await this.table.createEntity({ ...k, ...response, author: JSON.stringify(response.author) });
  }

  async responses(dilemmaId: string): Promise<DilemmaResponse[]> {
    const out: DilemmaResponse[] = [];
    const filter = odata`PartitionKey eq ${keys.dilemmaResponsePartition(dilemmaId)}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push(responseSchema.parse({ ...row, author: JSON.parse(String(row.author)) }));
    }
    // Row keys are the response numbers, so this is the order they came in.
    return out;
  }

  /** Every response (all dilemmas): for privacy export and erasure only, never on a chat turn. */
  async allResponses(): Promise<Array<{ partitionKey: string; rowKey: string; response: DilemmaResponse }>> {
    const out: Array<{ partitionKey: string; rowKey: string; response: DilemmaResponse }> = [];
    const filter = `PartitionKey ge 'response|' and PartitionKey lt 'response}'`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const response = responseSchema.parse({ ...row, author: JSON.parse(String(row.author)) });
      out.push({ partitionKey: String(row.partitionKey), rowKey: String(row.rowKey), response });
    }
    return out;
  }

  async replaceResponse(partitionKey: string, rowKey: string, response: DilemmaResponse): Promise<void> {
    await this.table.upsertEntity({ partitionKey, rowKey, ...response, author: JSON.stringify(response.author) }, 'Replace');
    this.reader.forgetDetail(response.dilemmaId);
  }
}
