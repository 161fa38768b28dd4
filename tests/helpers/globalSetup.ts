// Starts one in-memory Azurite (tables and queues) for the whole test run, on a free loopback port; each test file uses its own tables.
import { startAzurite } from '../../src/storage/azurite';

export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  process.env.TEST_AZURITE_PORT = String(azurite.port);
  process.env.TEST_AZURITE_QUEUE_PORT = String(azurite.queuePort);
  (globalThis as { __azurite?: unknown }).__azurite = azurite;
}
