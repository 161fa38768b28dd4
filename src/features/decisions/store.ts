// Decisions and agreements in Table Storage, and the reminder claims. The only code that knows their keys.
// The region records a few hundred a year: one partition holds them all, read at once and filtered in memory.
import { odata, type TableClient } from '@azure/data-tables';
import { getOrUndefined, isStatus, type Tables } from '../../storage/tables';
import { decisionSchema, type Decision } from './model';

export const DECISION_TABLES = { decisions: 'Decisions' } as const;

const PARTITION = 'decision';

/** Someone else changed the row in between: read again and retry. */
export class Conflict extends Error {}

interface Versioned<T> {
  value: T;
  etag: string;
}

export class DecisionStore {
  private readonly table: TableClient;

  constructor(tables: Tables) {
    this.table = tables.client(DECISION_TABLES.decisions);
  }

  async create(decision: Decision): Promise<void> {
    await this.table.createEntity({ partitionKey: PARTITION, rowKey: decision.id, ...decision });
  }

  async get(id: string): Promise<Versioned<Decision> | undefined> {
    const row = await getOrUndefined<Record<string, unknown>>(this.table, PARTITION, id);
    return row ? { value: decisionSchema.parse(row), etag: String(row.etag) } : undefined;
  }

  async all(): Promise<Decision[]> {
    const filter = odata`PartitionKey eq ${PARTITION}`;
    const out: Decision[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(decisionSchema.parse(row));
    return out;
  }

  /** Changes one row if nobody wrote it since `etag`; Conflict otherwise. */
  async replace(decision: Decision, etag: string): Promise<void> {
    try {
      await this.table.updateEntity({ partitionKey: PARTITION, rowKey: decision.id, ...decision }, 'Replace', { etag });
    } catch (err) {
      if (isStatus(err, 412) || isStatus(err, 404)) throw new Conflict('decision changed meanwhile');
      throw err;
    }
  }
}
