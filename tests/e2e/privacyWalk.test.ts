// The privacy proof that walks the capability list: a person with data in every capability is erased; then
// every capability's export for that person is empty (their dilemma and response stay, as "oud-lid"), and
// another person with the same kinds of data keeps every bit of it.
import type { Member, PersonId } from '../../src/identity';
import { people, startTestBot, TENANT, type TestBot } from '../helpers/harness';

// Each walk makes many turns (every route, every step); on a busy machine that takes a while.
jest.setTimeout(120_000);

let bot: TestBot;
const subject = { aadObjectId: 'abababab-0000-4000-8000-000000000001', name: 'Sara Subject' };
const other = { aadObjectId: 'abababab-0000-4000-8000-000000000002', name: 'Otto Ander' };
const PLANS = 'naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase\nPrivacyplan;Huizen;60;20;20;10;10;initiatief\n';
const EDITED = 'naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase\nPrivacyplan;Huizen;80;30;20;10;20;haalbaarheid\n';

const id = (u: { aadObjectId: string }): PersonId => ({ tenantId: TENANT, aadObjectId: u.aadObjectId });
const asMember = async (u: { aadObjectId: string }): Promise<Member> => (await bot.app.services.members.resolve({ ...id(u), name: '' }))!;

/**
 * Each capability's export for one person, by capability name (walked from the list the bot runs), and under
 * "core" what the core holds itself: the messages sent them (the outbox) and their chat.
 */
async function exports(person: PersonId): Promise<Record<string, Record<string, unknown>>> {
  const all = await bot.app.services.privacy.exportAll(person);
  const core = { deliveries: all.deliveries, conversations: all.conversations };
  return { ...Object.fromEntries(await Promise.all(bot.app.built.map(async (b) => [b.capability.name, await b.privacy.export(person)] as const))), core };
}
const parts = () => [...bot.app.built.map((b) => b.capability.name), 'core'];

/** True when a part holds nothing about the person: no rows, no record, or a stated default. */
function empty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  // The digest subscription: without a stored choice, every member gets the digest (the stated default).
  if (value === 'subscribed (default)') return true;
  return false;
}

/** Every notice handed to the outbox has been delivered. */
async function settled(): Promise<void> {
  await bot.app.worker.settle();
}

let dilemmaId = '';
let othersDilemma = '';

