// The audit trail: every change by the secretariaat and every erasure, append-only in its own table, newest
// first. Who, when, what, before and after. Services record through the AuditSink interface (no Teams types).
import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { odataString } from '../storage/keys';
import { csvDocument } from './csv';
import type { Tables } from '../storage/tables';

export const AUDIT_TABLE = 'Audit';

export interface AuditActor {
  tenantId: string;
  aadObjectId: string;
  name: string;
}

export interface AuditRecord {
  actor: AuditActor;
  /** The capability that made the change, e.g. 'members'. */
  capability: string;
  /** What happened, e.g. 'member.roleChanged'. */
  action: string;
  /** What it happened to (an id; never free text typed by a person). */
  target: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry extends AuditRecord {
  id: string;
  at: string;
}

/** What services get: a place to record a change. */
export interface AuditSink {
  record(record: AuditRecord): Promise<void>;
}

// A property holds at most 64 KB; before/after are cut well below that.
const MAX_JSON = 16_000;
const PARTITION = 'audit';
// Newest first: row keys count down from this.
const CEILING = 9_999_999_999_999;

const rowSchema = z.object({
  rowKey: z.string(),
  at: z.string(),
  actor: z.string(),
  capability: z.string(),
  action: z.string(),
  target: z.string(),
  before: z.string().optional(),
  after: z.string().optional(),
});

function json(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text.length > MAX_JSON ? JSON.stringify({ cut: true, start: text.slice(0, MAX_JSON) }) : text;
}

function parse(text: string | undefined): unknown {
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

export class AuditLog implements AuditSink {
  private readonly table: TableClient;

  constructor(
    tables: Tables,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.table = tables.client(AUDIT_TABLE);
  }

  async record(record: AuditRecord): Promise<void> {
    const at = this.now();
    const rowKey = `${String(CEILING - at.getTime()).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
    // createEntity only: an entry is never replaced or changed.
    await this.table.createEntity({
      partitionKey: PARTITION,
      rowKey,
      at: at.toISOString(),
      // Who, and nothing more: a caller may hand over a whole member (organisation, role, dates).
      actor: JSON.stringify({ tenantId: record.actor.tenantId, aadObjectId: record.actor.aadObjectId, name: record.actor.name }),
      capability: record.capability,
      action: record.action,
      target: record.target,
      ...(record.before !== undefined ? { before: json(record.before) } : {}),
      ...(record.after !== undefined ? { after: json(record.after) } : {}),
    });
  }

  /** One page, newest first; `after` is the last id of the page before. */
  async page(size: number, after?: string): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const filter = `PartitionKey eq ${odataString(PARTITION)}` + (after ? ` and RowKey gt ${odataString(after)}` : '');
    const pages = this.table.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: size + 1 });
    const first = await pages.next();
    const rows = first.done ? [] : first.value;
    const entries = rows.slice(0, size).map((row) => toEntry(rowSchema.parse(row)));
    return { entries, more: rows.length > size };
  }

  async *all(): AsyncIterable<AuditEntry> {
    const filter = `PartitionKey eq ${odataString(PARTITION)}`;
    for await (const row of this.table.listEntities({ queryOptions: { filter } })) yield toEntry(rowSchema.parse(row));
  }
}

function toEntry(row: z.infer<typeof rowSchema>): AuditEntry {
  return {
    id: row.rowKey,
    at: row.at,
    actor: JSON.parse(row.actor) as AuditActor,
    capability: row.capability,
    action: row.action,
    target: row.target,
    before: parse(row.before),
    after: parse(row.after),
  };
}

/** The audit trail as CSV (semicolons, as Dutch Excel opens it), one line per entry. */
export function auditCsv(entries: AuditEntry[]): string {
  const text = (value: unknown) => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  const rows = [['tijd', 'wie', 'onderdeel', 'wat', 'waarop', 'voor', 'na']];
  for (const e of entries) rows.push([e.at, e.actor.name || e.actor.aadObjectId, e.capability, e.action, e.target, e.before, e.after].map(text));
  return csvDocument(rows);
}
