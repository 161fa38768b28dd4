// Real tables on the test run's Azurite, under a fresh prefix for each test file.
import { tablesOf } from '../../src/capability';
import { CAPABILITIES } from '../../src/capabilities';
import { CORE_TABLES } from '../../src/app';
import { createTables, type Tables } from '../../src/storage/tables';
import { testConfig } from './harness';

export async function freshTables(): Promise<Tables> {
  const tables = createTables(testConfig().storage);
  await tables.ensure(tablesOf(CAPABILITIES, CORE_TABLES));
  return tables;
}
