// Dilemma lists and details come from memory: two stores on one Azurite stand for two bot processes. Each
// shows its own changes at once and the other's after it reads the change log (poll), details included;
// an incomplete response list is never kept, and old change rows are cleaned up.
import { AuditLog } from '../../src/core/audit';
import { DilemmaStore } from '../../src/features/dilemmas/store';
import { DilemmaService, type Viewer } from '../../src/features/dilemmas/service';
import type { Member } from '../../src/features/members/model';
import type { Tables } from '../../src/storage/tables';
import { freshTables } from '../helpers/storage';
import { testMember } from '../helpers/members';

const member = (aadObjectId: string, role: Member['role'] = 'wethouder'): Member => testMember(aadObjectId, role, 'huizen');
const author = member('author');
const reader = member('reader', 'directeur-bestuurder');
const personal = (m: Member): Viewer => ({ member: m, shared: false });
const input = (title: string) => ({
  title,
  description: 'Over de bouwstroom in de regio.',
  theme: 'capaciteit',
  municipalities: ['huizen'],
  relatedPlan: '',
  visibility: 'members',
  wantsAgenda: false,
});

let tables: Tables;
let storeA: DilemmaStore;
let storeB: DilemmaStore;
let a: DilemmaService;
let b: DilemmaService;
let clock = Date.parse('2026-05-01T09:00:00Z');
let submission = 0;

const make = (store: DilemmaStore) =>
  new DilemmaService(store, () => ['huizen'], { authorNotice: async () => undefined }, async (x) => member(x.aadObjectId), () => new Date((clock += 1000)), new AuditLog(tables));
const titles = async (service: DilemmaService, words?: string) =>
  (await service.list(personal(reader), words ? { words } : {})).items.map((d) => d.title);

async function create(service: DilemmaService, title: string): Promise<string> {
  const result = await service.create(author, input(title), `readmodel-${++submission}-abcdef`);
  if (result.status !== 'saved') throw new Error('not saved');
  return result.dilemma.id;
}

beforeAll(async () => {
  tables = await freshTables();
  // Polled by hand in this file (no timer runs): what B shows between polls is what a process shows.
  storeA = new DilemmaStore(tables, { refreshMs: 60_000 });
  storeB = new DilemmaStore(tables, { refreshMs: 60_000 });
  a = make(storeA);
  b = make(storeB);
  await create(a, 'Eerste: bouwstroom hapert');
  await Promise.all([storeA.reader.poll(), storeB.reader.poll()]);
});

it("lists its own change at once and the other process's after reading the change log", async () => {
  const id = await create(a, 'Tweede: bouwstroom stokt');
  expect(await titles(a)).toEqual(['Tweede: bouwstroom stokt', 'Eerste: bouwstroom hapert']);
  expect(await titles(b)).toEqual(['Eerste: bouwstroom hapert']);
  await storeB.reader.poll();
  expect(await titles(b)).toEqual(['Tweede: bouwstroom stokt', 'Eerste: bouwstroom hapert']);
  expect(await titles(b, 'stokt')).toEqual(['Tweede: bouwstroom stokt']);

  // An edit takes its old words out of the search and puts the new ones in, on both.
  await a.edit(author, id, { ...input('Tweede: aannemer failliet'), description: 'Geen bouwers meer.' });
  await storeB.reader.poll();
  for (const service of [a, b]) {
    expect(await titles(service, 'stokt')).toEqual([]);
    expect(await titles(service, 'failliet')).toEqual(['Tweede: aannemer failliet']);
  }
});

it('keeps a detail until memory knows a newer revision, responses included', async () => {
  const id = await create(a, 'Derde: reacties tellen');
  await storeB.reader.poll();
  expect((await b.view(personal(reader), id)).responses).toEqual([]);
  await a.respond(personal(reader), id, { text: 'Wij herkennen dit.', wantsToTalk: false, submissionId: 'readmodel-response-1' });
  // B has not read the change log yet: the detail it kept is what it shows, like its list.
  expect((await b.view(personal(reader), id)).responses).toEqual([]);
  await storeB.reader.poll();
  const seen = await b.view(personal(reader), id);
  expect(seen.dilemma.responseCount).toBe(1);
  expect(seen.responses.map((r) => [r.text, r.author.name])).toEqual([['Wij herkennen dit.', 'Lid reader']]);

  // Erasing the person who responded changes the response, not the dilemma's fields: B still follows.
  await a.erase({ tenantId: 't1', aadObjectId: 'reader' });
  await storeB.reader.poll();
  expect((await b.view(personal(author), id)).responses.map((r) => r.author.name)).toEqual(['']);
});

it('ends with the same list on both processes after many changes at once on each', async () => {
  const id = await create(a, 'Vijfde: veel herkenning tegelijk');
  await storeB.reader.poll();
  const people = Array.from({ length: 20 }, (_, i) => member(`herkenner-${i}`));
  await Promise.all(people.map((p, i) => (i % 2 ? a : b).setRecognition(personal(p), id, true)));
  await Promise.all([storeA.reader.poll(), storeB.reader.poll()]);
  for (const service of [a, b]) {
    const row = (await service.list(personal(reader))).items.find((d) => d.id === id)!;
    expect(row.recognisedCount).toBe(20);
    expect((await service.view(personal(reader), id)).dilemma.recognisedBy).toHaveLength(20);
  }
});

it('never keeps a response list that misses a response numbered but not yet stored', async () => {
  const id = await create(a, 'Vierde: reactie onderweg');
  // The number is taken (the dilemma says two responses) before the second response row is written.
  await a.respond(personal(reader), id, { text: 'Eerste reactie.', wantsToTalk: false, submissionId: 'readmodel-response-2' });
  const numbered = await storeA.update(id, (d) => ({ ...d, responseCount: d.responseCount + 1 }));
  await storeB.reader.poll();
  expect((await b.view(personal(reader), id)).responses).toHaveLength(1);
  await storeA.addResponse(
    { dilemmaId: id, author: { tenantId: 't1', aadObjectId: 'x', name: 'Lid x', organisationId: 'huizen' }, text: 'Tweede reactie.', wantsToTalk: false, createdAt: new Date().toISOString() },
    numbered!.responseCount,
  );
  // No new revision, no poll: B reads the responses again because it did not keep the incomplete list.
  expect((await b.view(personal(reader), id)).responses.map((r) => r.text)).toEqual(['Eerste reactie.', 'Tweede reactie.']);
});

it('removes change rows older than two days when it reads the change log', async () => {
  const changes = tables.client('DilemmaChanges');
  const old = new Date(Date.now() - 3 * 24 * 3600_000);
  const hour = old.toISOString().slice(0, 13).replace(/[-T]/g, '');
  await changes.upsertEntity({ partitionKey: hour, rowKey: `${old.toISOString()}|D-2020-001|000000001`, id: 'D-2020-001', revision: 1 });
  const fresh = new DilemmaStore(tables, { refreshMs: 60_000 });
  await fresh.reader.poll(); // the first read loads everything
  await fresh.reader.poll(); // later ones read the change log and clean up once an hour
  const left: string[] = [];
  for await (const row of changes.listEntities({ queryOptions: { filter: `PartitionKey eq '${hour}'` } })) left.push(String(row.rowKey));
  expect(left).toEqual([]);
  // Recent change rows stay for the other processes.
  let recent = 0;
  for await (const _ of changes.listEntities({ queryOptions: { filter: `PartitionKey ge '${new Date().toISOString().slice(0, 8).replace(/-/g, '')}'` } })) recent++;
  expect(recent).toBeGreaterThan(0);
});
