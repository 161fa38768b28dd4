// Onboarding over real HTTP: an unknown person asks for access, the secretariaat hears it and decides,
// the requester hears the outcome; forged submits and the wrong role change nothing.
import { startTestBot, people, personalChat, channel, cardOf, readable, buttonsOf, type TestBot } from '../helpers/harness';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
  // The secretariaat member has talked to the bot once, so it can reach them.
  await bot.say(people.admin, 'help');
});
afterAll(async () => {
  await bot.stop();
});

const toConversation = (from: number, conversationId: string) =>
  bot.connector.records.slice(from).filter((r) => r.conversationId === conversationId);

it('walks a newcomer from the access form to the welcome card', async () => {
  const first = await bot.say(people.newcomer, 'hallo');
  expect(readable(first[0])).toContain('Toegang aanvragen');
  const formId = 'form-1';

  // Nothing chosen for the role: the same form comes back, the organisation kept, the problem named.
  const incomplete = await bot.submit(people.newcomer, { verb: 'requestAccess', organisationId: 'huizen' }, { replyToId: formId });
  expect(incomplete).toHaveLength(1);
  expect(incomplete[0]!.method).toBe('PUT');
  expect(readable(incomplete[0])).toContain('Kies je functie.');
  expect(JSON.stringify(cardOf(incomplete[0]))).toContain('"value":"huizen"');

  const mark = bot.connector.records.length;
  const sent = await bot.submit(people.newcomer, { verb: 'requestAccess', organisationId: 'huizen', role: 'wethouder' });
  expect(readable(sent[0])).toContain('Je aanvraag is verstuurd');
  const notices = toConversation(mark, personalChat(people.admin).id);
  expect(notices).toHaveLength(1);
  expect(readable(notices[0])).toContain('Nina Nieuw vraagt toegang als wethouder bij Gemeente Huizen');
  expect(notices[0]!.activity.summary).toBeTruthy();

  expect(readable((await bot.say(people.newcomer, 'help'))[0])).toContain('nog in behandeling');

  const approve = buttonsOf(notices[0]).find((b) => b.title === 'Goedkeuren')!;
  const decisionMark = bot.connector.records.length;
  const decided = await bot.submit(people.admin, approve.data, { replyToId: 'notice-1' });
  expect(decided.find((r) => r.method === 'PUT')?.activityId).toBe('notice-1');
  expect(readable(decided[0])).toContain('goedgekeurd');
  const outcome = toConversation(decisionMark, personalChat(people.newcomer).id);
  expect(outcome.map((r) => r.activity.text)).toEqual([expect.stringContaining('Goed nieuws')]);

  const welcome = await bot.say(people.newcomer, 'help');
  expect(readable(welcome[0])).toContain('Welkom bij BO Wonen');
  expect(readable(welcome[0])).toContain('wethouder bij Gemeente Huizen');

  // Pressing the old button again changes nothing and says so.
  const again = await bot.submit(people.admin, { ...approve.data, decision: 'rejected' });
  expect(again.map(readable).join('\n')).toContain('al afgehandeld');
});

it('refuses a forged decision from a member who is not secretariaat, and writes nothing', async () => {
  const stranger = { aadObjectId: 'cccccccc-0000-4000-8000-000000000009', name: 'Olaf Onbekend' };
  await bot.submit(stranger, { verb: 'requestAccess', organisationId: 'laren', role: 'wethouder' });
  const forged = await bot.submit(people.newcomer, {
    verb: 'decideAccess',
    decision: 'approved',
    target: { tenantId: '11111111-1111-4111-8111-111111111111', aadObjectId: stranger.aadObjectId },
  });
  expect(readable(forged[0])).toBe('Dit mag alleen het secretariaat.');
  expect(readable((await bot.say(stranger, 'help'))[0])).toContain('nog in behandeling');
});

it.each([
  ['no verb data', { verb: 'decideAccess' }],
  ['a wrong type', { verb: 'decideAccess', decision: 42, target: 'x' }],
  ['an unknown verb', { verb: 'dropTables' }],
  ['a megabyte of text', { verb: 'requestAccess', organisationId: 'x'.repeat(900_000), role: 'wethouder' }],
])('answers a malformed submit (%s) with a clear sentence', async (_name, value) => {
  const replies = await bot.submit(people.admin, value);
  expect(replies).toHaveLength(1);
  expect(readable(replies[0])).toMatch(/klopt niet|verlopen/);
});

