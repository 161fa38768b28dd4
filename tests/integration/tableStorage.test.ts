// The botbuilder Storage on Table Storage, against Azurite.
import { TableStorage } from '../../src/storage/tableStorage';
import { updateWithEtag, type Tables } from '../../src/storage/tables';
import { freshTables } from '../helpers/storage';

let tables: Tables;
let storage: TableStorage;
beforeAll(async () => {
  tables = await freshTables();
  storage = new TableStorage(tables.BotState);
});

it('reads back what it wrote, for keys with slashes as teams-ai makes them', async () => {
  const key = 'msteams/28:bot/conversations/19:abc@thread.tacv2;messageid=1';
  await storage.write({ [key]: { count: 3, name: 'één' } });
  const items = await storage.read([key, 'msteams/none']);
  expect(items[key]).toMatchObject({ count: 3, name: 'één' });
  expect(items[key].eTag).toEqual(expect.any(String));
  expect(items['msteams/none']).toBeUndefined();
});

it('stores state larger than one table property (64 KiB)', async () => {
  const big = { text: 'x'.repeat(200_000), list: Array.from({ length: 1000 }, (_, i) => i) };
  await storage.write({ big });
  const items = await storage.read(['big']);
  expect(items.big.text).toHaveLength(200_000);
  expect(items.big.list).toHaveLength(1000);
});

it('refuses to overwrite a change made since it was read (ETag)', async () => {
  await storage.write({ shared: { v: 1 } });
  const first = (await storage.read(['shared'])).shared;
  const second = (await storage.read(['shared'])).shared;
  await storage.write({ shared: { ...first, v: 2 } });
  await expect(storage.write({ shared: { ...second, v: 3 } })).rejects.toMatchObject({ statusCode: 412 });
  expect((await storage.read(['shared'])).shared.v).toBe(2);
});

it('overwrites on purpose with eTag "*", and deletes', async () => {
  await storage.write({ gone: { v: 1 } });
  await storage.write({ gone: { v: 2, eTag: '*' } });
  expect((await storage.read(['gone'])).gone.v).toBe(2);
  await storage.delete(['gone', 'never-existed']);
  expect((await storage.read(['gone'])).gone).toBeUndefined();
});

it('counts every one of many concurrent read-modify-writes exactly once', async () => {
  const pk = 'counter';
  await Promise.all(
    Array.from({ length: 25 }, () =>
      updateWithEtag<{ n: number }>(tables.BotState, pk, 'one', (current) => ({
        partitionKey: pk,
        rowKey: 'one',
        n: (current?.n ?? 0) + 1,
      }), 50),
    ),
  );
  const row = await tables.BotState.getEntity<{ n: number }>(pk, 'one');
  expect(row.n).toBe(25);
});
