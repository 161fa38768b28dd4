// The BO agenda and the digest end to end over real HTTP: the secretariaat plans a meeting, edits and fixes
// the agenda, puts a dilemma on it; members read it; the digest reaches each member once with their own content.
import { startTestBot, personalChat, channel, cardOf, readable, buttonsOf, TENANT, type TestBot, type TestUser } from '../helpers/harness';
import type { Recorded } from '../helpers/connector';
import type { Role } from '../../src/features/members/model';
import { cardProblems } from '../helpers/cards';

let bot: TestBot;

const user = (n: number, name: string, locale?: string): TestUser => ({
  aadObjectId: `dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name,
  ...(locale ? { locale } : {}),
});
const wethouder = user(1, 'Wendy Wethouder');
const director = user(2, 'Dirk Directeur', 'en-GB');
const secretary = user(3, 'Sanne Secretaris');
const quiet = user(4, 'Kees Stil');
const facilitator = user(5, 'Gerda Gespreksleider');

async function seed(u: TestUser, role: Role, organisationId: string) {
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId, role }]);
}

function inFuture(days: number): string {
  const d = new Date(Date.now() + days * 24 * 3_600_000);
  return d.toISOString().slice(0, 10);
}

function expectValidCard(record: Recorded | undefined) {
  const card = cardOf(record);
  expect(card).toBeDefined();
  expect(cardProblems(card)).toEqual([]);
}

/** Teams's own refresh of a card (Universal Actions): an invoke whose answer replaces the card for that person. */
async function refreshCard(u: TestUser, verb: string, conversation = personalChat(u)): Promise<{ status: number; card?: Record<string, unknown>; text: string }> {
  const result = await bot.post(
    bot.activity(u, conversation, { type: 'invoke', name: 'adaptiveCard/action', replyToId: 'card-1', value: { action: { type: 'Action.Execute', verb, data: {} }, trigger: 'automatic' } }),
  );
  const body = result.body ? (JSON.parse(result.body) as { value?: unknown; type?: string }) : {};
  const card = body.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Record<string, unknown>) : undefined;
  return { status: result.status, ...(card ? { card } : {}), text: JSON.stringify(body) };
}

const factsOf = (card: unknown) => {
  const factSet = ((card as { body: Array<{ type: string; facts?: Array<{ title: string; value: string }> }> }).body).find((e) => e.type === 'FactSet');
  return Object.fromEntries((factSet?.facts ?? []).map((f) => [f.title, f.value]));
};

const sentTo = (u: TestUser, from: number) => bot.connector.records.slice(from).filter((r) => r.conversationId === personalChat(u).id && r.method === 'POST');

beforeAll(async () => {
  bot = await startTestBot({ BOOTSTRAP_ADMINS: '', SCHEDULER: 'off' });
  await seed(wethouder, 'wethouder', 'hilversum');
  await seed(director, 'directeur-bestuurder', 'dudok-wonen');
  await seed(secretary, 'secretariaat', 'regio-gooi-en-vechtstreek');
  await seed(quiet, 'wethouder', 'huizen');
  await seed(facilitator, 'gespreksleider', 'regio-gooi-en-vechtstreek');
  for (const u of [wethouder, director, secretary, quiet, facilitator]) await bot.say(u, 'help');
});
afterAll(async () => {
  await bot.stop();
});

let meetingId = '';

it('lets the secretariaat plan a meeting that starts with the standard items', async () => {
  const [empty] = await bot.say(secretary, 'agenda');
  expect(readable(empty)).toContain('nog geen volgende BO');
  expectValidCard(empty);
  const replies = await bot.submit(secretary, { verb: 'agendaNewMeeting', meetingDate: inFuture(20), meetingTime: '14:00', meetingPlace: 'Regiokantoor' }, { replyToId: 'x' });
  const text = readable(replies[0]);
  expect(text).toContain('Opening en mededelingen');
  expect(text).toContain('Verslag vorige vergadering');
  expect(text).toContain('Rondvraag');
  expectValidCard(replies[0]);
  meetingId = String(buttonsOf(replies[0]).find((b) => b.data.verb === 'agendaSaveItem')?.data.meetingId);
  expect(meetingId).toMatch(/^BO-\d{4}-\d{2}-\d{2}$/);
});

it('adds, checks, moves and removes items; rondvraag stays last', async () => {
  const add = (title: string, extra: Record<string, unknown> = {}) =>
    bot.submit(secretary, { verb: 'agendaSaveItem', meetingId, 'itemType-new': 'besluitvorming', 'itemTitle-new': title, 'itemSummary-new': 'Kort.', 'itemSubmittedBy-new': 'Gemeente Huizen', 'itemLinks-new': '', ...extra }, { replyToId: 'x' });
  const bad = await add('Woningbouwafspraken', { 'itemLinks-new': 'ftp://ergens' });
  expect(readable(bad[0])).toContain('https://');
  expectValidCard(bad[0]);
  await add('Woningbouwafspraken');
  const [card] = await add('Betaalbare koop');
  const text = readable(card);
  expect(text.indexOf('Woningbouwafspraken')).toBeLessThan(text.indexOf('Betaalbare koop'));
  expect(text.indexOf('Betaalbare koop')).toBeLessThan(text.indexOf('Rondvraag'));
  const meeting = await bot.app.services.agenda.meeting(meetingId);
  const koop = meeting.items.find((i) => i.title === 'Betaalbare koop')!;
  const [moved] = await bot.submit(secretary, { verb: 'agendaMoveItem', meetingId, itemId: koop.id, direction: 'up' }, { replyToId: 'x' });
  expect(readable(moved).indexOf('Betaalbare koop')).toBeLessThan(readable(moved).indexOf('Woningbouwafspraken'));
  await bot.submit(secretary, { verb: 'agendaMoveItem', meetingId, itemId: koop.id, direction: 'up' }, { replyToId: 'x' });
  expect((await bot.app.services.agenda.meeting(meetingId)).items.map((i) => i.standard ?? i.title).slice(0, 3)).toEqual(['opening', 'verslag', 'Betaalbare koop']);
  // Up again from the top: nothing changes, and the logboek gets no line for it.
  const logged = async () => (await bot.app.services.audit.page(100)).entries.filter((e) => e.action === 'agenda.itemMoved').length;
  const movesBefore = await logged();
  const [top] = await bot.submit(secretary, { verb: 'agendaMoveItem', meetingId, itemId: koop.id, direction: 'up' }, { replyToId: 'x' });
  expect((await bot.app.services.agenda.meeting(meetingId)).items.map((i) => i.standard ?? i.title).slice(0, 3)).toEqual(['opening', 'verslag', 'Betaalbare koop']);
  expect(await logged()).toBe(movesBefore);
  // The first movable item offers no "Omhoog", the last no "Omlaag"; each button's tooltip names its item's number.
  const moves = buttonsOf(top).filter((b) => b.data.verb === 'agendaMoveItem').map((b) => `${b.title} | ${b.tooltip}`);
  expect(moves).toEqual(['Omlaag | Punt 3 omlaag', 'Omhoog | Punt 4 omhoog']);
  const edits = buttonsOf(top).filter((b) => b.title === 'Bewerken').map((b) => b.tooltip);
  expect(edits).toEqual(['Punt 3 bewerken', 'Punt 4 bewerken']);
  expectValidCard(top);
  const [removed] = await bot.submit(secretary, { verb: 'agendaRemoveItem', meetingId, itemId: koop.id }, { replyToId: 'x' });
  expect(readable(removed)).not.toContain('Betaalbare koop');
});

it('refuses agenda changes from a member who is not secretariaat, and changes nothing', async () => {
  const before = await bot.app.services.agenda.meeting(meetingId);
  const replies = await bot.submit(wethouder, { verb: 'agendaSaveItem', meetingId, 'itemType-new': 'informatie', 'itemTitle-new': 'Ingebroken', 'itemLinks-new': '' });
  expect(readable(replies[0])).toContain('alleen het secretariaat');
  const opening = before.items[0]!;
  const refused = await bot.submit(secretary, { verb: 'agendaRemoveItem', meetingId, itemId: opening.id });
  expect(readable(refused[0])).toContain('vast punt');
  expect(await bot.app.services.agenda.meeting(meetingId)).toEqual(before);
  const [memberView] = await bot.say(wethouder, 'agenda');
  expect(readable(memberView)).toContain('Woningbouwafspraken');
  // A member may open an item to read it whole; nothing that changes the agenda.
  expect(buttonsOf(memberView).some((b) => String(b.data.verb).startsWith('agenda') && b.data.verb !== 'agendaItem')).toBe(false);
  const open = buttonsOf(memberView).find((b) => b.data.verb === 'agendaItem')!;
  const [item] = await bot.submit(wethouder, open.data);
  expect(readable(item)).toContain('Woningbouwafspraken');
  expect(buttonsOf(item).some((b) => String(b.data.verb).startsWith('agenda'))).toBe(false);
});

it('keeps the secretariaat\'s agenda compact: "Bewerken" opens the item\'s own card with its form, saving shows the agenda', async () => {
  const [agendaView] = await bot.say(secretary, 'agenda');
  // No form inside the rows: only the one to add an item.
  expect(JSON.stringify(cardOf(agendaView)).match(/"id":"itemTitle-/g)).toHaveLength(1);
  const item = (await bot.app.services.agenda.meeting(meetingId)).items.find((i) => i.title === 'Woningbouwafspraken')!;
  const edit = buttonsOf(agendaView).find((b) => b.data.verb === 'agendaItem' && b.data.itemId === item.id)!;
  expect(edit.title).toBe('Bewerken');
  const [itemCard] = await bot.submit(secretary, edit.data);
  expect(JSON.stringify(cardOf(itemCard))).toContain(`"id":"itemTitle-${item.id}"`);
  const save = buttonsOf(itemCard).find((b) => b.data.verb === 'agendaSaveItem')!;
  const [saved] = await bot.submit(
    secretary,
    { ...save.data, [`itemType-${item.id}`]: 'bespreking', [`itemTitle-${item.id}`]: 'Woningbouwafspraken 2027', [`itemSummary-${item.id}`]: 'Nieuw.', [`itemSubmittedBy-${item.id}`]: '', [`itemLinks-${item.id}`]: '' },
    { replyToId: 'item-card' },
  );
  expect(readable(saved)).toContain('Woningbouwafspraken 2027');
  expect(readable(saved)).toContain('opgeslagen');
});

let dilemmaId = '';

it('offers a dilemma whose author asked for the agenda, and placing it sets geagendeerd and tells the author', async () => {
  const { dilemma } = (await bot.app.services.dilemmas.create(
    (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: wethouder.aadObjectId, name: '' }))!,
    { title: 'Netcongestie remt nieuwbouw', description: 'Geen aansluiting voor 2028.', theme: 'netcongestie', municipalities: ['hilversum'], relatedPlan: '', visibility: 'members', wantsAgenda: true },
    'sub-agenda-1',
  )) as { dilemma: { id: string } };
  dilemmaId = dilemma.id;
  const [card] = await bot.say(secretary, 'agenda');
  const place = buttonsOf(card).find((b) => b.data.verb === 'agendaPlace' && b.data.ref === dilemmaId);
  expect(place).toBeDefined();
  const from = bot.connector.records.length;
  const [after] = await bot.submit(secretary, place!.data, { replyToId: 'x' });
  expect(readable(after)).toContain('Netcongestie remt nieuwbouw');
  expect(buttonsOf(after).some((b) => b.data.ref === dilemmaId)).toBe(false);
  const { dilemma: updated } = await bot.app.services.dilemmas.get({ member: (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: secretary.aadObjectId, name: '' }))!, shared: false }, dilemmaId);
  expect(updated.status).toBe('geagendeerd');
  const notices = sentTo(wethouder, from);
  expect(notices).toHaveLength(1);
  expect(readable(notices[0])).toContain(dilemmaId);
});

it('previews a personal digest: the next meeting, new dilemmas this person may see, never a confidential one of someone else', async () => {
  const director$ = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: director.aadObjectId, name: '' }))!;
  await bot.app.services.dilemmas.create(
    director$,
    { title: 'Geheim grondbod', description: 'Vertrouwelijk.', theme: 'financiering', municipalities: ['huizen'], relatedPlan: '', visibility: 'confidential', wantsAgenda: false },
    'sub-agenda-2',
  );
  const [mine] = await bot.say(wethouder, 'digest');
  expectValidCard(mine);
  const text = readable(mine);
  expect(text).toContain('Volgende BO');
  expect(text).toContain('Woningbouwafspraken');
  expect(text).toContain('Netcongestie remt nieuwbouw');
  expect(text).not.toContain('Geheim grondbod');
  const [theirs] = await bot.say(director, 'digest');
  expect(readable(theirs)).toContain('Geheim grondbod');
  expect(readable(theirs)).toContain('Your BO Wonen digest');
  const [inChannel] = await bot.say(secretary, '<at>BO Wonen</at> digest', channel);
  expect(readable(inChannel)).not.toContain('Geheim grondbod');
});

it('fixes the agenda, after which it cannot change', async () => {
  const [fixed] = await bot.submit(secretary, { verb: 'agendaFix', meetingId }, { replyToId: 'x' });
  expect(readable(fixed)).toContain('Agenda vastgesteld');
  const refused = await bot.submit(secretary, { verb: 'agendaSaveItem', meetingId, 'itemType-new': 'informatie', 'itemTitle-new': 'Te laat', 'itemLinks-new': '' });
  expect(readable(refused[0])).toContain('al vastgesteld');
});

it('sends the digest once to each subscribed member, not to who said "digest uit", and the report adds up', async () => {
  expect(readable((await bot.say(quiet, 'digest uit'))[0])).toContain('niet meer');
  // The report card Teams shows again asks for fresh counts by itself: nothing yet, then what was sent.
  const before = await refreshCard(secretary, 'digestReportRefresh');
  expect(before.text).toContain('Er is nog geen digest verstuurd');
  const from = bot.connector.records.length;
  const replies = await bot.say(secretary, 'digest versturen');
  // Pressed twice in the same minute: still one digest.
  await bot.say(secretary, 'digest versturen');
  for (const u of [wethouder, director, secretary]) {
    const got = sentTo(u, from).filter((r) => readable(r).includes('BO Wonen digest'));
    expect(got).toHaveLength(1);
  }
  expect(sentTo(quiet, from)).toHaveLength(0);
  // A gespreksleider takes no part in the BO: no digest, and `agenda` says why.
  expect(sentTo(facilitator, from)).toHaveLength(0);
  expect(readable((await bot.say(facilitator, 'agenda'))[0])).toContain('voor wethouders, directeur-bestuurders en het secretariaat. Als gespreksleider zie je bij Sessies de sessies die je leidt.');
  expect(readable(sentTo(director, from).find((r) => readable(r).includes('BO Wonen digest')))).toContain('Geheim grondbod');
  expect(readable(sentTo(wethouder, from).find((r) => readable(r).includes('BO Wonen digest')))).not.toContain('Geheim grondbod');
  const [report] = await bot.submit(secretary, { verb: 'digestReport' }, { replyToId: 'x' });
  expectValidCard(report);
  const factSet = (cardOf(report)!.body as Array<{ type: string; facts?: Array<{ title: string; value: string }> }>).find((e) => e.type === 'FactSet')!;
  const facts = Object.fromEntries(factSet.facts!.map((f) => [f.title, f.value]));
  expect(facts).toMatchObject({ Totaal: '3', Verstuurd: '3', Mislukt: '0', 'Niet bereikbaar': '0', 'Nog bezig': '0', Gelezen: 'niet beschikbaar' });
  expect(readable(replies[0])).toContain('Verzendrapport');
  expect(readable(report)).toMatch(/Stand van \d\d:\d\d:\d\d\./);
  expect((cardOf(report) as { refresh?: { action?: { verb?: string } } }).refresh?.action?.verb).toBe('digestReportRefresh');
  const after = await refreshCard(secretary, 'digestReportRefresh');
  expect(after.status).toBe(200);
  expect(cardProblems(after.card)).toEqual([]);
  expect(factsOf(after.card)).toMatchObject({ Totaal: '3', Verstuurd: '3', 'Nog bezig': '0' });
  // Whoever else sees a report (a forwarded card, a channel) gets no counts, and nothing is posted.
  const mark = bot.connector.records.length;
  for (const [who, where] of [[wethouder, personalChat(wethouder)], [secretary, channel]] as const) {
    const other = await refreshCard(who, 'digestReportRefresh', where);
    expect(other.text).toContain('alleen voor het secretariaat');
    expect(factsOf(other.card)).toEqual({});
  }
  expect(bot.connector.records.length).toBe(mark);
});

it('exports and erases a digest subscription; the digests sent are in the core\'s export', async () => {
  const quietOne = { tenantId: TENANT, aadObjectId: quiet.aadObjectId };
  expect(await bot.app.services.agenda.personalData(quietOne)).toEqual({ digestSubscription: 'unsubscribed' });
  await bot.app.services.agenda.erase(quietOne);
  expect((await bot.app.services.agenda.personalData(quietOne)).digestSubscription).toBe('subscribed (default)');
  const reader = { tenantId: TENANT, aadObjectId: director.aadObjectId };
  expect((await bot.app.services.privacy.exportAll(reader)).deliveries).toEqual([expect.objectContaining({ kind: 'agenda.digest', state: 'sent' })]);
});

it('offers "Digest nu versturen" on the fixed agenda, and sends that digest once however often and by whom it is pressed', async () => {
  const colleague = user(6, 'Sam Secretariaat');
  await seed(colleague, 'secretariaat', 'regio-gooi-en-vechtstreek');
  await bot.say(colleague, 'help');
  const [agenda] = await bot.say(secretary, 'agenda');
  const send = buttonsOf(agenda).find((b) => b.title === 'Digest nu versturen')!;
  expect(send.data).toEqual({ verb: 'agendaSendDigest', meetingId });
  expect(readable(agenda)).toContain('Wil je dat de leden de agenda nu al krijgen?');
  // A member sees the agenda without it, and a forged press is refused.
  expect(buttonsOf((await bot.say(wethouder, 'agenda'))[0]).some((b) => b.data.verb === 'agendaSendDigest')).toBe(false);
  expect(readable((await bot.submit(wethouder, send.data))[0])).toContain('alleen het secretariaat');

  const from = bot.connector.records.length;
  const [report] = await bot.submit(secretary, send.data, { replyToId: 'x' });
  expect(readable(report)).toContain('De digest met deze agenda gaat nu naar de leden.');
  expect(readable(report)).toContain('Verzendrapport');
  // Pressed again, on the same card and by a colleague on theirs: no second digest.
  expect(readable((await bot.submit(secretary, send.data, { replyToId: 'x' }))[0])).toContain('is al verstuurd');
  expect(readable((await bot.submit(colleague, send.data, { replyToId: 'y' }))[0])).toContain('is al verstuurd');
  for (const u of [wethouder, director, secretary, quiet, colleague]) {
    expect({ who: u.name, digests: sentTo(u, from).filter((r) => /BO Wonen digest/.test(readable(r))).length }).toEqual({ who: u.name, digests: 1 });
  }
  expect(sentTo(facilitator, from)).toHaveLength(0);
});
