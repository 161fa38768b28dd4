// Decisions and agreements end to end over real HTTP against Azurite and a fake Bot Connector: the secretariaat
// records after a BO, the dilemma on the item becomes "besproken", owners hear once and are reminded once, the
// next agenda carries the actielijst, `acties` with "Gedaan", reassigning (audited), the besluitenlijst download,
// the digest part, and privacy.
import JSZip from 'jszip';
import { startTestBot, personalChat, cardOf, readable as shown, buttonsOf, TENANT, type TestBot, type TestUser } from '../helpers/harness';
import type { Recorded } from '../helpers/connector';
import type { Role } from '../../src/features/members/model';
import type { Member } from '../../src/identity';
import { cardProblems } from '../helpers/cards';

let bot: TestBot;

const user = (n: number, name: string, locale?: string): TestUser => ({
  aadObjectId: `eeeeeeee-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name,
  ...(locale ? { locale } : {}),
});
const wethouder = user(1, 'Wim Wethouder');
const director = user(2, 'Dana Director', 'en-GB');
const secretary = user(3, 'Saskia Secretaris');
const facilitator = user(4, 'Gijs Gespreksleider');

async function seed(u: TestUser, role: Role, organisationId: string) {
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId, role }]);
}
const memberOf = async (u: TestUser): Promise<Member> => (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: u.aadObjectId, name: '' }))!;
// Text as a person reads it: the card escapes typed text for markdown (literal()).
const readable = (r: Recorded | undefined) => shown(r).replace(/\\(.)/g, '$1');
const sentTo = (u: TestUser, from: number) => bot.connector.records.slice(from).filter((r) => r.conversationId === personalChat(u).id && r.method === 'POST');
const day = (days: number) => new Date(Date.now() + days * 24 * 3_600_000).toISOString().slice(0, 10);

function openUrl(r: Recorded | undefined): string {
  const actions = (cardOf(r)?.actions ?? []) as Array<{ type: string; url?: string }>;
  return actions.find((a) => a.type === 'Action.OpenUrl')!.url!;
}

async function settle() {
  await bot.app.worker.settle();
}

let meetingId = '';
let nextMeetingId = '';
let dilemmaItem = '';
let dilemmaId = '';

beforeAll(async () => {
  bot = await startTestBot({ BOOTSTRAP_ADMINS: '', SCHEDULER: 'off', DECISIONS_REMINDER_DAYS: '3' });
  await seed(wethouder, 'wethouder', 'hilversum');
  await seed(director, 'directeur-bestuurder', 'dudok-wonen');
  await seed(secretary, 'secretariaat', 'regio-gooi-en-vechtstreek');
  await seed(facilitator, 'gespreksleider', 'regio-gooi-en-vechtstreek');
  for (const u of [wethouder, director, secretary, facilitator]) await bot.say(u, 'help');
  const s = bot.app.services;
  const admin = await memberOf(secretary);
  // A BO tomorrow (the one decisions are recorded for) and the next one a month later.
  const meeting = await s.agenda.createMeeting(admin, new Date(Date.now() + 24 * 3_600_000), 'Regiokantoor');
  meetingId = meeting.id;
  nextMeetingId = (await s.agenda.createMeeting(admin, new Date(Date.now() + 30 * 24 * 3_600_000), 'Gemeentehuis Huizen')).id;
  const { dilemma } = (await s.dilemmas.create(
    await memberOf(director),
    { title: 'Grondprijs te hoog voor sociale huur', description: 'De residuele grondwaarde past niet.', theme: 'financiering', municipalities: ['hilversum'], relatedPlan: '', visibility: 'members', wantsAgenda: true },
    'sub-decisions-1',
  )) as { dilemma: { id: string } };
  dilemmaId = dilemma.id;
  const placed = await s.agenda.place(admin, meetingId, 'dilemmas', dilemmaId, 'besluitvorming');
  dilemmaItem = placed.items.find((i) => i.source?.ref === dilemmaId)!.id;
}, 60_000);

afterAll(async () => {
  await bot.stop();
});

/** Records through the form; returns what the secretariaat sees (notices to others may go out first). */
const record = async (fields: Record<string, unknown>) =>
  (
    await bot.submit(secretary, { verb: 'decisionRecord', meetingId, decisionItem: dilemmaItem, decisionKind: 'afspraak', decisionText: '', decisionOwner: '', decisionDue: '', ...fields }, { replyToId: 'x' })
  ).filter((r) => r.conversationId === personalChat(secretary).id);

it('shows the secretariaat the meeting to record for, with every agenda item to choose', async () => {
  const [card] = await bot.say(secretary, `besluiten ${meetingId}`);
  expect(readable(card)).toContain('Besluiten en afspraken');
  expect(readable(card)).toContain('Grondprijs te hoog voor sociale huur');
  expect(cardProblems(cardOf(card))).toEqual([]);
  const [refused] = await bot.say(wethouder, 'besluiten');
  expect(readable(refused)).toContain('Dit mag alleen het secretariaat');
});

it('asks for an owner and a date before an agreement is recorded, and records nothing meanwhile', async () => {
  const [card] = await record({ decisionText: 'Onderzoek een lagere grondprijs.' });
  expect(readable(card)).toContain('Kies wie de afspraak uitvoert');
  expect(readable(card)).toContain('Kies een datum');
  expect(cardProblems(cardOf(card))).toEqual([]);
  expect(await bot.app.services.decisions.all()).toHaveLength(0);
});

it('records an agreement: the dilemma is besproken with it as outcome, its author and the owner each hear once', async () => {
  const from = bot.connector.records.length;
  const [card] = await record({ decisionText: 'Onderzoek een lagere grondprijs.', decisionOwner: `m:${wethouder.aadObjectId}`, decisionDue: day(2) });
  expect(readable(card)).toContain('Vastgelegd');
  expect(readable(card)).toContain('Onderzoek een lagere grondprijs.');
  const { dilemma } = await bot.app.services.dilemmas.get({ member: await memberOf(secretary), shared: false }, dilemmaId);
  expect(dilemma.status).toBe('besproken');
  expect(dilemma.outcome).toBe('Onderzoek een lagere grondprijs.');
  const toOwner = sentTo(wethouder, from);
  expect(toOwner).toHaveLength(1);
  expect(readable(toOwner[0])).toContain('Nieuwe afspraak voor Wim Wethouder (Gemeente Hilversum)');
  expect(sentTo(director, from)).toHaveLength(1); // the author: the dilemma's status notice
});

it('tells every BO member of an owning organisation, in their language', async () => {
  const from = bot.connector.records.length;
  await record({ decisionText: 'Lever de cijfers over de wachtlijst aan.', decisionOwner: 'o:dudok-wonen', decisionDue: day(20) });
  await record({ decisionKind: 'besluit', decisionText: 'De BO stemt in met de regionale aanpak.' });
  const toDirector = sentTo(director, from);
  expect(toDirector).toHaveLength(1);
  expect(readable(toDirector[0])).toContain('New agreement for Dudok Wonen');
  expect(sentTo(wethouder, from)).toHaveLength(0);
});

it('puts "Actielijst" on the next BO agenda by itself, with what is open', async () => {
  const next = await bot.app.services.agenda.meeting(nextMeetingId);
  const items = next.items.filter((i) => i.source?.capability === 'decisions');
  expect(items).toHaveLength(1);
  expect(items[0]!.title).toBe('Actielijst');
  expect(items[0]!.summary).toContain('Nog open: 2');
  expect((await bot.app.services.agenda.meeting(meetingId)).items.some((i) => i.source?.capability === 'decisions')).toBe(false);
  const [agendaCard] = await bot.say(wethouder, 'agenda');
  expect(readable(agendaCard)).toContain(meetingId.slice(3, 7)); // the agenda still answers
});

it('reminds each owner once before the due date, however often the check runs', async () => {
  const s = bot.app.services;
  const from = bot.connector.records.length;
  const schedule = { slot: 'decisions.reminders', job: 'decisions.reminders', next: async () => undefined };
  const moment = new Date();
  expect(await s.scheduler.fire(schedule, moment)).toBe(true);
  // Another instance at the same moment, and a restart that runs the job again: nothing more is sent.
  expect(await s.scheduler.fire(schedule, moment)).toBe(false);
  await settle();
  await s.outbox.runJob('decisions.reminders', { slot: moment.toISOString() });
  await settle();
  const reminders = sentTo(wethouder, from);
  expect(reminders).toHaveLength(1);
  expect(readable(reminders[0])).toContain('Herinnering');
  // Due in 20 days: not yet.
  expect(sentTo(director, from)).toHaveLength(0);
});

it('shows a member their open agreements under acties, and "Gedaan" closes one with a note (audited)', async () => {
  const [card] = await bot.say(wethouder, 'acties');
  expect(readable(card)).toContain('Onderzoek een lagere grondprijs.');
  expect(readable(card)).not.toContain('wachtlijst');
  expect(cardProblems(cardOf(card))).toEqual([]);
  const done = buttonsOf(card).find((b) => b.data.verb === 'agreementDone')!;
  const id = String(done.data.id);
  const [after] = await bot.submit(wethouder, { ...done.data, [`note-${id}`]: 'Notitie gestuurd aan de raad.' }, { replyToId: 'x' });
  expect(readable(after)).toContain('De afspraak staat op gedaan');
  expect(readable(after)).toContain('geen open afspraken');
  const [entry] = (await bot.app.services.audit.page(5)).entries.filter((e) => e.action === 'agreement.done');
  expect(entry?.target).toBe(id);
  const next = await bot.app.services.agenda.meeting(nextMeetingId);
  expect(next.items.find((i) => i.source?.capability === 'decisions')!.summary).toContain('Gedaan sinds de vorige BO: 1. Nog open: 1');
});

it('refuses acties to a gespreksleider and changes by anyone but the secretariaat', async () => {
  const [refused] = await bot.say(facilitator, 'acties');
  // She is a member too: the answer says whom acties is for, by role, and where her own work is.
  expect(readable(refused)).toContain('Afspraken zijn er voor wethouders, directeur-bestuurders en het secretariaat.');
  expect(readable(refused)).toContain('de sessies die je leidt');
  const open = (await bot.app.services.decisions.all()).find((d) => d.ownerOrganisationId === 'dudok-wonen')!;
  const [denied] = await bot.submit(director, { verb: 'agreementChange', id: open.id, agreementOwner: `m:${director.aadObjectId}`, agreementDue: day(40) });
  expect(readable(denied)).toContain('Only the secretariaat');
  // Someone outside the owning organisation cannot mark it done either.
  const [notTheirs] = await bot.submit(wethouder, { verb: 'agreementDone', id: open.id, [`note-${open.id}`]: 'Klaar.' });
  expect(readable(notTheirs)).toContain('bestaat niet');
  const still = (await bot.app.services.decisions.all()).find((d) => d.id === open.id)!;
  expect(still.status).toBe('open');
  expect(still.dueDate).toBe(open.dueDate);
  expect(still.ownerAadObjectId).toBe('');
});

it('lets the secretariaat see all agreements by organisation, reassign one and move its date, audited, and the new owner hears', async () => {
  const [all] = await bot.say(secretary, 'acties');
  expect(readable(all)).toContain('Alle afspraken');
  expect(readable(all)).toContain('Lever de cijfers over de wachtlijst aan.');
  const [byOrg] = await bot.submit(secretary, { verb: 'agreementList', by: 'organisation' }, { replyToId: 'x' });
  expect(readable(byOrg)).toContain('Dudok Wonen');
  const edit = buttonsOf(byOrg).find((b) => b.data.verb === 'agreementEdit')!;
  const [form] = await bot.submit(secretary, edit.data, { replyToId: 'x' });
  expect(cardProblems(cardOf(form))).toEqual([]);
  const from = bot.connector.records.length;
  const [changed] = await bot.submit(secretary, { verb: 'agreementChange', id: edit.data.id, agreementOwner: `m:${director.aadObjectId}`, agreementDue: day(40) }, { replyToId: 'x' });
  expect(readable(changed)).toContain('De afspraak is gewijzigd');
  const notices = sentTo(director, from);
  expect(notices).toHaveLength(1);
  expect(readable(notices[0])).toContain('New agreement for Dana Director (Dudok Wonen)');
  const actions = (await bot.app.services.audit.page(10)).entries.filter((e) => e.target === edit.data.id).map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['agreement.reassigned', 'agreement.dateMoved', 'decision.recorded']));
});

it('shows each person their own open agreements in the digest, and none in a channel copy', async () => {
  const viewer = { member: await memberOf(director), locale: 'en' as const, shared: false };
  const sections = await bot.app.services.agenda.digestSections(viewer, new Date(Date.now() - 86_400_000));
  const mine = sections.find((s) => s.title === 'Your open agreements');
  expect(mine?.items.map((i) => i.text).join(' ')).toContain('Lever de cijfers over de wachtlijst aan');
  const shared = await bot.app.services.agenda.digestSections({ ...viewer, shared: true }, new Date(Date.now() - 86_400_000));
  expect(shared.some((s) => s.title === 'Your open agreements')).toBe(false);
  const wim = await bot.app.services.agenda.digestSections({ member: await memberOf(wethouder), locale: 'nl', shared: false }, new Date(Date.now() - 86_400_000));
  expect(wim.some((s) => s.title === 'Jouw open afspraken')).toBe(false);
});

async function download(anonymous: boolean): Promise<{ status: number; type: string | null; text: string }> {
  const [card] = await bot.submit(secretary, { verb: 'decisionDocument', meetingId, anonymous }, { replyToId: 'x' });
  const res = await fetch(openUrl(card));
  const buffer = Buffer.from(await res.arrayBuffer());
  const zip = await JSZip.loadAsync(buffer);
  const xml = await zip.file('word/document.xml')!.async('string');
  return { status: res.status, type: res.headers.get('content-type'), text: xml.replace(/<[^>]+>/g, '') };
}

it('downloads the besluitenlijst as a Word document at a signed link, with and without personal names', async () => {
  const named = await download(false);
  expect(named.status).toBe(200);
  expect(named.type).toContain('wordprocessingml');
  expect(named.text).toContain('De BO stemt in met de regionale aanpak.');
  expect(named.text).toContain('Dana Director (Dudok Wonen)');
  const anonymous = await download(true);
  expect(anonymous.text).toContain('Lever de cijfers over de wachtlijst aan.');
  expect(anonymous.text).not.toContain('Dana Director');
  expect(anonymous.text).not.toContain('Wim Wethouder');
  expect(anonymous.text).toContain('Eigenaar: Dudok Wonen.');
  const forged = await fetch(`${bot.app.services.links.baseUrl}/decisions/besluitenlijst?t=abc.def`);
  expect(forged.status).toBe(404);
  const [denied] = await bot.submit(wethouder, { verb: 'decisionDocument', meetingId, anonymous: false });
  expect(readable(denied)).toContain('Dit mag alleen het secretariaat');
  expect(openUrl.length).toBeGreaterThan(0);
});

it('exports an owner\'s agreements, and on erasure leaves them with their organisation without their name', async () => {
  const person = { tenantId: TENANT, aadObjectId: director.aadObjectId };
  const exported = (await bot.app.services.privacy.exportAll(person)) as Record<string, unknown>;
  expect(JSON.stringify(exported)).toContain('Lever de cijfers over de wachtlijst aan.');
  await bot.app.services.privacy.eraseAll(person, { tenantId: TENANT, aadObjectId: secretary.aadObjectId, name: secretary.name }, 'secretariaat');
  const agreement = (await bot.app.services.decisions.all()).find((d) => d.text.startsWith('Lever de cijfers'))!;
  expect(agreement.ownerName).toBe('');
  expect(agreement.ownerAadObjectId).toBe('');
  expect(agreement.ownerOrganisationId).toBe('dudok-wonen');
  expect(agreement.status).toBe('open');
});
