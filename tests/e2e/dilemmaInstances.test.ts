// Two bot processes on one store: dilemmas stored by an older version are listed and found after both start
// (and the old index tables are dropped), what one instance changes it lists at once, and the other lists it
// after its next read of the change log (DILEMMA_REFRESH_MS), never later than that plus the read itself.
import { buttonsOf, readable, startTestBot, testConfig, testTablePrefix, TENANT, type TestBot, type TestUser } from '../helpers/harness';
import { TableServiceClient } from '@azure/data-tables';
import { createTables } from '../../src/storage/tables';
import { DilemmaStore } from '../../src/features/dilemmas/store';
import { personKey } from '../../src/storage/keys';

const person = (n: number, name: string): TestUser => ({ aadObjectId: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`, name });
const author = person(1, 'Anna Auteur');
const reader = person(2, 'Bram Lezer');
const prefix = testTablePrefix();

/** A dilemma row exactly as the store wrote it before the list index existed (no revision, no plan id). */
function oldRow(n: number, title: string, description: string, visibility = 'members') {
  const id = `D-2025-${String(n).padStart(3, '0')}`;
  return {
    partitionKey: 'dilemma',
    rowKey: id,
    id,
    title,
    description,
    theme: 'procedures',
    municipalities: JSON.stringify(['laren']),
    relatedPlan: '',
    visibility,
    wantsAgenda: false,
    status: 'nieuw',
    outcome: '',
    author: JSON.stringify({ tenantId: TENANT, aadObjectId: author.aadObjectId, name: author.name, organisationId: 'laren' }),
    recognisedBy: JSON.stringify([personKey(TENANT, 'someone-else')]),
    responseCount: 0,
    createdAt: `2025-0${n}-01T10:00:00.000Z`,
    updatedAt: `2025-0${n}-01T10:00:00.000Z`,
  };
}

let a: TestBot;
let b: TestBot;
const REFRESH_MS = 300;

/** Asks until `check` holds (another instance shows a change after its next poll); fails after a few polls. */
async function eventually(ask: () => Promise<string>, check: (text: string) => boolean): Promise<{ text: string; ms: number }> {
  const start = Date.now();
  let text = '';
  while (Date.now() - start < REFRESH_MS * 10 + 3000) {
    text = await ask();
    if (check(text)) return { text, ms: Date.now() - start };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not shown in time; last answer:\n${text}`);
}

