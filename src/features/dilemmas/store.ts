// Dilemmas, their numbers, submissions and responses in Table Storage. The only code that knows their keys.
import type { TableClient } from '@azure/data-tables';
import { encodeKey, odataString } from '../../storage/keys';
import { getOrUndefined, isStatus, updateWithEtag, type Tables } from '../../storage/tables';
import { dilemmaSchema, responseSchema, type Dilemma, type DilemmaResponse, type DilemmaSummary } from './model';
import { INDEX_TABLES, inPool, ListIndex, type IndexedPage, type ListSource } from './listIndex';

export const DILEMMA_TABLES = { dilemmas: 'Dilemmas', ...INDEX_TABLES } as const;
export type { ListSource };

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
};

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

export type SubmissionClaim =
  /** Yours to carry out; `pending` is what an earlier attempt that died had reserved (a number), if anything. */
  | { status: 'claimed'; pending?: string }
  | { status: 'done'; result: string }
  | { status: 'busy' };

export type SubmissionKind = 'dilemma' | 'response';

/** The revision of a dilemma row: one more on every change, so index rows never go back to an older state. */
const revisionOf = (row: Record<string, unknown> | undefined) => Number(row?.revision ?? 0) || 0;

export class DilemmaStore {
  private readonly table: TableClient;
  private readonly index: ListIndex;

  constructor(tables: Tables) {
    this.table = tables.client(DILEMMA_TABLES.dilemmas);
    this.index = new ListIndex(tables);
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
    await this.index.sync(undefined, dilemma, 1);
  }

  /**
   * Stores many new dilemmas at once, in batches, with their index rows: for filling an empty store quickly
   * (the bench), never for a person's dilemma (that goes through create, numbers and all).
   */
  async bulkCreate(dilemmas: readonly Dilemma[], concurrency = 6): Promise<void> {
    const batches: Dilemma[][] = [];
    for (let i = 0; i < dilemmas.length; i += 100) batches.push(dilemmas.slice(i, i + 100));
    await inPool(batches, concurrency, async (batch) => {
      await this.table.submitTransaction(batch.map((d) => ['upsert', { ...toRow(d), revision: 1 }, 'Replace']));
    });
    await this.index.bulkAdd(dilemmas.map((dilemma) => ({ dilemma, revision: 1 })), concurrency);
  }

  /**
   * Builds the list index for dilemmas stored before it existed, once: a marker row says it is done.
   * Safe to run twice at once (two instances starting): every write is idempotent and never goes back.
   */
  async ensureIndex(): Promise<number> {
    if (await this.index.isBuilt()) return 0;
    const rows: Array<{ dilemma: Dilemma; revision: number }> = [];
    const filter = `PartitionKey eq ${odataString(keys.dilemmaPartition)}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      rows.push({ dilemma: fromRow(row), revision: revisionOf(row) });
    }
    await inPool(rows, 4, ({ dilemma, revision }) => this.index.sync(undefined, dilemma, revision));
    await this.index.markBuilt();
    return rows.length;
  }

  /** One page of a list from its index partition, newest first (see ListIndex.page). */
  listPage(source: ListSource, after: string | undefined, accept: (s: DilemmaSummary) => boolean, want: number): Promise<IndexedPage> {
    return this.index.page(source, after, accept, want);
  }

  /** One page of a word search, newest first (see ListIndex.search). */
  searchPage(
    words: readonly string[],
    source: ListSource,
    after: string | undefined,
    accept: (s: DilemmaSummary) => boolean,
    want: number,
  ): Promise<IndexedPage> {
    return this.index.search(words, source, after, accept, want);
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
    // The dilemma row is the truth; its index rows follow it before the person gets an answer.
    if (before) await this.index.sync(before, after, revision);
    return after;
  }

  /** Every dilemma: for privacy export and erasure, never on a chat turn (lists read the index). */
  async list(): Promise<Dilemma[]> {
    const out: Dilemma[] = [];
    const filter = `PartitionKey eq ${odataString(keys.dilemmaPartition)}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(fromRow(row));
    return out;
  }

  /** Stores response number `sequence` (taken from the dilemma's responseCount, so numbers never repeat). */
  async addResponse(response: DilemmaResponse, sequence: number): Promise<void> {
    const k = keys.dilemmaResponse(response.dilemmaId, sequence);
    await this.table.createEntity({ ...k, ...response, author: JSON.stringify(response.author) });
  }

  async responses(dilemmaId: string): Promise<DilemmaResponse[]> {
    const out: DilemmaResponse[] = [];
    const filter = `PartitionKey eq ${odataString(keys.dilemmaResponsePartition(dilemmaId))}`;
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
  }
}
