// The work queue that carries proactive work between bot instances: Azure Queue Storage (Azurite locally).
// A message not deleted within its visibility timeout comes back, so the work of an instance that died is
// picked up by another.
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from '../config';

export interface QueueMessage {
  id: string;
  popReceipt: string;
  dequeueCount: number;
  body: string;
}

export interface WorkQueue {
  ensure(): Promise<void>;
  /** Resolves when the queue service answers (readiness). */
  ping(): Promise<void>;
  send(body: string, delaySeconds?: number): Promise<void>;
  receive(max: number, visibilitySeconds: number): Promise<QueueMessage[]>;
  delete(message: QueueMessage): Promise<void>;
  /** True when at least one message is visible now. */
  hasVisible(): Promise<boolean>;
  /** Hides the message for this long (a retry later); returns the new pop receipt. */
  hide(message: QueueMessage, seconds: number): Promise<QueueMessage>;
}

// Queue names: lower-case letters, digits and single hyphens, 3 to 63 characters.
function queueName(tablePrefix: string, name: string): string {
  return `${tablePrefix}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 63);
}

function connectionHasQueue(connectionString: string): boolean {
  // A string with explicit endpoints must name the queue's; an account string (EndpointSuffix) covers every service.
  return /QueueEndpoint=/i.test(connectionString) || !/TableEndpoint=/i.test(connectionString);
}

export function createWorkQueue(config: Config, name: string): WorkQueue {
  const storage = config.storage;
  const fullName = queueName(storage.tablePrefix, name);
  let client: QueueClient;
  // Short retries: the worker retries a failed round itself, and a row that could not be queued waits for
  // the sweeper, so a person is not kept waiting for a queue that is away.
  const options = { retryOptions: { maxTries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500 } };
  if (storage.connectionString) {
    if (!connectionHasQueue(storage.connectionString)) {
      throw new Error('The storage connection string has no QueueEndpoint: the outbox needs Azure Queue Storage');
    }
    // Azurite speaks plain http on loopback; the SDK allows that for a connection string.
    client = QueueServiceClient.fromConnectionString(storage.connectionString, options).getQueueClient(fullName);
  } else {
    if (!config.proactive.queueUrl) throw new Error('Set STORAGE_QUEUE_URL: the outbox needs Azure Queue Storage');
    client = new QueueServiceClient(config.proactive.queueUrl, new DefaultAzureCredential(), options).getQueueClient(fullName);
  }
  return {
    async ensure() {
      await client.createIfNotExists();
    },
    async ping() {
      await client.getProperties();
    },
    async send(body, delaySeconds = 0) {
      await client.sendMessage(body, { visibilityTimeout: delaySeconds, messageTimeToLive: -1 });
    },
    async receive(max, visibilitySeconds) {
      const result = await client.receiveMessages({ numberOfMessages: Math.min(32, max), visibilityTimeout: visibilitySeconds });
      return result.receivedMessageItems.map((m) => ({
        id: m.messageId,
        popReceipt: m.popReceipt,
        dequeueCount: m.dequeueCount,
        body: m.messageText,
      }));
    },
    async hasVisible() {
      return (await client.peekMessages({ numberOfMessages: 1 })).peekedMessageItems.length > 0;
    },
    async delete(message) {
      try {
        await client.deleteMessage(message.id, message.popReceipt);
      } catch (err) {
        // Already gone, or its visibility ran out and someone else has it now: their work, not ours.
        const status = (err as { statusCode?: number }).statusCode;
        if (status !== 404 && status !== 400) throw err;
      }
    },
    async hide(message, seconds) {
      const updated = await client.updateMessage(message.id, message.popReceipt, undefined, Math.max(0, Math.ceil(seconds)));
      return { ...message, popReceipt: updated.popReceipt ?? message.popReceipt };
    },
  };
}
