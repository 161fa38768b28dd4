// botbuilder Storage on Azure Table Storage, used for teams-ai turn state.
import type { Storage, StoreItems } from 'botbuilder';
import type { TableClient } from '@azure/data-tables';
import { keys } from './keys';
import { getOrUndefined, isStatus } from './tables';

// A string property holds 64 KiB (32K UTF-16 units); an entity 1 MiB. Leave room for keys and metadata.
const CHUNK = 30_000;
const MAX_CHUNKS = 15;

type StateEntity = { partitionKey: string; rowKey: string; chunks: number } & Record<string, unknown>;

export class TableStorage implements Storage {
  constructor(private readonly client: TableClient) {}

  async read(storageKeys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      storageKeys.map(async (storageKey) => {
        const { partitionKey, rowKey } = keys.botState(storageKey);
        const entity = await getOrUndefined<StateEntity>(this.client, partitionKey, rowKey);
        if (!entity) return;
        let json = '';
        for (let i = 0; i < Number(entity.chunks); i++) json += String(entity[`data${i}`] ?? '');
        items[storageKey] = { ...JSON.parse(json), eTag: entity.etag };
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([storageKey, item]) => {
        const { eTag, ...value } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
        const json = JSON.stringify(value);
        const chunks = Math.max(1, Math.ceil(json.length / CHUNK));
        if (chunks > MAX_CHUNKS) throw new Error(`State for one key is too large (${json.length} characters)`);
        const entity: StateEntity = { ...keys.botState(storageKey), chunks };
        for (let i = 0; i < chunks; i++) entity[`data${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
        if (!eTag || eTag === '*') {
          await this.client.upsertEntity(entity, 'Replace');
        } else {
          // Someone else wrote since we read: the caller must not overwrite their change.
          await this.client.updateEntity(entity, 'Replace', { etag: eTag });
        }
      }),
    );
  }

  async delete(storageKeys: string[]): Promise<void> {
    await Promise.all(
      storageKeys.map(async (storageKey) => {
        const { partitionKey, rowKey } = keys.botState(storageKey);
        try {
          await this.client.deleteEntity(partitionKey, rowKey);
        } catch (err) {
          if (!isStatus(err, 404)) throw err;
        }
      }),
    );
  }
}
