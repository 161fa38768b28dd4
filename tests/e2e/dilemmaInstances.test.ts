// Two bot processes on one store: a store filled before lists had an index gets one at start (both may build
// it at once), and what one instance changes, the other lists at once (nothing kept in memory goes stale).
import { buttonsOf, readable, startTestBot, testConfig, testTablePrefix, TENANT, type TestBot, type TestUser } from '../helpers/harness';
import { createTables } from '../../src/storage/tables';
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

beforeAll(async () => {
  const tables = createTables(testConfig({ TABLE_PREFIX: prefix }).storage);
  await tables.ensure(['Dilemmas']);
  const old = tables.client('Dilemmas');
  await old.createEntity(oldRow(1, 'Oud: bezwaarprocedure duurt lang', 'Elke procedure loopt vast in de bezwaarfase.'));
  await old.createEntity(oldRow(2, 'Oud: welstand remt tempo', 'De welstandscommissie vergadert maar eens per maand.'));
  await old.createEntity(oldRow(3, 'Oud en vertrouwelijk', 'Alleen voor het secretariaat.', 'confidential'));
  // Both instances start at the same moment, so both may build the index.
  [a, b] = await Promise.all([
    startTestBot({ TABLE_PREFIX: prefix, BOOTSTRAP_ADMINS: '' }),
    startTestBot({ TABLE_PREFIX: prefix, BOOTSTRAP_ADMINS: '' }),
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
  const onB = await list(b, reader);
  expect(onB).toContain('Nieuw: parkeernorm blokkeert plan');
  expect(onB.indexOf(id)).toBeLessThan(onB.indexOf('D-2025-002'));
  expect(await list(b, reader, 'parkeer')).toContain(id);

  await b.submit(reader, { verb: 'dilemmaRecognise', id, recognise: true });
  const onA = await a.say(reader, `dilemma's parkeernorm`);
  expect(readable(onA[0])).toContain('1 lid herkent dit');
});
