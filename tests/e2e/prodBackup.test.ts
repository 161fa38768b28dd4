// Backup and restore of the tables (npm run export:tables / import:tables) on the test run's Azurite: what a
// member logged through the bot is still there, for the bot, after a restore into a fresh table prefix.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { azuriteConnectionString, loadBackupConfig } from '../../src/config';
import { exportTables, importTables } from '../../scripts/tables-backup';
import { buttonsOf, people, readable, startTestBot, testTablePrefix, type TestBot } from '../helpers/harness';

const connectionString = () => azuriteConnectionString(Number(process.env.TEST_AZURITE_PORT));
const storageFor = (prefix: string) => loadBackupConfig({ STORAGE_CONNECTION_STRING: connectionString(), TABLE_PREFIX: prefix });
const options = { allowInsecureConnection: true };

/** Every entity of every table under a prefix, with its typed values, keyed by logical table name. */
async function snapshot(prefix: string): Promise<Record<string, unknown[]>> {
  const service = TableServiceClient.fromConnectionString(connectionString(), options);
  const out: Record<string, unknown[]> = {};
  for await (const table of service.listTables()) {
    const name = table.name ?? '';
    if (!name.startsWith(prefix)) continue;
    const rows: unknown[] = [];
    const client = TableClient.fromConnectionString(connectionString(), name, options);
    for await (const e of client.listEntities({ disableTypeConversion: true } as never)) {
      const { etag: _etag, timestamp: _timestamp, ...rest } = e as Record<string, unknown>;
      rows.push(rest);
    }
    out[name.slice(prefix.length)] = rows;
  }
  return out;
}

let source: TestBot;
let sourcePrefix: string;
let title: string;
beforeAll(async () => {
  sourcePrefix = testTablePrefix();
  source = await startTestBot({ TABLE_PREFIX: sourcePrefix });
  const [formReply] = await source.say(people.admin, 'dilemma');
  const submissionId = String(buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
  title = 'Netcongestie houdt 120 woningen tegen';
  await source.submit(people.admin, {
    verb: 'dilemmaSave',
    submissionId,
    title,
    description: 'De netbeheerder kan de nieuwe wijk pas in 2029 aansluiten. Wie heeft een tijdelijke oplossing gevonden?',
    theme: 'overig',
    municipalities: 'huizen',
    relatedPlan: '',
    visibility: 'members',
    wantsAgenda: 'false',
  });
  // Values of every type Table Storage knows, which plain JSON would blur (Int64, Double 2.0, dates, binary).
  const extra = TableClient.fromConnectionString(connectionString(), `${sourcePrefix}Typecheck`, options);
  await extra.createTable();
  await extra.upsertEntity({
    partitionKey: 'p',
    rowKey: 'r',
    text: 'tekst met "aanhalingstekens" en é',
    whole: 7,
    big: { value: '9007199254740993', type: 'Int64' },
    double: { value: '2', type: 'Double' },
    when: new Date('2026-03-24T10:00:00.000Z'),
    yes: true,
    id: { value: '0c0ffee0-0000-4000-8000-000000000001', type: 'Guid' },
    bytes: new Uint8Array([0, 1, 254, 255]),
  });
});
afterAll(async () => {
  await source.stop();
});

it('restores every table, with the same typed values, into a new prefix the bot then reads', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-backup-'));
  const manifest = await exportTables(storageFor(sourcePrefix), folder);
  expect(manifest.tables.Typecheck).toBe(1);
  expect(Object.keys(manifest.tables).length).toBeGreaterThan(3);
  expect(readFileSync(path.join(folder, 'Typecheck.ndjson'), 'utf8')).toContain('"type":"Int64"');

  const restoredPrefix = testTablePrefix();
  await importTables(storageFor(restoredPrefix), folder);
  expect(await snapshot(restoredPrefix)).toEqual(await snapshot(sourcePrefix));

  // The bot on the restored tables knows the member and lists the dilemma.
  const restored = await startTestBot({ TABLE_PREFIX: restoredPrefix });
  try {
    const replies = await restored.say(people.admin, "dilemma's");
    expect(replies.map(readable).join('\n')).toContain(title);
  } finally {
    await restored.stop();
  }
});

it('refuses to write over tables that hold data, unless told to overwrite', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-backup-'));
  await exportTables(storageFor(sourcePrefix), folder);
  await expect(importTables(storageFor(sourcePrefix), folder)).rejects.toThrow(/is not empty: restore into a new TABLE_PREFIX, or pass --overwrite/);
  const before = await snapshot(sourcePrefix);
  await importTables(storageFor(sourcePrefix), folder, { overwrite: true });
  expect(await snapshot(sourcePrefix)).toEqual(before);
});
