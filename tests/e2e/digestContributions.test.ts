// Plans and sessions feed the digest and the BO agenda through the capability contract: a member's digest
// lists the plans that changed and the sessions with seats left; a recorded session opbrengst is offered to
// the secretariaat as an agenda item and, once placed, no longer offered.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buttonsOf, readable, startTestBot, TENANT, type TestBot, type TestUser } from '../helpers/harness';

let bot: TestBot;
const wethouder: TestUser = { aadObjectId: 'efefefef-0000-4000-8000-000000000001', name: 'Wendy Wethouder' };
const secretary: TestUser = { aadObjectId: 'efefefef-0000-4000-8000-000000000002', name: 'Sanne Secretaris' };

beforeAll(async () => {
  bot = await startTestBot({ BOOTSTRAP_ADMINS: '', SCHEDULER: 'off' });
  await bot.app.services.members.seed([
    { tenantId: TENANT, aadObjectId: wethouder.aadObjectId, name: wethouder.name, organisationId: 'hilversum', role: 'wethouder' },
    { tenantId: TENANT, aadObjectId: secretary.aadObjectId, name: secretary.name, organisationId: 'regio-gooi-en-vechtstreek', role: 'secretariaat' },
  ]);
  for (const u of [wethouder, secretary]) await bot.say(u, 'help');
  // The invented demo data of every capability, as npm start puts it in an empty store.
  for (const b of bot.app.built) await b.capability.seed?.(b.service, bot.app.services, b.need);
});
afterAll(async () => {
  await bot.stop();
});

it('writes what the demo data did in the logboek as BO Wonen (voorbeeldgegevens), not as a secretariaat member', async () => {
  const { entries } = await bot.app.services.audit.page(50);
  expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['meeting.created', 'agenda.itemAdded', 'plans.imported']));
  expect(entries.filter((e) => e.actor.aadObjectId !== 'system:demo')).toEqual([]);
  const log = readable((await bot.say(secretary, 'logboek'))[0]);
  expect(log).toContain('BO Wonen (voorbeeldgegevens) heeft de planlijst ingelezen: 15 nieuw, 0 gewijzigd, 0 afgekeurd.');
  expect(log).toMatch(/BO Wonen \(voorbeeldgegevens\) heeft een BO gepland op \d+ \w+ \d{4}\./);
  expect(log).not.toContain(secretary.name);
});

it('lists in the digest the plans whose numbers changed and the sessions with seats left', async () => {
  const before = readable((await bot.say(wethouder, 'digest'))[0]);
  expect(before).not.toContain('Plannen die zijn bijgewerkt');
  expect(before).toContain('Sessies met nog plaats');

  // The secretariaat imports the plan list again with one number changed: De Boomgaard gets 250 homes.
  const sample = readFileSync(path.join(__dirname, '../../src/features/plans/sample-plans.csv'), 'utf8');
  const changed = sample.replace('De Boomgaard;Hilversum;Hilversum-Oost;Dudok Wonen, Ontwikkelcombinatie Oostrand;240;', 'De Boomgaard;Hilversum;Hilversum-Oost;Dudok Wonen, Ontwikkelcombinatie Oostrand;250;');
  expect(changed).not.toBe(sample);
  const admin = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: secretary.aadObjectId, name: '' }))!;
  await bot.app.services.plans.importFile(admin, Buffer.from(changed, 'utf8'));

  const [after] = await bot.say(wethouder, 'digest');
  const text = readable(after);
  expect(text).toContain('Plannen die zijn bijgewerkt');
  expect(text).toContain('De Boomgaard (Hilversum)');
  expect(text).toContain('250 woningen');
  expect(buttonsOf(after).some((b) => b.data.verb === 'planOpen')).toBe(true);
});

it('offers a recorded session opbrengst as an agenda item, and marks it once placed', async () => {
  const [first] = await bot.app.services.sessions.upcoming((await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: secretary.aadObjectId, name: '' }))!);
  const past = new Date(Date.now() - 3 * 24 * 3_600_000);
  const { id: _id, ...draft } = first!.session;
  const [held] = await bot.app.services.sessions.seedSessions([
    {
      ...draft,
      title: 'Themasessie stapeling van opgaven',
      startsAt: past.toISOString(),
      endsAt: new Date(past.getTime() + 2 * 3_600_000).toISOString(),
      signupDeadline: past.toISOString(),
      opbrengst: 'Gemeenten en corporaties plannen de infrastructuur voortaan samen.',
      opbrengstAt: new Date().toISOString(),
      opbrengstAgendaRef: '',
    },
  ]);
  await bot.submit(secretary, {
    verb: 'agendaNewMeeting',
    meetingDate: new Date(Date.now() + 20 * 24 * 3_600_000).toISOString().slice(0, 10),
    meetingTime: '14:00',
    meetingPlace: 'Regiokantoor',
  });
  const [card] = await bot.say(secretary, 'agenda');
  const place = buttonsOf(card).find((b) => b.data.verb === 'agendaPlace' && b.data.ref === held!.id);
  expect(place).toBeDefined();
  const [placed] = await bot.submit(secretary, place!.data, { replyToId: 'agenda-card' });
  expect(readable(placed)).toContain('Terugblik op de sessie: Themasessie stapeling van opgaven');
  expect((await bot.app.services.sessions.opbrengstenNotOnAgenda()).map((s) => s.id)).not.toContain(held!.id);
});
