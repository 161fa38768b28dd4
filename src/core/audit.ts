// The audit trail: every change by the secretariaat and every erasure, append-only in its own table, newest
// first. Who, when, what, before and after. Services record through the AuditSink interface (no Teams types).
import { randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { csvDocument } from './csv';
import type { Locale } from '../i18n';
import { localStamp } from '../time';
import type { Tables } from '../storage/tables';

export const AUDIT_TABLE = 'Audit';

export interface AuditActor {
  tenantId: string;
  aadObjectId: string;
  name: string;
}

/**
 * Changes nobody typed: the demo data `npm start` puts in an empty store, the plan import from the command
 * line, the retention period. The logboek names them in words (`audit.actor.<kind>`), not as a person.
 */
export const SYSTEM_ACTORS = {
  demo: { tenantId: '', aadObjectId: 'system:demo', name: '' },
  import: { tenantId: '', aadObjectId: 'system:import', name: '' },
  retention: { tenantId: '', aadObjectId: 'system:retention', name: '' },
} as const satisfies Record<string, AuditActor>;

interface AuditRecord {
  actor: AuditActor;
  /** The capability that made the change, e.g. 'members'. */
  capability: string;
  /** What happened, e.g. 'member.roleChanged'. */
  action: string;
  /** What it happened to (an id; never free text typed by a person). */
  target: string;
  /** What the target is called (a person's name, a plan's name, a session's title), for the logboek's sentence. */
  subject?: string;
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

/** Records one change: who (a person, or one of the SYSTEM_ACTORS by name), what, to what, before and after. */
export type AuditRecorder = (
  actor: AuditActor | keyof typeof SYSTEM_ACTORS,
  action: string,
  target: string,
  before?: unknown,
  after?: unknown,
  subject?: string,
) => Promise<void>;

/** The one way a capability records its changes: its name given once, the system named by its kind. */
export function auditRecorder(sink: AuditSink, capability: string): AuditRecorder {
  return (actor, action, target, before, after, subject) =>
    sink.record({ actor: typeof actor === 'string' ? SYSTEM_ACTORS[actor] : actor, capability, action, target, subject, before, after });
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
  subject: z.string().optional(),
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

/** What happens when an action without a logboek sentence is recorded (tests make it throw; see `know`). */
let onUnknownAction: (action: string) => void = () => undefined;

/** Tests call this (jest setup): recording an action that has no sentence in the logboek fails the test. */
export function failOnActionsWithoutSentence(): void {
  onUnknownAction = (action) => {
    throw new Error(`The audit action "${action}" has no logboek sentence: add it to its capability's auditSentences`);
  };
}

export class AuditLog implements AuditSink {
  private readonly table: TableClient;
  private sentences: AuditSentences | undefined;

  constructor(
    tables: Tables,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.table = tables.client(AUDIT_TABLE);
  }

  /** The sentences of every action (known once the capabilities are built): an action without one is a mistake. */
  know(sentences: AuditSentences): void {
    this.sentences = sentences;
  }

  async record(record: AuditRecord): Promise<void> {
    if (this.sentences && !Object.hasOwn(this.sentences, record.action)) onUnknownAction(record.action);
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
      ...(record.subject ? { subject: record.subject.slice(0, 300) } : {}),
      ...(record.before !== undefined ? { before: json(record.before) } : {}),
      ...(record.after !== undefined ? { after: json(record.after) } : {}),
    });
  }

  /** One page, newest first; `after` is the last id of the page before. */
  async page(size: number, after?: string): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const filter = odata`PartitionKey eq ${PARTITION}` + (after ? odata` and RowKey gt ${after}` : '');
    const pages = this.table.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: size + 1 });
    const first = await pages.next();
    const rows = first.done ? [] : first.value;
    const entries = rows.slice(0, size).map((row) => toEntry(rowSchema.parse(row)));
    return { entries, more: rows.length > size };
  }

  async *all(): AsyncIterable<AuditEntry> {
    const filter = odata`PartitionKey eq ${PARTITION}`;
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
    ...(row.subject ? { subject: row.subject } : {}),
    before: parse(row.before),
    after: parse(row.after),
  };
}

/** One logboek row as its sentence is told: who (a name or the system's words), on what, before and after. */
export interface AuditLine {
  locale: Locale;
  who: string;
  /** The target's name when it was recorded, else its id. */
  subject: string;
  target: string;
  before: unknown;
  after: unknown;
}

/** Per action (e.g. 'agenda.fixed'), the sentence a person reads in the logboek, in their language. */
export type AuditSentences = Readonly<Record<string, (line: AuditLine) => string>>;

/** A value from a row's before or after, as text (empty when it is not there). */
export function field(value: unknown, name: string): string {
  if (!value || typeof value !== 'object') return '';
  const v = (value as Record<string, unknown>)[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** Words for the logboek: the sentences of every capability and the core, and the names of system actors. */
export interface AuditWords {
  sentences: AuditSentences;
  actor(kind: keyof typeof SYSTEM_ACTORS, locale: Locale): string;
  /** Says there is no sentence for an action (kept as code, so nothing is lost). */
  unknown(locale: Locale, action: string, target: string): string;
}

function auditWho(entry: AuditEntry, locale: Locale, words: AuditWords): string {
  const system = Object.entries(SYSTEM_ACTORS).find(([, a]) => a.aadObjectId === entry.actor.aadObjectId);
  if (system) return words.actor(system[0] as keyof typeof SYSTEM_ACTORS, locale);
  return entry.actor.name || entry.actor.aadObjectId;
}

/** The row as a sentence: "Pieter de Graaf heeft de agenda van 27 januari 2027 vastgesteld." */
export function auditSentence(entry: AuditEntry, locale: Locale, words: AuditWords): string {
  const say = words.sentences[entry.action];
  if (!say) return words.unknown(locale, entry.action, entry.target);
  return say({ locale, who: auditWho(entry, locale, words), subject: entry.subject || entry.target, target: entry.target, before: entry.before, after: entry.after });
}

const CSV_HEADINGS: Record<Locale, string[]> = {
  nl: ['Datum en tijd', 'Wie', 'Wat er gebeurde', 'Onderdeel', 'Code', 'Waarop', 'Voor', 'Na'],
  en: ['Date and time', 'Who', 'What happened', 'Part', 'Code', 'On', 'Before', 'After'],
};

/**
 * The audit trail as CSV (semicolons, as Dutch Excel opens it), one line per entry: the time in Amsterdam
 * time, who and the sentence first; the codes and before/after after them, for whoever needs the detail.
 */
export function auditCsv(entries: AuditEntry[], words: AuditWords, locale: Locale = 'nl'): string {
  const text = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  const rows = [CSV_HEADINGS[locale]];
  for (const e of entries) {
    rows.push([localStamp(new Date(e.at)), auditWho(e, locale, words), auditSentence(e, locale, words), e.capability, e.action, e.target, e.before, e.after].map(text));
  }
  return csvDocument(rows);
}
