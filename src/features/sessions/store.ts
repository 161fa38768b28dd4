// Sessions and their registrations in Table Storage. The only code that knows their keys.
// One partition per session holds the session row and every registration of it, so a sign-up is one
// transaction: the session row (its seat counters and arrival number, checked by ETag) plus the registration.
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { encodeKey, personKey } from '../../storage/keys';
import { dropTables, getOrUndefined, isStatus, updateWithEtag, type Tables } from '../../storage/tables';
import { registrationSchema, sessionSchema, type Registration, type Session } from './model';

export const SESSION_TABLES = { sessions: 'Sessions' } as const;
/** Reminder claims, from before the outbox's one row per batch and person made each reminder go out once. */
const RETIRED_TABLES = ['SessionReminders'] as const;

const SESSION_ROW = 'session';
const REG_PREFIX = 'reg|';

const keys = {
  partition: (sessionId: string) => `session|${encodeKey(sessionId)}`,
  session: (sessionId: string) => ({ partitionKey: keys.partition(sessionId), rowKey: SESSION_ROW }),
  registration: (sessionId: string, person: string) => ({ partitionKey: keys.partition(sessionId), rowKey: `${REG_PREFIX}${person}` }),
  sequence: { partitionKey: 'sequence', rowKey: 'session' },
  /** A create form's submission per person, so a double click makes one session. */
  submission: (owner: string, submissionId: string) => ({ partitionKey: 'submission', rowKey: `${owner}|${encodeKey(submissionId)}` }),
};

/** Someone else changed the session in between: read again and retry. */
export class Conflict extends Error {}

export interface Versioned<T> {
  value: T;
  etag: string;
}

export type RegistrationChange =
  | { kind: 'put'; registration: Registration; etag?: string }
  | { kind: 'delete'; person: string; etag: string };

function sessionFromRow(row: Record<string, unknown>): Session {
  return sessionSchema.parse({
    ...row,
    facilitator: row.facilitator ? JSON.parse(String(row.facilitator)) : null,
    audience: JSON.parse(String(row.audience)),
  });
}

function sessionToRow(s: Session): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return { ...keys.session(s.id), ...s, facilitator: s.facilitator ? JSON.stringify(s.facilitator) : '', audience: JSON.stringify(s.audience) };
}

function regToRow(r: Registration, person: string) {
  return { ...keys.registration(r.sessionId, person), ...r };
}

export class SessionStore {
  private readonly table: TableClient;

  constructor(private readonly tables: Tables) {
    this.table = tables.client(SESSION_TABLES.sessions);
  }

  /** Drops the tables nothing reads any more (with the personal data they held); safe to repeat. */
  retireOldTables(): Promise<number> {
    return dropTables(this.tables, RETIRED_TABLES);
  }

  async nextSessionNumber(): Promise<number> {
    const k = keys.sequence;
    const row = await updateWithEtag<{ value: number }>(this.table, k.partitionKey, k.rowKey, (c) => ({ ...k, value: (c?.value ?? 0) + 1 }), 60);
    return row!.value;
  }

  /**
   * Reserves a session id for a create form's submission. Returns the id that submission already has
   * (a double click, or a retry after a crash), or undefined when this one is the first.
   */
  async claimSubmission(owner: string, submissionId: string, sessionId: string, now: Date): Promise<string | undefined> {
    const k = keys.submission(owner, submissionId);
    try {
      await this.table.createEntity({ ...k, sessionId, claimedAt: now.toISOString() });
      return undefined;
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
    const row = await getOrUndefined<{ sessionId: string }>(this.table, k.partitionKey, k.rowKey);
    return row?.sessionId;
  }

  /** Creates the session row; false when it exists already (a second press of the same form). */
  async createSession(session: Session): Promise<boolean> {
    try {
      await this.table.createEntity(sessionToRow(session));
      return true;
    } catch (err) {
      if (isStatus(err, 409)) return false;
      throw err;
    }
  }

  async getSession(id: string): Promise<Versioned<Session> | undefined> {
    const k = keys.session(id);
    const row = await getOrUndefined<Record<string, unknown>>(this.table, k.partitionKey, k.rowKey);
    return row ? { value: sessionFromRow(row), etag: row.etag } : undefined;
  }

  async listSessions(): Promise<Session[]> {
    const filter = odata`PartitionKey ge 'session|' and PartitionKey lt 'session}' and RowKey eq ${SESSION_ROW}`;
    const out: Session[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(sessionFromRow(row));
    return out;
  }

  async getRegistration(sessionId: string, person: string): Promise<Versioned<Registration> | undefined> {
    const k = keys.registration(sessionId, person);
    const row = await getOrUndefined<Record<string, unknown>>(this.table, k.partitionKey, k.rowKey);
    return row ? { value: registrationSchema.parse(row), etag: row.etag } : undefined;
  }

  /** Every registration of a session (all states), with the person key each is stored under. */
  async registrations(sessionId: string): Promise<Array<Versioned<Registration> & { person: string }>> {
    const partition = keys.partition(sessionId);
    const filter = odata`PartitionKey eq ${partition} and RowKey ge ${REG_PREFIX} and RowKey lt 'reg}'`;
    const out: Array<Versioned<Registration> & { person: string }> = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push({ value: registrationSchema.parse(row), etag: String(row.etag), person: String(row.rowKey).slice(REG_PREFIX.length) });
    }
    return out;
  }

  /**
   * Writes a session and the registrations that change with it as one transaction: all or nothing, and only
   * if nobody wrote the session (or those registrations) since they were read. Throws Conflict otherwise.
   */
  async commit(session: Versioned<Session>, changes: RegistrationChange[]): Promise<void> {
    if (changes.length > 99) throw new Error('A transaction holds at most 100 rows');
    const actions: TransactionAction[] = [['update', sessionToRow(session.value), 'Replace', { etag: session.etag }]];
    for (const change of changes) {
      if (change.kind === 'delete') {
        const k = keys.registration(session.value.id, change.person);
        // Deletes in a transaction carry no ETag; the session row's ETag guards the whole write.
        actions.push(['delete', k]);
      } else {
        const row = regToRow(change.registration, personKeyOf(change.registration));
        actions.push(change.etag ? ['update', row, 'Replace', { etag: change.etag }] : ['create', row]);
      }
    }
    try {
      await this.table.submitTransaction(actions);
    } catch (err) {
      if (isStatus(err, 412) || isStatus(err, 409) || isStatus(err, 404)) throw new Conflict('session changed meanwhile');
      throw err;
    }
  }

  /** Marks attendance on one registration, leaving everything else of it as it is. */
  async setAttended(sessionId: string, person: string, attended: boolean): Promise<void> {
    try {
      await this.table.updateEntity({ ...keys.registration(sessionId, person), attended }, 'Merge');
    } catch (err) {
      // Erased in between: nothing left to mark.
      if (!isStatus(err, 404)) throw err;
    }
  }
}

/** The key a registration is stored under: its person (tenant and object id). */
export function personKeyOf(p: { tenantId: string; aadObjectId: string }): string {
  return personKey(p.tenantId, p.aadObjectId);
}
