// Real tables on the test run's Azurite, under a fresh prefix for each test file.
import { tablesOf } from '../../src/capability';
import { CAPABILITIES } from '../../src/capabilities';
import { REFERENCE_TABLE } from '../../src/proactive/references';
import { AUDIT_TABLE } from '../../src/core/audit';
import { createTables, type Tables } from '../../src/storage/tables';
import { testConfig } from './harness';

export async function freshTables(): Promise<Tables> {
  const tables = createTables(testConfig().storage);
  await tables.ensure(tablesOf(CAPABILITIES, [REFERENCE_TABLE, AUDIT_TABLE]));
  return tables;
}
