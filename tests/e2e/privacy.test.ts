// Privacy and the audit trail over real HTTP: a member sees and downloads what the bot holds about them,
// erases it (their dilemma stays, as "oud-lid"), the secretariaat erases a member who left, the audit trail
// records each change and erasure, and inactive members are erased by the retention job.
import { buttonsOf, cardOf, people, channel, readable, startTestBot, TENANT, type TestBot, type TestUser } from '../helpers/harness';

let bot: TestBot;
const author: TestUser = { aadObjectId: 'ffffffff-0000-4000-8000-000000000001', name: 'Marieke Melder' };
const reader: TestUser = { aadObjectId: 'ffffffff-0000-4000-8000-000000000002', name: 'Ruud Lezer' };
const leaver: TestUser = { aadObjectId: 'ffffffff-0000-4000-8000-000000000003', name: 'Vincent Vertrokken' };

beforeAll(async () => {
  bot = await startTestBot();
  await bot.app.services.members.seed(
    [author, reader, leaver].map((u) => ({ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId: 'huizen', role: 'wethouder' as const })),
  );
  for (const u of [people.admin, author, reader, leaver]) await bot.say(u, 'help');
});
afterAll(async () => {
  await bot.stop();
});

async function logDilemma(user: TestUser, title: string): Promise<string> {
  const [form] = await bot.say(user, 'dilemma');
  const submissionId = String(buttonsOf(form).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
  const saved = await bot.submit(user, {
    verb: 'dilemmaSave', submissionId, title, description: 'Een beschrijving.', theme: 'capaciteit',
    municipalities: 'huizen', relatedPlan: '', visibility: 'members', wantsAgenda: 'false',
  });
  return /D-\d{4}-\d{3}/.exec(readable(saved[0]))![0];
}

function linkOf(record: Parameters<typeof cardOf>[0]): string {
  const actions = (cardOf(record)?.actions ?? []) as Array<{ type: string; url?: string }>;
  return actions.find((a) => a.type === 'Action.OpenUrl')!.url!;
}

it('shows a member what it holds and lets them download it at a signed link that cannot be altered', async () => {
  const id = await logDilemma(author, 'Te weinig planologen');
  const [overview] = await bot.say(author, 'mijn gegevens');
  // The page says what is true of the link: anyone holding it can fetch the data until it expires.
  expect(readable(overview)).toContain('Wie de link heeft, kan je gegevens zo lang ophalen');
  expect(readable(overview)).toContain('Mijn gegevens');
  expect(readable(overview)).toContain("Dilemma's die je meldde");
  expect(readable(overview)).toContain('Je profiel: naam, organisatie en functie');
  const url = linkOf(overview);
  expect(url.startsWith('http://127.0.0.1:')).toBe(true);
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const data = (await res.json()) as { members: { member: { name: string } }; dilemmas: { dilemmas: Array<{ id: string }> }; conversations: unknown[] };
  expect(data.members.member.name).toBe('Marieke Melder');
  expect(data.dilemmas.dilemmas.map((d) => d.id)).toEqual([id]);
  expect(data.conversations).toHaveLength(1);
  // Someone else's data cannot be had by changing the token.
  const [payload, signature] = new URL(url).searchParams.get('t')!.split('.');
  const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  forged.d.aadObjectId = reader.aadObjectId;
  const forgedUrl = url.replace(/t=.*/, `t=${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`);
  expect((await fetch(forgedUrl)).status).toBe(404);
});

it('never shows personal data in a shared chat', async () => {
  const [reply] = await bot.say(author, '<at>BO Wonen</at> mijn gegevens', channel);
  expect(readable(reply)).toContain('persoonlijke chat');
  expect(cardOf(reply)).toBeUndefined();
});

it('erases nothing when the member answers "Nee" to the confirmation', async () => {
  const [confirm] = await bot.say(reader, 'verwijder mijn gegevens');
  const no = buttonsOf(confirm).find((b) => b.title === 'Nee, niets verwijderen')!;
  const done = await bot.submit(reader, no.data, { replyToId: 'confirm-card' });
  expect(readable(done[0])).toContain('Er is niets verwijderd');
  expect(readable((await bot.say(reader, 'help'))[0])).not.toContain('Toegang aanvragen');
});

it('erases a member after confirmation; their dilemma stays for the region as "oud-lid"', async () => {
  const id = await logDilemma(author, 'Netcongestie bij de nieuwbouw');
  const [confirm] = await bot.say(author, 'verwijder mijn gegevens');
  expect(readable(confirm)).toContain('oud-lid');
  const yes = buttonsOf(confirm).find((b) => b.data.verb === 'privacyErase')!;
  const done = await bot.submit(author, yes.data, { replyToId: 'confirm-card' });
  expect(readable(done[0])).toContain('Je gegevens zijn verwijderd');
  // Now a stranger again: the access form; and the bot cannot reach them any more.
  expect(readable((await bot.say(author, 'help'))[0])).toContain('Toegang aanvragen');
  const detail = await bot.say(reader, `dilemma ${id}`);
  expect(readable(detail[0])).toContain('Netcongestie bij de nieuwbouw');
  expect(readable(detail[0])).toContain('oud-lid');
  expect(readable(detail[0])).not.toContain('Marieke');
});

it('lets the secretariaat erase a member who left, and records it in the audit trail', async () => {
  const [admin] = await bot.say(people.admin, 'beheer');
  const erase = buttonsOf(admin).find((b) => b.data.verb === 'privacyEraseMember' && (b.data.target as { aadObjectId: string }).aadObjectId === leaver.aadObjectId)!;
  expect(erase.title).toBe('Ja, wis de gegevens van Vincent Vertrokken');
  // The button that opens it names the member too: a screen reader reads it without the row around it.
  expect(JSON.stringify(admin)).toContain('"title":"Gegevens van Vincent Vertrokken wissen"');
  const done = await bot.submit(people.admin, erase.data);
  expect(readable(done[0])).toContain('De gegevens van dit lid zijn verwijderd');
  expect(readable((await bot.say(leaver, 'help'))[0])).toContain('Toegang aanvragen');

  // A wethouder cannot do it with a forged submit.
  const forged = await bot.submit(reader, { verb: 'privacyEraseMember', target: { tenantId: TENANT, aadObjectId: people.admin.aadObjectId } });
  expect(readable(forged[0])).toBe('Dit mag alleen het secretariaat.');

  const [log] = await bot.say(people.admin, 'logboek');
  expect(readable(log)).toContain('Sanne Secretaris heeft de gegevens van Vincent Vertrokken gewist.');
  expect(readable(log)).toContain('heeft de eigen gegevens gewist.');
  const csv = await (await fetch(linkOf(log))).text();
  expect(csv.split('\r\n')[0]).toContain('"Datum en tijd";"Wie";"Wat er gebeurde"');
  expect(csv).toContain('Sanne Secretaris');
  expect(readable((await bot.say(reader, 'logboek'))[0])).toBe('Dit mag alleen het secretariaat.');
});

it('records role changes with before and after', async () => {
  const [admin] = await bot.say(people.admin, 'beheer');
  const change = buttonsOf(admin).find((b) => b.title === 'Functie wijzigen' && (b.data.target as { aadObjectId: string }).aadObjectId === reader.aadObjectId)!;
  await bot.submit(people.admin, { ...change.data, [change.data.input as string]: 'directeur-bestuurder' });
  const entries = (await bot.app.services.audit.page(5)).entries;
  const entry = entries.find((e) => e.action === 'member.roleChanged')!;
  expect(entry.before).toEqual({ role: 'wethouder' });
  expect(entry.after).toEqual({ role: 'directeur-bestuurder' });
  expect(entry.actor.name).toBe('Sanne Secretaris');
});

it('erases members who have not used the bot for the retention period, but not configured admins', async () => {
  const later = new Date(Date.now() + 800 * 24 * 60 * 60 * 1000);
  const erased = await bot.app.services.privacy.eraseInactive(later);
  expect(erased).toBeGreaterThanOrEqual(1);
  expect(readable((await bot.say(reader, 'help'))[0])).toContain('Toegang aanvragen');
  expect(readable((await bot.say(people.admin, 'help'))[0])).toContain('Welkom bij BO Wonen');
});

it('records the secretariaat changes of every capability that has them: agenda and plans too', async () => {
  const admin = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: people.admin.aadObjectId, name: '' }))!;
  const meeting = await bot.app.services.agenda.createMeeting(admin, new Date(Date.now() + 40 * 24 * 3_600_000), 'Regiokantoor');
  await bot.app.services.agenda.saveItem(admin, meeting.id, undefined, { type: 'bespreking', title: 'Woningbouwafspraken', summary: '', submittedBy: '', links: [] });
  await bot.app.services.plans.importFile(admin, Buffer.from('naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase\nProefplan;Huizen;60;20;20;10;10;initiatief\n', 'utf8'));
  const actions = (await bot.app.services.audit.page(20)).entries.map((e) => `${e.capability}:${e.action}`);
  expect(actions).toEqual(expect.arrayContaining(['agenda:meeting.created', 'agenda:agenda.itemAdded', 'plans:plans.imported']));
});
