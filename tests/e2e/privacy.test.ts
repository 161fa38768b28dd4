// Privacy and the audit trail over real HTTP: a member sees and downloads what the bot holds about them,
// erases it (their dilemma stays, as "oud-lid"), the secretariaat erases a member who left, the audit trail
// records each change and erasure, and inactive members are erased by the retention job.
import { auditSentence } from '../../src/core/audit';
import { catalogs } from '../../src/i18n';
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
  // Each kind with how many there are (or "ja"), in words; the personal chat too.
  const facts = JSON.stringify(cardOf(overview));
  expect(facts).toContain(JSON.stringify({ title: "Dilemma's die je meldde", value: '1' }));
  expect(facts).toContain(JSON.stringify({ title: catalogs.nl['privacy.conversations'], value: '1' }));
  expect(facts).toContain(JSON.stringify({ title: 'Je profiel: naam, organisatie en functie', value: catalogs.nl['privacy.present'] }));
  // Nothing the person has not got is listed, and no field names.
  expect(facts).not.toMatch(/"title":"(person|exportedAt|conversations|member|tenantId|aadObjectId)"/);
  expect(buttonsOf(overview).find((b) => b.title === catalogs.nl['privacy.eraseButton'])!.data).toEqual({ verb: 'command', command: 'verwijder mijn gegevens' });
  const url = linkOf(overview);
  expect(url.startsWith('http://127.0.0.1:')).toBe(true);
  const res = await fetch(url);
  expect(res.status).toBe(200);
  // A download of its own, never kept in a cache on the way.
  expect({ type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), cache: res.headers.get('cache-control') }).toEqual({
    type: 'application/json; charset=utf-8', disposition: 'attachment; filename="bo-wonen-mijn-gegevens.json"', cache: 'no-store',
  });
  const data = (await res.json()) as {
    person: unknown; members: { member: { name: string } }; dilemmas: { dilemmas: Array<{ id: string }> }; conversations: Array<{ conversationType: string }>;
  };
  expect(data.person).toEqual({ tenantId: TENANT, aadObjectId: author.aadObjectId });
  expect(data.members.member.name).toBe('Marieke Melder');
  expect(data.dilemmas.dilemmas.map((d) => d.id)).toEqual([id]);
  expect(data.conversations).toEqual([expect.objectContaining({ conversationType: 'personal' })]);
  // After its quarter of an hour the link says it has expired.
  const now = Date.now;
  const later = jest.spyOn(Date, 'now').mockImplementation(() => now() + 16 * 60 * 1000);
  try {
    const expired = await fetch(url);
    expect({ status: expired.status, body: await expired.json() }).toEqual({ status: 410, body: { error: 'Deze link is verlopen.' } });
  } finally {
    later.mockRestore();
  }
  // Someone else's data cannot be had by changing the token.
  const [payload, signature] = new URL(url).searchParams.get('t')!.split('.');
  const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  forged.d.aadObjectId = reader.aadObjectId;
  const forgedUrl = url.replace(/t=.*/, `t=${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`);
  const refused = await fetch(forgedUrl);
  expect({ status: refused.status, body: await refused.json() }).toEqual({ status: 404, body: { error: 'Deze link bestaat niet.' } });
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
  // The button that erases is marked as one that cannot be undone (Teams shows it red).
  const actions = (cardOf(confirm)?.actions ?? []) as Array<{ title: string; style?: string; data?: { verb?: string } }>;
  expect(actions.map((a) => [a.title, a.data?.verb, a.style])).toEqual([
    [catalogs.nl['privacy.eraseYes'], 'privacyErase', 'destructive'],
    ['Nee, niets verwijderen', 'privacyEraseCancel', undefined],
  ]);
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
  // Nor the secretariaat themselves: their own data goes with "verwijder mijn gegevens".
  const self = await bot.submit(people.admin, { verb: 'privacyEraseMember', target: { tenantId: TENANT.toUpperCase(), aadObjectId: people.admin.aadObjectId } });
  expect(readable(self[0])).toBe(catalogs.nl['privacy.notYourself']);
  expect(readable((await bot.say(people.admin, 'help'))[0])).toContain('Welkom bij BO Wonen');
  const row = (await bot.app.services.audit.page(20)).entries.find((e) => e.action === 'privacy.erased.secretariaat')!;
  expect({ capability: row.capability, subject: row.subject }).toEqual({ capability: 'privacy', subject: 'Vincent Vertrokken' });
  // Someone who was no longer a member when erased: the row has no name, and the sentence says so, not an id.
  expect(auditSentence({ ...row, subject: undefined }, 'nl', bot.app.services.auditWords)).toBe('Sanne Secretaris heeft de gegevens gewist van iemand die geen lid meer was.');

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
  // Everyone used the bot today: nobody is erased now, nor with the retention period turned off (0 days).
  expect(await bot.app.services.privacy.eraseInactive(new Date())).toBe(0);
  const later = new Date(Date.now() + 800 * 24 * 60 * 60 * 1000);
  const config = bot.app.services.config.privacy;
  const days = config.inactiveDays;
  config.inactiveDays = 0;
  try {
    expect(await bot.app.services.privacy.eraseInactive(later)).toBe(0);
  } finally {
    config.inactiveDays = days;
  }
  expect(readable((await bot.say(reader, 'help'))[0])).not.toContain('Toegang aanvragen');

  const erased = await bot.app.services.privacy.eraseInactive(later);
  expect(erased).toBeGreaterThanOrEqual(1);
  expect(readable((await bot.say(reader, 'help'))[0])).toContain('Toegang aanvragen');
  expect(readable((await bot.say(people.admin, 'help'))[0])).toContain('Welkom bij BO Wonen');
  // The logboek names whose data went, and that it was the retention period.
  const rows = (await bot.app.services.audit.page(50)).entries.filter((e) => e.action === 'privacy.erased.retention');
  const sentences = rows.map((r) => auditSentence(r, 'nl', bot.app.services.auditWords));
  expect(sentences).toContain('BO Wonen heeft de gegevens van Ruud Lezer gewist. Dit lid gebruikte BO Wonen lang niet.');
  expect(auditSentence({ ...rows[0]!, subject: undefined }, 'nl', bot.app.services.auditWords)).not.toContain(rows[0]!.target);
});

it('records the secretariaat changes of every capability that has them: agenda and plans too', async () => {
  const admin = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: people.admin.aadObjectId, name: '' }))!;
  const meeting = await bot.app.services.agenda.createMeeting(admin, new Date(Date.now() + 40 * 24 * 3_600_000), 'Regiokantoor');
  await bot.app.services.agenda.saveItem(admin, meeting.id, undefined, { type: 'bespreking', title: 'Woningbouwafspraken', summary: '', submittedBy: '', links: [] });
  await bot.app.services.plans.importFile(admin, Buffer.from('naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase\nProefplan;Huizen;60;20;20;10;10;initiatief\n', 'utf8'));
  const actions = (await bot.app.services.audit.page(20)).entries.map((e) => `${e.capability}:${e.action}`);
  expect(actions).toEqual(expect.arrayContaining(['agenda:meeting.created', 'agenda:agenda.itemAdded', 'plans:plans.imported']));
});
