// Expertise on Azurite: profiles stored and read back, and the index following dilemmas that another process
// writes (responses, withdrawal, erasure), with real tables under both.
import { AuditLog } from '../../src/core/audit';
import { tablesOf } from '../../src/capability';
import { CAPABILITIES } from '../../src/capabilities';
import { CORE_TABLES } from '../../src/app';
import { azuriteConnectionString } from '../../src/config';
import type { Dilemma } from '../../src/features/dilemmas/model';
import { DilemmaStore } from '../../src/features/dilemmas/store';
import { DilemmaService, type Notifier } from '../../src/features/dilemmas/service';
import { ExpertiseStore } from '../../src/features/expertise/store';
import { ExpertiseService } from '../../src/features/expertise/service';
import { loadConcepts } from '../../src/features/expertise';
import type { Member } from '../../src/features/members/model';
import type { PersonId } from '../../src/identity';
import { createTables, type Tables } from '../../src/storage/tables';
import { testConfig, testTablePrefix } from '../helpers/harness';
import { StorageProxy } from '../helpers/proxy';
import { freshTables } from '../helpers/storage';

const at = '2026-01-01T00:00:00Z';
const member = (n: number, role: Member['role'] = 'wethouder'): Member => ({
  tenantId: 't1', aadObjectId: `a${n}`, name: `Lid ${n}`, organisationId: 'huizen', role, createdAt: at, updatedAt: at,
});
const writer = member(1);
const responder = member(2, 'directeur-bestuurder');
const asker = member(3);
const everyone = [writer, responder, asker];
const notifier: Notifier = { authorNotice: async () => undefined };

let tables: Tables;
let expertise: ExpertiseService;
/** The other process: its own store and memory on the same tables. */
let other: DilemmaService;

function dilemmaService(): DilemmaService {
  return new DilemmaService(new DilemmaStore(tables, { refreshMs: 0 }), () => ['huizen'], notifier, async () => writer, undefined, new AuditLog(tables));
}

beforeAll(async () => {
  tables = await freshTables();
  other = dilemmaService();
  const directory = {
    findMany: async (people: readonly PersonId[]) => people.map((p) => everyone.find((m) => m.aadObjectId === p.aadObjectId)),
    organisationName: (id: string) => id,
  };
  expertise = new ExpertiseService(new ExpertiseStore(tables), dilemmaService(), directory, loadConcepts(''), 0);
});

const input = {
  title: 'Geen aansluiting op het stroomnet voor de nieuwe wijk',
  description: 'De netbeheerder zet ons op een wachtlijst tot 2029.',
  theme: 'netcongestie',
  municipalities: ['huizen'],
  relatedPlan: '',
  visibility: 'members',
  wantsAgenda: false,
};

it('keeps a profile with its themes, words, choice and sign-in name, and forgets it on erasure', async () => {
  const saved = await expertise.saveProfile(asker, { themes: ['stikstof'], words: 'erfpacht', findable: false });
  expect(saved.ok).toBe(true);
  await expertise.learnUpn(asker, 'lid3@huizen.example');
  const store = new ExpertiseStore(tables);
  expect(await store.get(asker)).toMatchObject({ themes: ['stikstof'], words: 'erfpacht', findable: false, upn: 'lid3@huizen.example' });
  expect((await store.all()).map((p) => p.person.aadObjectId)).toEqual(['a3']);
  await expertise.erase(asker);
  expect(await store.get(asker)).toBeUndefined();
  expect(await expertise.personalData(asker)).toEqual({});
});

it('follows what another process writes: a dilemma, a response, and then its withdrawal', async () => {
  const created = await other.create(writer, input, 'sub-expertise-1');
  if (created.status !== 'saved') throw new Error('not saved');
  const id = created.dilemma.id;
  await other.respond({ member: responder, shared: false }, id, { text: 'Wij kennen dit.', wantsToTalk: true, submissionId: 'resp-expertise-1' });

  const answer = await expertise.whoKnows({ member: asker, shared: false }, 'netcongestie');
  expect(answer.topic).toBe('netcongestie');
  expect(answer.people.map((p) => p.aadObjectId)).toEqual(['a2', 'a1']);
  expect(answer.people[0]!.reasons).toMatchObject({ responded: 1, talk: 1 });

  await other.withdraw({ member: writer, shared: false }, id);
  expect((await expertise.whoKnows({ member: asker, shared: false }, 'netcongestie')).people).toEqual([]);
});

