// Real tables on the test run's Azurite, under a fresh prefix for each test file.
import { createTables, ensureTables, type Tables } from '../../src/storage/tables';
import { testConfig } from './harness';

export async function freshTables(): Promise<Tables> {
  const tables = createTables(testConfig().storage);
  await ensureTables(tables);
  return tables;
}
