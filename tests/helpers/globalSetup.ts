// Starts one in-memory Azurite for the whole test run, on a free loopback port; each test file uses its own tables.
import { startAzurite } from '../../src/storage/azurite';

export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  process.env.TEST_AZURITE_PORT = String(azurite.port);
  (globalThis as { __azurite?: unknown }).__azurite = azurite;
}