it('gives the secretariaat the management card and lets them change a role and remove a member', async () => {
  const [card] = await bot.say(people.admin, 'beheer');
  expect(readable(card)).toContain('Open aanvragen');
  expect(readable(card)).toContain('Nina Nieuw');
  // The configured secretariaat member is marked as such, and nobody gets a button to remove themselves.
  expect(readable(card)).toContain('Staat in de instellingen van de app (BOOTSTRAP_ADMINS)');
  const targetOf = (b: { data: Record<string, unknown> }) => (b.data.target as { aadObjectId?: string } | undefined)?.aadObjectId;
  expect(buttonsOf(card).filter((b) => b.data.verb === 'removeMember' && targetOf(b) === people.admin.aadObjectId)).toEqual([]);
  expect(readable(card)).toContain('Weet je zeker dat je Nina Nieuw uit BO Wonen wilt verwijderen?');
  const change = buttonsOf(card).find((b) => b.title === 'Functie wijzigen' && (b.data.target as { aadObjectId: string }).aadObjectId === people.newcomer.aadObjectId)!;
  const changed = await bot.submit(people.admin, { ...change.data, [change.data.input as string]: 'directeur-bestuurder' }, { replyToId: 'admin-card' });
  // The beheer card comes back up to date, then a line says what changed.
  expect(changed[0]!.method).toBe('PUT');
  expect(readable(changed[0])).toContain('directeur-bestuurder');
  expect(readable(changed[1])).toContain('De functie van Nina Nieuw is nu directeur-bestuurder.');

  const remove = buttonsOf(card).find((b) => b.title === 'Ja, verwijder Nina Nieuw' && (b.data.target as { aadObjectId: string }).aadObjectId === people.newcomer.aadObjectId)!;
  const removed = await bot.submit(people.admin, remove.data, { replyToId: 'admin-card' });
  expect(readable(removed[0])).not.toContain('Nina Nieuw');
  expect(readable(removed[1])).toContain('is verwijderd');
  expect(readable((await bot.say(people.newcomer, 'help'))[0])).toContain('Toegang aanvragen');
});

it('keeps the member list and the access form out of channels', async () => {
  const [admin] = await bot.say(people.admin, '<at>BO Wonen</at> beheer', channel);
  expect(readable(admin)).toContain('persoonlijke chat');
  expect(readable(admin)).not.toContain('Open aanvragen');
  const visitor = { aadObjectId: 'cccccccc-0000-4000-8000-000000000077', name: 'Vera Vreemd' };
  const [reply] = await bot.say(visitor, '<at>BO Wonen</at> hallo', channel);
  expect(readable(reply)).toContain('Open een persoonlijke chat met BO Wonen');
  expect(cardOf(reply)).toBeUndefined();
});

it('shows a gespreksleider only their own button: the sessions they lead', async () => {
  const leader = { aadObjectId: 'cccccccc-0000-4000-8000-000000000078', name: 'Linda Leider' };
  await bot.app.services.members.seed([
    { tenantId: '11111111-1111-4111-8111-111111111111', aadObjectId: leader.aadObjectId, name: leader.name, organisationId: 'regio-gooi-en-vechtstreek', role: 'gespreksleider' },
  ]);
  const [reply] = await bot.say(leader, 'hulp');
  expect(buttonsOf(reply).map((b) => b.title)).toEqual(['Sessies']);
});

it('does not show the management card to a member without the secretariaat role', async () => {
  await bot.app.services.members.seed([
    { tenantId: '11111111-1111-4111-8111-111111111111', aadObjectId: people.wethouder.aadObjectId, name: people.wethouder.name, organisationId: 'hilversum', role: 'wethouder' },
  ]);
  const [reply] = await bot.say(people.wethouder, 'beheer');
  expect(readable(reply)).toBe('Dit mag alleen het secretariaat.');
});

it('speaks English to a member whose Teams locale is English', async () => {
  const english = { ...people.english, aadObjectId: people.admin.aadObjectId };
  const [reply] = await bot.say(english, 'help');
  expect(readable(reply)).toContain('Welcome to BO Wonen');
});
