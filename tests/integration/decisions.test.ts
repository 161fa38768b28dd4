// Decisions and agreements on Azurite with two bot instances on one store (as two processes would): the
// actielijst goes on the next agenda once, a reminder is queued once, "Gedaan" and a reassignment at the same
// moment both last, and bad input writes nothing.
import { startApp, type RunningApp } from '../../src/app';
import { createLogger } from '../../src/log';
import type { Member } from '../../src/identity';
import { testConfig, testTablePrefix } from '../helpers/harness';

const TENANT = '22222222-2222-4222-8222-222222222222';
const prefix = testTablePrefix();
let a: RunningApp;
let b: RunningApp;
let secretary: Member;
let owner: Member;
let meetingId = '';
let nextMeetingId = '';
let itemId = '';

const day = (days: number) => new Date(Date.now() + days * 24 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const config = () => testConfig({ TABLE_PREFIX: prefix, ALLOWED_TENANT_IDS: TENANT, BOOTSTRAP_ADMINS: '', OUTBOX_WORKER: 'off' });
  a = await startApp(config(), { log: createLogger('silent') });
  b = await startApp(config(), { log: createLogger('silent') });
  const seed = async (n: number, role: Member['role'], organisationId: string) => {
    const aadObjectId = `ffffffff-0000-4000-8000-${String(n).padStart(12, '0')}`;
    await a.services.members.seed([{ tenantId: TENANT, aadObjectId, name: `Lid ${n}`, organisationId, role }]);
    return (await a.services.members.resolve({ tenantId: TENANT, aadObjectId, name: '' }))!;
  };
  secretary = await seed(1, 'secretariaat', 'regio-gooi-en-vechtstreek');
  owner = await seed(2, 'wethouder', 'laren');
  const meeting = await a.services.agenda.createMeeting(secretary, new Date(Date.now() + 24 * 3_600_000), 'Regiokantoor');
  meetingId = meeting.id;
  itemId = meeting.items[0]!.id;
  nextMeetingId = (await a.services.agenda.createMeeting(secretary, new Date(Date.now() + 40 * 24 * 3_600_000), 'Laren')).id;
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

it('writes nothing for bad input and names each field that is wrong', async () => {
  const result = await a.services.decisions.record(secretary, meetingId, itemId, { kind: 'afspraak', text: ' ', owner: 'x', dueDate: '1 maart' });
  expect(result).toEqual({ status: 'invalid', problems: { text: 'textRequired', owner: 'ownerRequired', dueDate: 'dueDateRequired' } });
  expect(await a.services.decisions.all()).toEqual([]);
});

it('puts the actielijst on the next agenda once when two instances add it at the same moment', async () => {
  const saved = await a.services.decisions.record(secretary, meetingId, itemId, { kind: 'afspraak', text: 'Rapporteer de voortgang.', owner: `m:${owner.aadObjectId}`, dueDate: day(2) });
  expect(saved.status).toBe('saved');
  const onAgenda = () => a.services.agenda.meeting(nextMeetingId).then((m) => m.items.filter((i) => i.source?.capability === 'decisions'));
  const [added] = await onAgenda();
  await a.services.agenda.removeItem(secretary, nextMeetingId, added!.id);
  const results = await Promise.all([a.services.decisions.ensureActielijst(), b.services.decisions.ensureActielijst(), b.services.decisions.ensureActielijst()]);
  expect(results.filter((r) => r === 'added')).toHaveLength(1);
  expect(await onAgenda()).toHaveLength(1);
});

it('queues one reminder per agreement and date, however many instances check', async () => {
  const [agreement] = await a.services.decisions.all();
  await Promise.all([a.services.decisions.remindDue(), b.services.decisions.remindDue(), a.services.decisions.remindDue()]);
  await b.services.decisions.remindDue();
  const rows = await a.services.outbox.list(`agreement-${agreement!.id}-reminder-${agreement!.dueDate}`);
  expect(rows.map((r) => r.recipient)).toEqual([{ tenantId: owner.tenantId, aadObjectId: owner.aadObjectId }]);
});

it('keeps both "Gedaan" and a moved date made at the same moment on two instances', async () => {
  const [agreement] = await a.services.decisions.all();
  await Promise.all([
    a.services.decisions.done(owner, agreement!.id, 'Verstuurd.'),
    b.services.decisions.change(secretary, agreement!.id, `o:laren`, day(9)),
  ]);
  const [after] = await b.services.decisions.all();
  expect(after).toMatchObject({ status: 'gedaan', doneNote: 'Verstuurd.', dueDate: day(9), ownerOrganisationId: 'laren', ownerAadObjectId: '' });
});
