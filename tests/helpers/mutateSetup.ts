// For `npm run mutate` only: Stryker runs jest again for every mutant in one long-lived process, so one Azurite
// is started on the first run and reused by the next ones (each test file still makes its own tables).
import { startAzurite, type AzuriteHandle } from '../../src/storage/azurite';

const holder = globalThis as { __mutateAzurite?: AzuriteHandle };

export default async function mutateSetup(): Promise<void> {
  if (!holder.__mutateAzurite) {
    const azurite = await startAzurite();
    holder.__mutateAzurite = azurite;
    process.once('exit', () => {
      azurite.process.kill();
      azurite.queueProcess.kill();
    });
  }
  process.env.TEST_AZURITE_PORT = String(holder.__mutateAzurite.port);
  process.env.TEST_AZURITE_QUEUE_PORT = String(holder.__mutateAzurite.queuePort);
}