beforeAll(async () => {
  bot = await startTestBot();
  const { services } = bot.app;
  await services.members.seed(
    [subject, other].map((u) => ({ ...id(u), name: u.name, organisationId: 'huizen', role: 'secretariaat' as const })),
  );
  for (const u of [people.admin, subject, other]) await bot.say(u, 'help');
  const [me, them] = [await asMember(subject), await asMember(other)];
  // Plans: a change each made (the import's history) and a follow.
  await services.plans.importFile(me, Buffer.from(PLANS, 'utf8'));
  await services.plans.importFile(them, Buffer.from(EDITED, 'utf8'));
  const plan = (await services.plans.list(me)).plans.find((p) => p.name === 'Privacyplan')!;
  for (const m of [me, them]) await services.plans.setFollowing(m, plan.id, true);
  // Dilemmas: each logs one, recognises and responds to the other's.
  const log = async (m: Member, title: string, n: string) =>
    ((await services.dilemmas.create(
      m,
      { title, description: 'Omschrijving.', theme: 'capaciteit', municipalities: ['huizen'], relatedPlan: '', visibility: 'members', wantsAgenda: false },
      `privacy-walk-${n}`,
    )) as { dilemma: { id: string } }).dilemma.id;
  dilemmaId = await log(me, 'Dilemma van Sara', 'subject');
  othersDilemma = await log(them, 'Dilemma van Otto', 'other');
  await services.dilemmas.setRecognition({ member: me, shared: false }, othersDilemma, true);
  await services.dilemmas.setRecognition({ member: them, shared: false }, dilemmaId, true);
  await services.dilemmas.respond({ member: me, shared: false }, othersDilemma, { text: 'Herken ik.', wantsToTalk: true, submissionId: 'privacy-walk-r1' });
  await services.dilemmas.respond({ member: them, shared: false }, dilemmaId, { text: 'Ik ook.', wantsToTalk: false, submissionId: 'privacy-walk-r2' });
  // Sessions: both signed up.
  const created = await services.sessions.create(
    me,
    {
      series: 'themasessie', title: 'Privacy-sessie', description: 'Proef.', date: '2027-05-20', startTime: '10:00', endTime: '12:00',
      deadlineDate: '2027-05-13', location: 'Regiokantoor', hostOrganisation: 'Regio', facilitatorName: 'Sara Subject',
      facilitator: '', capacity: '10', audience: ['secretariaat', 'wethouder'],
    },
    'privacy-walk-session',
  );
  if (created.status !== 'saved') throw new Error(`session not created: ${JSON.stringify(created)}`);
  for (const m of [me, them]) await services.sessions.signUp(m, created.session.id);
  // Agenda: both chose no digest; each got a notice (a delivery row) when the other responded.
  for (const m of [me, them]) await services.agenda.setSubscribed(m, false);
  // Decisions: after a BO the secretariaat records an agreement each of them owns.
  const admin = await asMember(people.admin);
  const meeting = await services.agenda.createMeeting(admin, new Date(Date.now() + 24 * 3_600_000), 'Regiokantoor');
  const due = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString().slice(0, 10);
  for (const u of [subject, other]) {
    const made = await services.decisions.record(admin, meeting.id, meeting.items[0]!.id, { kind: 'afspraak', text: `Afspraak voor ${u.name}.`, owner: `m:${u.aadObjectId}`, dueDate: due });
    if (made.status !== 'saved') throw new Error(`agreement not recorded: ${JSON.stringify(made)}`);
  }
  // Expertise: each says what they know about.
  for (const m of [me, them]) await services.expertise.saveProfile(m, { themes: ['capaciteit'], words: 'bouwteams', findable: true });
  await settled();
});
afterAll(async () => {
  await bot.stop();
});

it('gives the person data in every capability before the erasure (else the proof below proves nothing)', async () => {
  const before = await exports(id(subject));
  for (const name of parts()) {
    const filled = Object.entries(before[name]!).filter(([, v]) => !empty(v)).map(([k]) => k);
    expect({ capability: name, filled: filled.length > 0 }).toEqual({ capability: name, filled: true });
  }
  expect(before.core!.deliveries).not.toEqual([]);
});

it('leaves every capability\'s export empty for the erased person, and the other person\'s data as it was', async () => {
  const othersBefore = await exports(id(other));
  const admin = await asMember(people.admin);
  await bot.app.services.privacy.eraseAll(id(subject), admin, 'secretariaat');
  await settled();

  const after = await exports(id(subject));
  for (const name of parts()) {
    for (const [kind, value] of Object.entries(after[name]!)) {
      expect({ capability: name, kind, value }).toEqual({ capability: name, kind, value: empty(value) ? value : 'empty' });
    }
  }
  // Only the erased person's own recognition leaves the other's dilemma.
  const subjectKey = `${TENANT}|${subject.aadObjectId}`;
  const expected = JSON.parse(JSON.stringify(othersBefore), (k, v) => (k === 'recognisedBy' ? (v as string[]).filter((x) => x !== subjectKey) : v));
  expect(JSON.stringify(othersBefore)).toContain(subjectKey);
  expect(await exports(id(other))).toEqual(expected);
});

it('keeps the erased person\'s dilemma and response for the region, without their name', async () => {
  const them = await asMember(other);
  const mine = await bot.app.services.dilemmas.get({ member: them, shared: false }, dilemmaId);
  expect(mine.dilemma.title).toBe('Dilemma van Sara');
  expect(JSON.stringify(mine.dilemma)).not.toContain(subject.aadObjectId);
  const theirs = await bot.app.services.dilemmas.get({ member: them, shared: false }, othersDilemma);
  expect(theirs.responses.map((r) => r.text)).toContain('Herken ik.');
  expect(JSON.stringify(theirs)).not.toContain(subject.aadObjectId);
  expect(theirs.dilemma.recognisedBy).toEqual([]);
});