it('no longer credits an erased responder, once the other process has erased them', async () => {
  const created = await other.create(writer, { ...input, title: 'Stroomnet vol bij tweede wijk' }, 'sub-expertise-2');
  if (created.status !== 'saved') throw new Error('not saved');
  await other.respond({ member: responder, shared: false }, created.dilemma.id, { text: 'Ook hier.', wantsToTalk: false, submissionId: 'resp-expertise-2' });
  expect((await expertise.whoKnows({ member: asker, shared: false }, 'stroomnet')).people.map((p) => p.aadObjectId)).toContain('a2');
  await other.erase(responder);
  expect((await expertise.whoKnows({ member: asker, shared: false }, 'stroomnet')).people.map((p) => p.aadObjectId)).not.toContain('a2');
});

it('reads all responses in one go after the dilemmas were all loaded again, not once per dilemma', async () => {
  // The bot's tables behind a loopback proxy that counts its requests; the other process writes directly.
  const proxy = await new StorageProxy(Number(process.env.TEST_AZURITE_PORT)).start();
  try {
    const prefix = testTablePrefix();
    const direct = createTables(testConfig({ TABLE_PREFIX: prefix }).storage);
    await direct.ensure(tablesOf(CAPABILITIES, CORE_TABLES));
    const counted = createTables(
      testConfig({ TABLE_PREFIX: prefix, STORAGE_CONNECTION_STRING: azuriteConnectionString(proxy.port, '127.0.0.1', Number(process.env.TEST_AZURITE_QUEUE_PORT)) }).storage,
    );
    const dilemma = (n: number, responseCount: number): Dilemma => ({
      id: `D-2026-${String(n).padStart(3, '0')}`,
      title: `Netcongestie bij wijk ${n}`,
      description: 'De netbeheerder sluit de nieuwe woningen pas over jaren aan.',
      theme: 'netcongestie',
      municipalities: ['huizen'],
      relatedPlan: '',
      relatedPlanId: '',
      visibility: 'members',
      wantsAgenda: false,
      status: 'nieuw',
      outcome: '',
      author: { tenantId: writer.tenantId, aadObjectId: writer.aadObjectId, name: writer.name, organisationId: writer.organisationId },
      recognisedBy: [],
      responseCount,
      createdAt: at,
      updatedAt: at,
    });
    const writing = new DilemmaStore(direct);
    const many = Array.from({ length: 60 }, (_, i) => dilemma(i + 1, 1));
    await writing.bulkCreate(many);
    for (const d of many) {
      const author = { tenantId: responder.tenantId, aadObjectId: responder.aadObjectId, name: responder.name, organisationId: responder.organisationId };
      await writing.addResponse({ dilemmaId: d.id, author, text: 'Wij kennen dit.', wantsToTalk: false, createdAt: at }, 1);
    }
    const directory = { findMany: async (people: readonly PersonId[]) => people.map((p) => everyone.find((m) => m.aadObjectId === p.aadObjectId)), organisationName: (id: string) => id };
    const dilemmas = new DilemmaService(new DilemmaStore(counted, { refreshMs: 0 }), () => ['huizen'], notifier, async () => writer, undefined, new AuditLog(counted));
    const service = new ExpertiseService(new ExpertiseStore(counted), dilemmas, directory, loadConcepts(''), 0);
    const viewer = { member: asker, shared: false };
    expect((await service.whoKnows(viewer, 'netcongestie')).people.map((p) => p.aadObjectId)).toEqual(['a2', 'a1']);

    // A bulk write elsewhere: this process loads every dilemma again (as it also does every quarter hour).
    await writing.bulkCreate([dilemma(61, 0)]);
    const before = proxy.requests;
    const answer = await service.whoKnows(viewer, 'netcongestie');
    expect(answer.people.map((p) => p.aadObjectId)).toEqual(['a2', 'a1']);
    expect(answer.people[0]!.reasons.responded).toBeGreaterThan(1);
    // The change log, the dilemmas and all responses: a few pages, not sixty response reads.
    expect(proxy.requests - before).toBeLessThan(15);
  } finally {
    await proxy.cut();
  }
});
