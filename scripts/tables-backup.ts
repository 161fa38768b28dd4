// Backup and restore of BO Wonen's tables. Azure Table Storage has no point-in-time restore, no soft delete and
// no Azure Backup support, so this script is the backup: every table under TABLE_PREFIX becomes one NDJSON file
// (one entity a line, every property with its Table Storage type), and goes back the same way.
// CLI: npm run export:tables -- <folder>      npm run import:tables -- <folder> [--overwrite]
// Storage comes from STORAGE_ACCOUNT_URL (your Entra sign-in) or STORAGE_CONNECTION_STRING, as for the bot.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TableClient, TableServiceClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { ConfigError, loadBackupConfig, type Config } from '../src/config';

export class BackupError extends Error {}

const MANIFEST = 'backup.json';

interface Manifest {
  format: 'bo-wonen-tables/1';
  exportedAt: string;
  tablePrefix: string;
  /** Logical table name (without the prefix) → number of entities. */
  tables: Record<string, number>;
}

/** A property as Table Storage returns it without type conversion: its text and its EDM type. */
interface TypedValue {
  value: string;
  type: 'String' | 'Boolean' | 'Int32' | 'Int64' | 'Double' | 'DateTime' | 'Guid' | 'Binary';
}

type StoredEntity = { partitionKey: string; rowKey: string } & Record<string, TypedValue | string>;

function clients(storage: Config['storage']) {
  if (storage.connectionString) {
    const options = { allowInsecureConnection: /DefaultEndpointsProtocol=http;|=http:\/\//i.test(storage.connectionString) };
    return {
      service: TableServiceClient.fromConnectionString(storage.connectionString, options),
      table: (name: string) => TableClient.fromConnectionString(storage.connectionString, name, options),
    };
  }
  const credential = new DefaultAzureCredential();
  return {
    service: new TableServiceClient(storage.accountUrl, credential),
    table: (name: string) => new TableClient(storage.accountUrl, name, credential),
  };
}

/** Writes every table under the prefix into the folder; returns the manifest it wrote. */
export async function exportTables(storage: Config['storage'], folder: string): Promise<Manifest> {
  const { service, table } = clients(storage);
  mkdirSync(folder, { recursive: true });
  const manifest: Manifest = { format: 'bo-wonen-tables/1', exportedAt: new Date().toISOString(), tablePrefix: storage.tablePrefix, tables: {} };
  for await (const item of service.listTables()) {
    const name = item.name ?? '';
    if (!name.startsWith(storage.tablePrefix) || name.length === storage.tablePrefix.length) continue;
    const logical = name.slice(storage.tablePrefix.length);
    const lines: string[] = [];
    for await (const entity of table(name).listEntities({ disableTypeConversion: true } as never)) {
      const { etag: _etag, timestamp: _timestamp, ...rest } = entity as TableEntity<Record<string, unknown>> & { etag?: string; timestamp?: string };
      lines.push(JSON.stringify(rest));
    }
    writeFileSync(path.join(folder, `${logical}.ndjson`), lines.length ? `${lines.join('\n')}\n` : '');
    manifest.tables[logical] = lines.length;
  }
  writeFileSync(path.join(folder, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Puts a backup into the tables under the configured prefix (which may differ from the exported one). */
export async function importTables(storage: Config['storage'], folder: string, options: { overwrite?: boolean } = {}): Promise<Record<string, number>> {
  const manifest = readManifest(folder);
  const { table } = clients(storage);
  const written: Record<string, number> = {};
  for (const [logical, expected] of Object.entries(manifest.tables)) {
    const client = table(`${storage.tablePrefix}${logical}`);
    await client.createTable();
    if (!options.overwrite && !(await client.listEntities().next()).done) {
      throw new BackupError(
        `Table ${storage.tablePrefix}${logical} is not empty: restore into a new TABLE_PREFIX, or pass --overwrite to write the backup over what is there.`,
      );
    }
    const entities = readFileSync(path.join(folder, `${logical}.ndjson`), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => toWritable(JSON.parse(line) as StoredEntity));
    if (entities.length !== expected) {
      throw new BackupError(`${logical}.ndjson holds ${entities.length} entities, ${MANIFEST} says ${expected}: the backup is incomplete.`);
    }
    // A transaction holds up to 100 entities of one partition.
    const byPartition = new Map<string, TableEntity[]>();
    for (const entity of entities) byPartition.set(entity.partitionKey, [...(byPartition.get(entity.partitionKey) ?? []), entity]);
    for (const group of byPartition.values()) {
      for (let i = 0; i < group.length; i += 100) {
        await client.submitTransaction(group.slice(i, i + 100).map((e): TransactionAction => ['upsert', e, 'Replace']));
      }
    }
    written[logical] = entities.length;
  }
  return written;
}

function readManifest(folder: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(folder, MANIFEST), 'utf8')) as Manifest;
  } catch {
    throw new BackupError(`${path.join(folder, MANIFEST)} is missing or not JSON: is this a folder from npm run export:tables?`);
  }
  if (manifest.format !== 'bo-wonen-tables/1') throw new BackupError(`${MANIFEST} is of an unknown format (${String(manifest.format)}).`);
  const files = readdirSync(folder).filter((f) => f.endsWith('.ndjson')).map((f) => f.slice(0, -'.ndjson'.length));
  const missing = Object.keys(manifest.tables).filter((t) => !files.includes(t));
  if (missing.length) throw new BackupError(`The backup lacks ${missing.map((t) => `${t}.ndjson`).join(', ')}.`);
  return manifest;
}

/** Typed values back into what the SDK writes with the same type (plain JSON numbers would lose Double vs Int32). */
function toWritable(entity: StoredEntity): TableEntity {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(entity)) {
    if (typeof raw === 'string') {
      out[key] = raw; // partitionKey, rowKey
      continue;
    }
    switch (raw.type) {
      case 'String':
        out[key] = raw.value;
        break;
      case 'Boolean':
        out[key] = raw.value === 'true';
        break;
      case 'Int32':
        out[key] = Number(raw.value);
        break;
      default:
        out[key] = { value: raw.value, type: raw.type };
    }
  }
  return out as TableEntity;
}

async function main(argv: string[]): Promise<void> {
  const [command, folder, ...flags] = argv;
  if ((command !== 'export' && command !== 'import') || !folder || flags.some((f) => f !== '--overwrite')) {
    throw new BackupError('Use: npm run export:tables -- <folder>   or   npm run import:tables -- <folder> [--overwrite]');
  }
  const storage = loadBackupConfig(process.env);
  if (command === 'export') {
    const manifest = await exportTables(storage, folder);
    const total = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    console.log(`Exported ${Object.keys(manifest.tables).length} tables (${total} entities) to ${folder}.`);
  } else {
    const written = await importTables(storage, folder, { overwrite: flags.includes('--overwrite') });
    const total = Object.values(written).reduce((a, b) => a + b, 0);
    console.log(`Restored ${Object.keys(written).length} tables (${total} entities) under prefix ${storage.tablePrefix}.`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const known = err instanceof BackupError || err instanceof ConfigError;
    console.error(known ? (err as Error).message : err);
    process.exit(1);
  });
}
