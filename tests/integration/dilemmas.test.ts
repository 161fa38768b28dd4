// Dilemma storage on Azurite: numbers under concurrency, one dilemma per submission, nothing half-written.
import { AuditLog } from '../../src/core/audit';
import { DilemmaStore } from '../../src/features/dilemmas/store';
import { DilemmaService, type Notifier } from '../../src/features/dilemmas/service';
import type { Dilemma } from '../../src/features/dilemmas/model';
import type { Member } from '../../src/features/members/model';
import { freshTables } from '../helpers/storage';
import type { Tables } from '../../src/storage/tables';

const member: Member = {
  tenantId: 't1',
  aadObjectId: 'a1',
  name: 'Marieke',
  organisationId: 'hilversum',
  role: 'wethouder',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const input = (n: number) => ({
  title: `Dilemma ${n}`,
  description: 'Beschrijving',
  theme: 'capaciteit',
  municipalities: ['huizen'],
  relatedPlan: '',
  visibility: 'members',
  wantsAgenda: false,
});

let store: DilemmaStore;
let service: DilemmaService;
let tables: Tables;
/** Every dilemma in the table, as a process that starts now loads them (not this store's memory). */
const stored = async () => new DilemmaStore(tables).current(() => true);
const notices: Array<{ id: string; what: string }> = [];
beforeAll(async () => {
  tables = await freshTables();
  store = new DilemmaStore(tables);
  const notifier: Notifier = { authorNotice: async (d: Dilemma, what) => void notices.push({ id: d.id, what }) };
  service = new DilemmaService(store, () => ['huizen', 'laren'], notifier, async () => member, () => new Date('2026-06-01T12:00:00Z'), new AuditLog(tables));
});

it('gives twenty people who submit at the same moment twenty different, consecutive numbers', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => service.create(member, input(i), `submission-${i}-xyz`)));
  const ids = results.map((r) => (r.status === 'saved' ? r.dilemma.id : 'x')).sort();
  expect(new Set(ids).size).toBe(20);
  expect(ids[0]).toBe('D-2026-001');
  expect(ids[19]).toBe('D-2026-020');
});

it('makes one dilemma of the same submission sent five times at once', async () => {
  const before = (await stored()).length;
  const results = await Promise.all(Array.from({ length: 5 }, () => service.create(member, input(99), 'same-submission-1')));
  const saved = results.filter((r) => r.status === 'saved').map((r) => (r.status === 'saved' ? r.dilemma.id : ''));
  expect(new Set(saved).size).toBe(1);
  expect((await stored()).length).toBe(before + 1);
});

it('writes nothing for invalid input', async () => {
  const before = (await stored()).length;
  const result = await service.create(member, { ...input(1), theme: 'onbekend', municipalities: ['atlantis'] }, 'submission-invalid');
  expect(result.status).toBe('invalid');
  expect((await stored()).length).toBe(before);
  expect(await store.claimSubmission('dilemma', 'submission-invalid', 'someone', new Date())).toEqual({ status: 'claimed' });
});

it('takes over a submission whose first attempt died half-way', async () => {
  const now = new Date('2026-06-01T12:00:00Z');
  expect(await store.claimSubmission('dilemma', 'died-half-way', 'me', now)).toEqual({ status: 'claimed' });
  expect(await store.claimSubmission('dilemma', 'died-half-way', 'me', new Date(now.getTime() + 1000))).toEqual({ status: 'busy' });
  expect(await store.claimSubmission('dilemma', 'died-half-way', 'me', new Date(now.getTime() + 60_000))).toEqual({ status: 'claimed' });
});

it('keeps form ids per person: the same id from someone else is their own fresh claim', async () => {
  const now = new Date('2026-06-01T12:00:00Z');
  expect(await store.claimSubmission('dilemma', 'owned-id-1', 'owner-a', now)).toEqual({ status: 'claimed' });
  await store.completeSubmission('dilemma', 'owned-id-1', 'owner-a', 'D-2026-999', now);
  expect(await store.claimSubmission('dilemma', 'owned-id-1', 'owner-a', now)).toEqual({ status: 'done', result: 'D-2026-999' });
  expect(await store.claimSubmission('dilemma', 'owned-id-1', 'owner-b', now)).toEqual({ status: 'claimed' });
});

it('finishes, rather than repeats, a submission whose first attempt stored the dilemma and then died', async () => {
  const earlier = new Date('2026-06-01T11:58:00Z');
  const owner = 't1|a1';
  await store.claimSubmission('dilemma', 'crashed-after-store', owner, earlier);
  await store.reserveSubmission('dilemma', 'crashed-after-store', owner, 'D-2026-500', earlier);
  const first = await service.create(member, input(500), 'first-for-shape');
  if (first.status !== 'saved') throw new Error('not saved');
  await store.create({ ...first.dilemma, id: 'D-2026-500', title: 'Opgeslagen voor de crash' });
  const before = (await stored()).length;
  const again = await service.create(member, input(500), 'crashed-after-store');
  expect(again).toMatchObject({ status: 'saved', created: false, dilemma: { id: 'D-2026-500', title: 'Opgeslagen voor de crash' } });
  expect((await stored()).length).toBe(before);
});

it('keeps responses in the order they came in and counts them on the dilemma', async () => {
  const created = await service.create(member, input(50), 'submission-responses');
  if (created.status !== 'saved') throw new Error('not saved');
  const other = { ...member, aadObjectId: 'a2', name: 'Ruud' };
  for (const text of ['eerste', 'tweede', 'derde']) {
    await service.respond({ member: other, shared: false }, created.dilemma.id, { text, wantsToTalk: false, submissionId: `resp-${text}` });
  }
  // The same response form sent again stores nothing new.
  await service.respond({ member: other, shared: false }, created.dilemma.id, { text: 'derde', wantsToTalk: false, submissionId: 'resp-derde' });
  const { dilemma, responses } = await service.get({ member, shared: false }, created.dilemma.id);
  expect(responses.map((r) => r.text)).toEqual(['eerste', 'tweede', 'derde']);
  expect(dilemma.responseCount).toBe(3);
  expect(notices.filter((n) => n.id === created.dilemma.id)).toHaveLength(3);
});
