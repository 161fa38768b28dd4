// Table clients for the configured account, table creation, and ETag-checked updates.
import { TableClient, TableServiceClient, RestError, type TableEntity } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from '../config';

/** The tables of one storage account under the configured prefix; each store asks for its own by name. */
export interface Tables {
  /** The client of a logical table (e.g. 'Dilemmas'); the prefix is put in front. */
  client(name: string): TableClient;
  /** Creates every named table that does not exist yet. */
  ensure(names: readonly string[]): Promise<void>;
  /** One cheap call that needs the account to answer. */
  ping(): Promise<void>;
}

// Table names: letters and digits, 3 to 63 characters, starting with a letter.
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

// A person waits for the answer (and Teams gives an invoke 5 seconds): a few quick retries, then give up
// and apologise, rather than the SDK's default of retries stretching well beyond that.
const RETRY = { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1000 };

export function createTables(storage: Config['storage']): Tables {
  const fullName = (name: string) => {
    const full = `${storage.tablePrefix}${name}`;
    if (!TABLE_NAME.test(full)) throw new Error(`Not a valid table name: ${full}`);
    return full;
  };
  let make: (name: string) => TableClient;
  let service: TableServiceClient;
  if (storage.connectionString) {
    // Azurite speaks plain http on loopback; Azure itself is https and needs no exception.
    const options = {
      allowInsecureConnection: /DefaultEndpointsProtocol=http;|=http:\/\//i.test(storage.connectionString),
      retryOptions: RETRY,
    };
    make = (name) => TableClient.fromConnectionString(storage.connectionString, fullName(name), options);
    service = TableServiceClient.fromConnectionString(storage.connectionString, options);
  } else {
    const credential = new DefaultAzureCredential();
    make = (name) => new TableClient(storage.accountUrl, fullName(name), credential, { retryOptions: RETRY });
    service = new TableServiceClient(storage.accountUrl, credential, { retryOptions: RETRY });
  }
  const clients = new Map<string, TableClient>();
  const client = (name: string) => {
    let c = clients.get(name);
    if (!c) clients.set(name, (c = make(name)));
    return c;
  };
  return {
    client,
    async ensure(names) {
      await Promise.all([...new Set(names)].map((name) => client(name).createTable()));
    },
    async ping() {
      await service.listTables({ queryOptions: { filter: `TableName eq '${fullName('Conversations')}'` } }).next();
    },
  };
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_SEND_ERROR']);

/** Storage did not answer (down, unreachable, overloaded): nobody's fault, try again later. */
export function isStorageUnavailable(err: unknown): boolean {
  if (!(err instanceof RestError)) return false;
  if (err.statusCode === undefined) return true;
  if (err.statusCode === 503 || err.statusCode === 500 || err.statusCode === 504) return true;
  return typeof err.code === 'string' && UNREACHABLE_CODES.has(err.code);
}

export function isStatus(err: unknown, status: number): boolean {
  return err instanceof RestError ? err.statusCode === status : (err as { statusCode?: number })?.statusCode === status;
}

export async function getOrUndefined<T extends object>(
  client: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<(TableEntity<T> & { etag: string }) | undefined> {
  try {
    return (await client.getEntity<T>(partitionKey, rowKey)) as TableEntity<T> & { etag: string };
  } catch (err) {
    if (isStatus(err, 404)) return undefined;
    throw err;
  }
}

/** Someone else wrote the row (ETag no longer matches) or created it first. */
export function isEtagConflict(err: unknown): boolean {
  return isStatus(err, 412) || isStatus(err, 409);
}

export interface RetryOptions {
  /** Which errors mean "someone else wrote in between": those are tried again, every other error is thrown. */
  isConflict?: (err: unknown) => boolean;
  /** Tries in all; the last conflict is thrown. */
  attempts?: number;
  /** The pause before try n + 1 (random, so two writers do not meet again at once); 0 tries again at once. */
  pauseMs?: (attempt: number) => number;
}

/**
 * The one retry loop of optimistic concurrency: runs `step` (read, decide, write with the ETag read) and runs it
 * again when it throws a conflict, after a short random pause. `step` gets the attempt number (1, 2, …).
 */
export async function retryOnConflict<T>(step: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { isConflict = isEtagConflict, attempts = 10, pauseMs = (attempt: number) => Math.random() * Math.min(20 * attempt, 200) } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      if (!isConflict(err) || attempt >= attempts) throw err;
      const ms = pauseMs(attempt);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }
}

/**
 * Read-modify-write with optimistic concurrency: re-reads and tries again when someone else wrote in between.
 * `change` gets the current entity (or undefined) and returns the new one, or undefined to write nothing.
 */
export function updateWithEtag<T extends object>(
  client: TableClient,
  partitionKey: string,
  rowKey: string,
  change: (current: TableEntity<T> | undefined) => TableEntity<T> | undefined,
  attempts = 10,
): Promise<TableEntity<T> | undefined> {
  return retryOnConflict(
    async () => {
      const current = await getOrUndefined<T>(client, partitionKey, rowKey);
      const next = change(current);
      if (!next) return current;
      if (current) await client.updateEntity(next, 'Replace', { etag: current.etag });
      else await client.createEntity(next);
      return next;
    },
    { attempts },
  );
}

/**
 * Drops tables nothing reads any more (and the data they held); returns how many were there. deleteTable alone
 * cannot tell: the SDK treats a missing table as deleted.
 */
export async function dropTables(tables: Tables, names: readonly string[]): Promise<number> {
  let dropped = 0;
  for (const name of names) {
    const client = tables.client(name);
    try {
      await client.listEntities({ queryOptions: { select: ['PartitionKey'] } }).byPage({ maxPageSize: 1 }).next();
    } catch (err) {
      if (isStatus(err, 404)) continue;
      throw err;
    }
    await client.deleteTable();
    dropped++;
  }
  return dropped;
}