beforeAll(async () => {
  const tables = createTables(testConfig({ TABLE_PREFIX: prefix }).storage);
  await tables.ensure(['Dilemmas']);
  const old = tables.client('Dilemmas');
  await old.createEntity(oldRow(1, 'Oud: bezwaarprocedure duurt lang', 'Elke procedure loopt vast in de bezwaarfase.'));
  await old.createEntity(oldRow(2, 'Oud: welstand remt tempo', 'De welstandscommissie vergadert maar eens per maand.'));
  await old.createEntity(oldRow(3, 'Oud en vertrouwelijk', 'Alleen voor het secretariaat.', 'confidential'));
  // The tables of the list index an older version kept, with a row that names an author.
  await tables.ensure(['DilemmaLists', 'DilemmaLookup']);
  await tables.client('DilemmaLists').createEntity({ partitionKey: 'list|797498', rowKey: 'x', author: author.name });
  // Both instances start at the same moment, so both drop the old tables.
  [a, b] = await Promise.all([
    startTestBot({ TABLE_PREFIX: prefix, BOOTSTRAP_ADMINS: '', DILEMMA_REFRESH_MS: String(REFRESH_MS) }),
    startTestBot({ TABLE_PREFIX: prefix, BOOTSTRAP_ADMINS: '', DILEMMA_REFRESH_MS: String(REFRESH_MS) }),
  ]);
  await a.app.services.members.seed([
    { tenantId: TENANT, aadObjectId: author.aadObjectId, name: author.name, organisationId: 'laren', role: 'wethouder' },
    { tenantId: TENANT, aadObjectId: reader.aadObjectId, name: reader.name, organisationId: 'dudok-wonen', role: 'directeur-bestuurder' },
  ]);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

const list = async (bot: TestBot, who: TestUser, words = '') => readable((await bot.say(who, `dilemma's ${words}`.trim()))[0]);

it('lists and finds dilemmas stored before the index existed, each once, after both instances started', async () => {
  for (const bot of [a, b]) {
    const text = await list(bot, reader);
    expect(text.split('**D-2025-001**').length - 1).toBe(1);
    expect(text.split('**D-2025-002**').length - 1).toBe(1);
    expect(text).not.toContain('Oud en vertrouwelijk');
    expect(text.indexOf('D-2025-002')).toBeLessThan(text.indexOf('D-2025-001'));
    expect(text).toContain('1 lid herkent dit');
  }
  expect(await list(b, reader, 'welstandscommissie')).toContain('Oud: welstand remt tempo');
  expect(await list(a, author, 'secretariaat')).toContain('Oud en vertrouwelijk');
  // The old index tables (with a name in them) are gone.
  const names: string[] = [];
  const service = TableServiceClient.fromConnectionString(testConfig({}).storage.connectionString, { allowInsecureConnection: true });
  for await (const table of service.listTables()) if (table.name?.startsWith(prefix)) names.push(table.name.slice(prefix.length));
  expect(names).toContain('Dilemmas');
  expect(names).not.toContain('DilemmaLists');
  expect(names).not.toContain('DilemmaLookup');
});

it('lists on one instance what was logged and recognised on the other', async () => {
  const [form] = await a.say(author, 'dilemma');
  const save = buttonsOf(form).find((x) => x.data.verb === 'dilemmaSave')!;
  const saved = await a.submit(author, {
    verb: 'dilemmaSave',
    submissionId: save.data.submissionId,
    title: 'Nieuw: parkeernorm blokkeert plan',
    description: 'De parkeernorm maakt kleine woningen duur.',
    theme: 'procedures',
    municipalities: 'laren',
    relatedPlan: '',
    visibility: 'members',
    wantsAgenda: 'false',
  });
  const id = /D-\d{4}-\d{3,}/.exec(readable(saved[0]))![0];
  // On the instance that stored it: at once.
  expect(await list(a, reader)).toContain('Nieuw: parkeernorm blokkeert plan');
  // On the other: after its next poll of the change log, in its place, and found by a word.
  const onB = await eventually(() => list(b, reader), (text) => text.includes('Nieuw: parkeernorm blokkeert plan'));
  expect(onB.text.indexOf(id)).toBeLessThan(onB.text.indexOf('D-2025-002'));
  expect(await list(b, reader, 'parkeer')).toContain(id);

  // Opened on A before the change, the detail there follows B's recognition too.
  expect(readable((await a.say(reader, `dilemma ${id}`))[0])).toContain('Nog niemand herkent dit');
  await b.submit(reader, { verb: 'dilemmaRecognise', id, recognise: true });
  expect(readable((await b.say(reader, `dilemma ${id}`))[0])).toContain('1 lid herkent dit');
  await eventually(async () => readable((await a.say(reader, `dilemma's parkeernorm`))[0]), (text) => text.includes('1 lid herkent dit'));
  await eventually(async () => readable((await a.say(reader, `dilemma ${id}`))[0]), (text) => text.includes('1 lid herkent dit'));
});

it('shows on both instances what a bulk load wrote behind their backs (one full load, not a read per row)', async () => {
  const rows = [4, 5, 6].map((n) => {
    const row = oldRow(n, `Bulk ${n}: grondpositie`, 'Geladen met een script.');
    const { partitionKey: _p, rowKey: _r, ...dilemma } = row;
    return { ...dilemma, municipalities: ['laren'], author: JSON.parse(row.author), recognisedBy: [], relatedPlanId: '', createdAt: `2026-0${n}-01T10:00:00.000Z` };
  });
  await new DilemmaStore(createTables(testConfig({ TABLE_PREFIX: prefix }).storage)).bulkCreate(rows as never);
  for (const bot of [a, b]) {
    const { text } = await eventually(() => list(bot, reader, 'grondpositie'), (t) => t.includes('Bulk 6') && t.includes('Bulk 4'));
    expect(text.indexOf('Bulk 6')).toBeLessThan(text.indexOf('Bulk 4'));
  }
});
