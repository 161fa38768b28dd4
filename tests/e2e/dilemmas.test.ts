// Dilemmas end to end over real HTTP: log, find, recognise, respond, status, and confidentiality with two members.
import { startTestBot, personalChat, channel, cardOf, readable, buttonsOf, TENANT, type TestBot, type TestUser } from '../helpers/harness';
import type { Recorded } from '../helpers/connector';
import type { Role } from '../../src/features/members/model';
import { MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import { literal } from '../../src/cards/markdown';
import { LIMITS } from '../../src/features/dilemmas/model';

let bot: TestBot;
const year = new Date().getFullYear();

const user = (n: number, name: string, locale?: string): TestUser => ({
  aadObjectId: `eeeeeeee-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name,
  ...(locale ? { locale } : {}),
});
const author = user(1, 'Marieke Melder');
const reader = user(2, 'Ruud Lezer');
const secretary = user(3, 'Sanne Secretaris');
const facilitator = user(4, 'Linda Leider');

async function seed(u: TestUser, role: Role, organisationId: string) {
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId, role }]);
}

beforeAll(async () => {
  bot = await startTestBot({ BOOTSTRAP_ADMINS: '' });
  await seed(author, 'wethouder', 'hilversum');
  await seed(reader, 'directeur-bestuurder', 'dudok-wonen');
  await seed(secretary, 'secretariaat', 'regio-gooi-en-vechtstreek');
  await seed(facilitator, 'gespreksleider', 'regio-gooi-en-vechtstreek');
  // Each has talked to the bot once, so it can reach them.
  for (const u of [author, reader, secretary]) await bot.say(u, 'help');
});
afterAll(async () => {
  await bot.stop();
});

const validForm = (submissionId: string, extra: Record<string, unknown> = {}) => ({
  verb: 'dilemmaSave',
  submissionId,
  title: 'Grondprijs maakt sociale huur onhaalbaar',
  description: 'De grondprijs voor de locatie is zo hoog dat de corporatie geen sociale huur kan bouwen. Hoe lossen anderen dat op?',
  theme: 'financiering',
  municipalities: 'hilversum,huizen',
  relatedPlan: '',
  visibility: 'members',
  wantsAgenda: 'true',
  ...extra,
});

async function logDilemma(u: TestUser, extra: Record<string, unknown> = {}): Promise<string> {
  const [formReply] = await bot.say(u, 'dilemma');
  const save = buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!;
  const replies = await bot.submit(u, validForm(String(save.data.submissionId), extra), { replyToId: 'form' });
  const id = /D-\d{4}-\d{3,}/.exec(readable(replies[0]))?.[0];
  if (!id) throw new Error(`no dilemma id in: ${readable(replies[0])}`);
  return id;
}

async function invoke(u: TestUser, verb: string, data: unknown): Promise<{ status: number; card?: Record<string, unknown>; text: string }> {
  const result = await bot.post(
    bot.activity(u, personalChat(u), {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: 'card-1',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    }),
  );
  const body = result.body ? (JSON.parse(result.body) as { value?: unknown; type?: string }) : {};
  const card = body.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Record<string, unknown>) : undefined;
  return { status: result.status, ...(card ? { card } : {}), text: JSON.stringify(body) };
}

const detailText = (r: Recorded | undefined) => readable(r);
const freshId = () => `resp-${Math.random().toString(36).slice(2, 12)}`;

describe('logging', () => {
  it('opens a form that asks not to name persons, and keeps what was typed when something is missing', async () => {
    const [formReply] = await bot.say(author, 'dilemma');
    expect(readable(formReply)).toContain('Noem geen namen van personen');
    expect(readable(formReply)).toContain('Woo');
    const save = buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!;
    const replies = await bot.submit(author, validForm(String(save.data.submissionId), { title: '', theme: 'onbekend' }), { replyToId: 'f1' });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.method).toBe('PUT');
    const text = readable(replies[0]);
    expect(text).toContain('Vul dit in.');
    expect(text).toContain('Kies een thema uit de lijst.');
    expect(JSON.stringify(cardOf(replies[0]))).toContain('De grondprijs voor de locatie is zo hoog');
    expect((await bot.app.services.dilemmas.list({ member: (await bot.app.services.members.resolve({ tenantId: TENANT, ...author }))!, shared: false })).items.length).toBe(0);
  });

  it('stores it with a readable number, replaces the form, and makes one dilemma of a double click', async () => {
    const [formReply] = await bot.say(author, 'dilemma');
    const submissionId = String(buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
    const [first, second] = await Promise.all([
      bot.submit(author, validForm(submissionId), { replyToId: 'form-a' }),
      bot.submit(author, validForm(submissionId), { replyToId: 'form-a' }),
    ]);
    const ids = [first, second].map((r) => /D-\d{4}-\d{3}/.exec(readable(r[0]))?.[0]);
    expect(ids[0]).toMatch(new RegExp(`^D-${year}-\\d{3}$`));
    expect(ids[1]).toBe(ids[0]);
    expect(first[0]!.method).toBe('PUT');
    const list = await bot.say(reader, "dilemma's");
    // Each listed dilemma starts with its number in bold (its buttons name it too).
    expect(readable(list[0]).split(`**${ids[0]!}**`).length - 1).toBe(1);
  });

  it('gives a clear answer to forged and oversized submits, and writes nothing', async () => {
    const before = (await bot.say(secretary, "dilemma's")).map(readable).join();
    const forged = [
      { verb: 'dilemmaSave' },
      { ...validForm('abcdefgh-1'), theme: 42, municipalities: ['x'] },
      { ...validForm('abcdefgh-2'), municipalities: 'atlantis' },
      { ...validForm('abcdefgh-3'), description: 'x'.repeat(1_000_000) },
      { ...validForm('abcdefgh-4'), editId: 'D-1999-001' },
    ];
    const answers = [];
    for (const value of forged) answers.push(readable((await bot.submit(author, value))[0]));
    expect(answers[0]).toMatch(/klopt niet|verlopen/);
    expect(answers[1]).toContain('Kies een thema uit de lijst.');
    expect(answers[2]).toContain('Kies gemeenten uit de lijst.');
    expect(answers[3]).toContain('ingekort tot 4000 tekens');
    expect(answers[4]).toMatch(/bestaat niet/);
    const after = (await bot.say(secretary, "dilemma's")).map(readable).join();
    expect(after).toBe(before);
  });

  it('says in the form and in the confirmation that Regio-breed with a municipality keeps only Regio-breed', async () => {
    const [formReply] = await bot.say(author, 'dilemma');
    expect(readable(formReply)).toContain('Kies je Regio-breed? Dan geldt het dilemma voor de hele regio. Gemeenten die je erbij kiest, tellen dan niet apart mee.');
    const save = buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!;
    const [saved] = await bot.submit(author, validForm(String(save.data.submissionId), { municipalities: 'regio,huizen', similarChecked: 'true', title: 'Regionale woonzorgvisie' }), { replyToId: 'form' });
    expect(readable(saved)).toContain('Je koos Regio-breed. Het dilemma geldt daarom voor de hele regio, niet apart voor Huizen.');
    const id = /D-\d{4}-\d{3,}/.exec(readable(saved))![0];
    const secretaryMember = (await bot.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!;
    expect((await bot.app.services.dilemmas.get({ member: secretaryMember, shared: false }, id)).dilemma.municipalities).toEqual(['regio']);
    // Without Regio-breed nothing is dropped, and nothing is said.
    const [again] = await bot.say(author, 'dilemma');
    const next = buttonsOf(again).find((b) => b.data.verb === 'dilemmaSave')!;
    const [plain] = await bot.submit(author, validForm(String(next.data.submissionId), { similarChecked: 'true', title: 'Gemeentelijke woonzorgvisie' }), { replyToId: 'form' });
    expect(readable(plain)).not.toContain('Je koos Regio-breed');
  });

  it('strips control and direction characters from a forged submit before saving, so no card is garbled', async () => {
    const id = await logDilemma(author, {
      title: 'Bouw\u0000stop \u202Eraah\u202C bij station',
      description: 'Regel een\u0007\r\nvraag\u2066 met \u200Ftekens\u0085erin.',
      similarChecked: 'true',
    });
    await bot.submit(reader, { verb: 'dilemmaRespond', submissionId: freshId(), id, responseText: 'Antwoord\u202E omgedraaid\u0000.', wantsToTalk: 'false' });
    const secretaryMember = (await bot.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!;
    const { dilemma, responses } = await bot.app.services.dilemmas.get({ member: secretaryMember, shared: false }, id);
    expect(dilemma.title).toBe('Bouwstop raah bij station');
    expect(dilemma.description).toBe('Regel een\nvraag met tekens\nerin.');
    expect(responses.map((r) => r.text)).toEqual(['Antwoord omgedraaid.']);
    const detail = JSON.stringify((await bot.say(author, `dilemma ${id}`))[0]);
    expect(detail).toContain('Bouwstop raah bij station');
    expect(detail).not.toMatch(/\\u0000|\\u202[a-eA-E]|\u202E|\u2066|\u200F/);
  });

  it("shows nothing of someone else's dilemma to a person who replays its form id", async () => {
    const [formReply] = await bot.say(author, 'dilemma');
    const submissionId = String(buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
    await bot.submit(author, validForm(submissionId, { title: 'Alleen van Marieke', visibility: 'confidential' }));
    // A text of his own, so the similar-dilemmas check has nothing to show first: this is about the replayed form id.
    const replay = await bot.submit(reader, validForm(submissionId, { title: 'Van Ruud zelf', description: 'Een eigen vraag over de speeltuin in het park.', theme: 'leefbaarheid' }));
    expect(replay.map(readable).join()).not.toContain('Alleen van Marieke');
    expect(readable(replay[0])).toContain('Van Ruud zelf');
  });

  it('sends people to their personal chat to log a dilemma from a channel', async () => {
    const [reply] = await bot.say(author, '<at>BO Wonen</at> dilemma', channel);
    expect(reply!.activity.text).toContain('persoonlijke chat');
  });

  it('is not for a gespreksleider', async () => {
    const [reply] = await bot.say(facilitator, 'dilemma');
    expect(reply!.activity.text).toContain("Dilemma's zijn voor wethouders, directeur-bestuurders en het secretariaat.");
  });
});

describe('finding and working together', () => {
  let id: string;
  beforeAll(async () => {
    id = await logDilemma(author, {
      title: 'Participátie vertraagt de planprocedure',
      description: 'Bewoners vragen om meer inspraak bij de inbreiding.',
      theme: 'participatie',
      municipalities: 'huizen',
    });
  });

  it('finds it by words without caring for case or accents, and by theme and municipality', async () => {
    expect(readable((await bot.say(reader, "dilemma's PARTICIPATIE inspraak"))[0])).toContain(id);
    expect(readable((await bot.say(reader, "dilemma's grondprijs"))[0])).not.toContain(id);
    const filtered = await bot.submit(reader, { verb: 'dilemmaList', theme: 'participatie', municipality: 'huizen', status: '', words: '' });
    expect(readable(filtered[0])).toContain(id);
    const other = await bot.submit(reader, { verb: 'dilemmaList', theme: 'stikstof', municipality: '', status: '', words: '' });
    expect(readable(other[0])).not.toContain(id);
  });

  it('opens the detail card by command, with theme, organisation and date', async () => {
    const [detail] = await bot.say(reader, `dilemma ${id.toLowerCase()}`);
    const text = detailText(detail);
    expect(text).toContain('Participátie vertraagt de planprocedure');
    expect(text).toContain('Gemeente Hilversum');
    expect(text).toContain('Participatie en lokale autonomie');
    expect(cardOf(detail)?.refresh).toBeDefined();
  });

  it('counts "herkenbaar" once per member, and a second press withdraws it', async () => {
    const first = await invoke(reader, 'dilemmaRecognise', { id, recognise: true });
    expect(first.status).toBe(200);
    expect(JSON.stringify(first.card)).toContain('1 lid herkent dit');
    expect(JSON.stringify(first.card)).toContain('Niet meer herkenbaar');
    // A double click on the same button changes nothing more.
    const double = await invoke(reader, 'dilemmaRecognise', { id, recognise: true });
    expect(JSON.stringify(double.card)).toContain('1 lid herkent dit');
    const second = await bot.submit(reader, { verb: 'dilemmaRecognise', id, recognise: false }, { replyToId: 'detail-1' });
    expect(second[0]!.method).toBe('PUT');
    expect(readable(second[0])).toContain('Nog niemand herkent dit');
    // The author does not recognise their own dilemma; the card does not offer it.
    const own = await invoke(author, 'dilemmaRecognise', { id, recognise: true });
    expect(own.text).toContain('je eigen dilemma');
    expect(JSON.stringify(cardOf((await bot.say(author, `dilemma ${id}`))[0]))).not.toContain('"Herkenbaar"');
  });

  it('counts every one of many members pressing at the same moment, none twice', async () => {
    const crowd = Array.from({ length: 12 }, (_, i) => user(100 + i, `Lid ${i}`));
    for (const u of crowd) await seed(u, 'wethouder', 'laren');
    const results = await Promise.all(crowd.map((u) => invoke(u, 'dilemmaRecognise', { id, recognise: true })));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const { dilemma } = await bot.app.services.dilemmas.get({ member: (await bot.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!, shared: false }, id);
    expect(dilemma.recognisedBy).toHaveLength(12);
    expect(new Set(dilemma.recognisedBy).size).toBe(12);
  });

  it('shows responses in order and tells the author in their personal chat', async () => {
    const mark = bot.connector.records.length;
    await bot.submit(reader, { verb: 'dilemmaRespond', submissionId: freshId(), id, responseText: 'Wij organiseren vroeg een buurtavond.', wantsToTalk: 'true' });
    await bot.submit(secretary, { verb: 'dilemmaRespond', submissionId: freshId(), id, responseText: 'Zie ook de aanpak in Laren.', wantsToTalk: 'false' });
    const notices = bot.connector.records.slice(mark).filter((r) => r.conversationId === personalChat(author).id);
    expect(notices).toHaveLength(2);
    // Who responded, and whether they want to talk further: the author knows whom to call.
    expect(readable(notices[0])).toContain(`Ruud Lezer (Dudok Wonen) reageerde op je dilemma ${id} en wil doorpraten`);
    expect(readable(notices[1])).toContain(`Sanne Secretaris (Regio Gooi en Vechtstreek) reageerde op je dilemma ${id}:`);
    expect(readable(notices[1])).not.toContain('doorpraten');
    const text = detailText((await bot.say(author, `dilemma ${id}`))[0]);
    expect(text.indexOf('buurtavond')).toBeGreaterThan(-1);
    expect(text.indexOf('buurtavond')).toBeLessThan(text.indexOf('aanpak in Laren'));
    expect(text).toContain('wil hierover doorpraten');
  });

  it('stores a response sent twice (a double click) once', async () => {
    const before = (await bot.app.services.dilemmas.get({ member: (await bot.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!, shared: false }, id)).responses.length;
    const value = { verb: 'dilemmaRespond', submissionId: freshId(), id, responseText: 'Eén keer graag.', wantsToTalk: 'false' };
    await Promise.all([bot.submit(reader, value), bot.submit(reader, value)]);
    const after = (await bot.app.services.dilemmas.get({ member: (await bot.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!, shared: false }, id)).responses;
    expect(after.length).toBe(before + 1);
  });

  it('stores the responses of two people who answer on the same channel card', async () => {
    const resolveSecretary = async () => (await bot.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!;
    const count = async () => (await bot.app.services.dilemmas.get({ member: await resolveSecretary(), shared: false }, id)).responses.length;
    const before = await count();
    const sharedCardId = freshId();
    await bot.submit(reader, { verb: 'dilemmaRespond', submissionId: sharedCardId, id, responseText: 'Van Ruud in het kanaal.', wantsToTalk: 'false' }, { conversation: channel });
    await bot.submit(secretary, { verb: 'dilemmaRespond', submissionId: sharedCardId, id, responseText: 'Van Sanne in het kanaal.', wantsToTalk: 'false' }, { conversation: channel });
    expect(await count()).toBe(before + 2);
  });

  it('answers a refresh or press by someone who is no longer a member without posting anything in the chat', async () => {
    const former = user(900, 'Oud Lid');
    await seed(former, 'wethouder', 'laren');
    await bot.say(former, 'help');
    await bot.app.services.members.removeMember((await bot.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!, { tenantId: TENANT, aadObjectId: former.aadObjectId });
    const mark = bot.connector.records.length;
    const refreshed = await invoke(former, 'dilemmaRefresh', { id });
    expect(refreshed.text).toContain('niet (meer) voor je beschikbaar');
    expect(refreshed.text).not.toContain('Participátie');
    const pressed = await invoke(former, 'dilemmaRecognise', { id, recognise: true });
    expect(pressed.text).toContain('Typ \\"hulp\\"');
    expect(bot.connector.records.length).toBe(mark);
  });

  it('keeps a response that is too long in the box instead of losing it', async () => {
    const long = 'kennis '.repeat(400);
    const [reply] = await bot.submit(reader, { verb: 'dilemmaRespond', submissionId: freshId(), id, responseText: long, wantsToTalk: 'false' });
    expect(readable(reply)).toContain('te lang');
    expect(JSON.stringify(cardOf(reply))).toContain('kennis kennis kennis');
  });

  it('lets only the secretariaat change the status, asks an outcome when discussed, and tells the author', async () => {
    const refused = await bot.submit(reader, { verb: 'dilemmaStatus', id, status: 'geagendeerd', outcome: '' });
    expect(readable(refused[0])).toBe('Dit mag alleen het secretariaat.');
    const noOutcome = await bot.submit(secretary, { verb: 'dilemmaStatus', id, status: 'besproken', outcome: ' ' });
    expect(readable(noOutcome[0])).toContain('opbrengst');

    const mark = bot.connector.records.length;
    const placed = await bot.submit(secretary, { verb: 'dilemmaStatus', id, status: 'geagendeerd', outcome: '' }, { replyToId: 'd' });
    expect(readable(placed.find((r) => r.conversationId === personalChat(secretary).id))).toContain('is nu: op de BO-agenda');
    const notices = bot.connector.records.slice(mark).filter((r) => r.conversationId === personalChat(author).id);
    expect(notices).toHaveLength(1);
    expect(readable(notices[0])).toContain(`Sanne Secretaris (Regio Gooi en Vechtstreek) zette je dilemma ${id} op de status: op de BO-agenda`);
    expect(readable((await bot.say(reader, `dilemma ${id}`))[0])).toContain('op de BO-agenda');

    // Back to "nieuw" from "besproken" skips a step back too many.
    await bot.submit(secretary, { verb: 'dilemmaStatus', id, status: 'besproken', outcome: 'Besproken in het BO.' });
    const tooFar = await bot.submit(secretary, { verb: 'dilemmaStatus', id, status: 'nieuw', outcome: '' });
    expect(readable(tooFar[0])).toContain('Zo ver terug kan de status niet');
  });

  it('lets the author edit and withdraw only while new, and nobody else', async () => {
    const own = await logDilemma(author, { title: 'Te weinig capaciteit bij de omgevingsdienst', theme: 'capaciteit' });
    const foreign = await bot.submit(reader, { verb: 'dilemmaWithdraw', id: own });
    expect(readable(foreign[0])).toContain('Dit mag alleen degene die het dilemma meldde.');
    const notNew = await bot.submit(author, { verb: 'dilemmaWithdraw', id });
    expect(readable(notNew[0])).toContain('status "nieuw"');

    const [editForm] = await bot.submit(author, { verb: 'dilemmaEdit', id: own });
    expect(JSON.stringify(cardOf(editForm))).toContain('Te weinig capaciteit');
    const save = buttonsOf(editForm).find((b) => b.data.verb === 'dilemmaSave')!;
    const edited = await bot.submit(author, { ...validForm(String(save.data.submissionId), { title: 'Te weinig capaciteit (bijgewerkt)' }), editId: own });
    expect(readable(edited[0])).toContain('bijgewerkt');
    const forgedEdit = await bot.submit(reader, { ...validForm('abcdefgh-9', { title: 'gekaapt' }), editId: own });
    expect(readable(forgedEdit[0])).toContain('Dit mag alleen degene die het dilemma meldde.');

    await bot.submit(author, { verb: 'dilemmaWithdraw', id: own });
    expect(readable((await bot.say(reader, "dilemma's capaciteit"))[0])).not.toContain(own);
  });
});

describe('a long discussion', () => {
  // Each response at the longest allowed, in markdown signs (escaped in the card, so the widest text).
  const responseText = (n: number) => `Reactie ${String(n).padStart(2, '0')} `.padEnd(LIMITS.response, '*');
  const texts = (r: Recorded | undefined) => [...readable(r).matchAll(/Reactie (\d\d) /g)].map((m) => Number(m[1]));

  it('pages 30 responses of the longest length with "Meer reacties", each page within Teams\' budget, each response once', async () => {
    const id = await logDilemma(author, { title: 'Veel *reacties* op [dit] dilemma' });
    // Through the service (one turn each would mostly measure the author's notices).
    const member = (await bot.app.services.members.resolve({ tenantId: TENANT, ...reader }))!;
    for (let n = 1; n <= 30; n++) {
      await bot.app.services.dilemmas.respond({ member, shared: false }, id, { text: responseText(n), wantsToTalk: false, submissionId: freshId() });
    }
    const [detail] = await bot.say(reader, `dilemma ${id}`);
    expect(utf16Bytes(detail!.activity)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
    // What was typed shows as typed: markdown signs are escaped, not read as bold or a link.
    expect(JSON.stringify(cardOf(detail))).toContain(JSON.stringify(literal('Veel *reacties* op [dit] dilemma')).slice(1, -1));
    expect(literal('Veel *reacties* op [dit] dilemma')).not.toBe('Veel *reacties* op [dit] dilemma');
    const seen = texts(detail);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(30);
    let more = buttonsOf(detail).find((b) => b.data.verb === 'dilemmaResponses');
    while (more) {
      const [page] = await bot.submit(reader, more.data);
      expect(utf16Bytes(page!.activity)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
      seen.push(...texts(page));
      more = buttonsOf(page).find((b) => b.data.verb === 'dilemmaResponses');
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // The answer to "Herkenbaar" (the card in place) is the detail too, within the budget.
    const pressed = await invoke(reader, 'dilemmaRecognise', { id, recognise: true });
    expect(pressed.card).toBeDefined();
    expect(utf16Bytes({ type: 'invokeResponse', value: { status: 200, body: { type: 'application/vnd.microsoft.card.adaptive', value: pressed.card } } })).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
    expect(texts({ activity: { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: pressed.card }] } } as unknown as Recorded)).toEqual(seen.slice(0, texts(detail).length));
  });
});

describe('confidential dilemmas', () => {
  let secret: string;
  beforeAll(async () => {
    secret = await logDilemma(author, {
      title: 'Vertrouwelijk: onderhandeling grondaankoop',
      description: 'Geheime onderhandeling over de prijs van grond bij het station.',
      theme: 'financiering',
      visibility: 'confidential',
    });
  });

  it('never shows it to another member, on any path', async () => {
    expect(readable((await bot.say(reader, "dilemma's"))[0])).not.toContain(secret);
    expect(readable((await bot.say(reader, "dilemma's onderhandeling"))[0])).not.toContain(secret);
    expect(readable((await bot.say(reader, `dilemma ${secret}`))[0])).toMatch(/bestaat niet/);
    expect(readable((await bot.submit(reader, { verb: 'dilemmaOpen', id: secret }))[0])).toMatch(/bestaat niet/);
    expect(readable((await bot.submit(reader, { verb: 'dilemmaRespond', submissionId: freshId(), id: secret, responseText: 'hoi', wantsToTalk: 'false' }))[0])).toMatch(/bestaat niet/);
    expect((await invoke(reader, 'dilemmaRecognise', { id: secret, recognise: true })).text).toContain('niet (meer) voor je beschikbaar');
    const refreshed = await invoke(reader, 'dilemmaRefresh', { id: secret });
    expect(refreshed.text).not.toContain('Geheime onderhandeling');
    expect(refreshed.text).toContain('niet (meer) voor je beschikbaar');
    // Changing it from outside (forged) writes nothing either.
    expect(readable((await bot.submit(reader, { verb: 'dilemmaWithdraw', id: secret }))[0])).toMatch(/bestaat niet/);
    expect(readable((await bot.submit(reader, { verb: 'dilemmaEdit', id: secret }))[0])).toMatch(/bestaat niet/);
  });

  it('shows it to the author and the secretariaat in their personal chat, but not in a channel', async () => {
    expect(readable((await bot.say(author, "dilemma's"))[0])).toContain(secret);
    expect(readable((await bot.say(secretary, `dilemma ${secret}`))[0])).toContain('Geheime onderhandeling');
    expect(readable((await bot.say(secretary, "<at>BO Wonen</at> dilemma's", channel))[0])).not.toContain(secret);
    expect(readable((await bot.say(author, `<at>BO Wonen</at> dilemma ${secret}`, channel))[0])).toMatch(/bestaat niet/);
    // Not even the secretariaat changes it from a channel, and nothing is written.
    const fromChannel = await bot.submit(secretary, { verb: 'dilemmaStatus', id: secret, status: 'geagendeerd', outcome: '' }, { conversation: channel });
    expect(readable(fromChannel[0])).toMatch(/bestaat niet/);
    expect(readable((await bot.say(secretary, `dilemma ${secret}`))[0])).toContain('nieuw');
  });
});

describe('who is in the room', () => {
  const guestChannel = { id: '19:guests@thread.tacv2;messageid=9', type: 'groupChat' as const };

  it('shows no dilemma in a shared chat that holds someone who is not a member, only a pointer to the personal chat', async () => {
    bot.connector.addToRoster(guestChannel.id, { id: '29:guest', name: 'Gast Collega', aadObjectId: 'cdcdcdcd-0000-4000-8000-000000000001', tenantId: TENANT });
    const [reply] = await bot.say(reader, "<at>BO Wonen</at> dilemma's", guestChannel);
    expect(readable(reply)).toContain('ook mensen die geen BO-lid zijn');
    expect(cardOf(reply)).toBeUndefined();
    const pressed = await bot.submit(reader, { verb: 'dilemmaList', theme: 'alle' }, { conversation: guestChannel });
    expect(readable(pressed[0])).toContain('ook mensen die geen BO-lid zijn');
  });

  it('shows the list in a shared chat where everyone is a member who may read dilemmas', async () => {
    const membersOnly = { id: '19:members@thread.tacv2;messageid=9', type: 'groupChat' as const };
    await bot.say(author, '<at>BO Wonen</at> hulp', membersOnly);
    const [reply] = await bot.say(reader, "<at>BO Wonen</at> dilemma's", membersOnly);
    expect(cardOf(reply)).toBeDefined();
    expect(readable(reply)).not.toContain('geen BO-lid');
  });

  it('shows nothing when Teams cannot say who is in the chat, and says why in one sentence', async () => {
    const slowTeams = { id: '19:slow@thread.tacv2;messageid=9', type: 'groupChat' as const };
    bot.connector.rostersFailing.add(slowTeams.id);
    const [reply] = await bot.say(reader, "<at>BO Wonen</at> dilemma's", slowTeams);
    expect(readable(reply)).toBe('Ik kan nu niet nagaan wie er in dit gesprek zitten. Daarom laat ik hier niets zien. Kijk in je persoonlijke chat met BO Wonen, of probeer het straks opnieuw.');
    expect(cardOf(reply)).toBeUndefined();
    const pressed = await bot.submit(reader, { verb: 'dilemmaList', theme: 'alle' }, { conversation: slowTeams });
    expect(cardOf(pressed[0])).toBeUndefined();
    expect(readable(pressed[0])).toContain('niet nagaan wie er in dit gesprek zitten');
  });

  it('shows nothing in a chat with someone Teams cannot name (a guest without an account)', async () => {
    const withAnonymous = { id: '19:anonymous@thread.tacv2;messageid=9', type: 'groupChat' as const };
    await bot.say(author, '<at>BO Wonen</at> hulp', withAnonymous);
    bot.connector.addToRoster(withAnonymous.id, { id: '29:anonymous', name: 'Anonieme deelnemer' });
    const [reply] = await bot.say(reader, "<at>BO Wonen</at> dilemma's", withAnonymous);
    expect(cardOf(reply)).toBeUndefined();
    expect(readable(reply)).toContain('niet nagaan wie er in dit gesprek zitten');
  });

  it('does not show a withdrawn dilemma in a shared chat, not even to its author', async () => {
    const membersOnly = { id: '19:authors@thread.tacv2;messageid=9', type: 'groupChat' as const };
    const [form] = await bot.say(author, 'dilemma');
    const submissionId = String(buttonsOf(form).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
    const saved = await bot.submit(author, validForm(submissionId, { title: 'Ingetrokken voorbeeld' }));
    const id = /D-\d{4}-\d{3}/.exec(readable(saved[0]))![0];
    await bot.submit(author, { verb: 'dilemmaWithdraw', id });
    expect(readable((await bot.say(author, `dilemma ${id}`))[0])).toContain('Ingetrokken voorbeeld');
    const [shared] = await bot.say(author, `<at>BO Wonen</at> dilemma ${id}`, membersOnly);
    expect(readable(shared)).not.toContain('Ingetrokken voorbeeld');
  });
});
