// "wie weet wat" end to end over real HTTP and Azurite: the command, the detail button, mijn expertise, the
// similar-dilemmas check before saving, and that nothing a person may not see shows up in an answer or its why.
import { startTestBot, personalChat, channel, cardOf, readable, buttonsOf, TENANT, type TestBot, type TestUser } from '../helpers/harness';
import type { Recorded } from '../helpers/connector';
import type { Role } from '../../src/features/members/model';

let bot: TestBot;

const user = (n: number, name: string): TestUser => ({ aadObjectId: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`, name });
const asker = user(1, 'Anna Vrager');
const expert = user(2, 'Bram Kenner');
const author = user(3, 'Carla Schrijver');
const secretary = user(4, 'Sanne Secretaris');
const hidden = user(5, 'Dirk Stil');
const insider = user(6, 'Eva Binnen');

async function seed(u: TestUser, role: Role, organisationId: string) {
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId, role }]);
}

const form = (submissionId: string, fields: Record<string, string>) => ({
  verb: 'dilemmaSave',
  submissionId,
  title: '',
  description: '',
  theme: 'financiering',
  municipalities: 'hilversum',
  relatedPlan: '',
  visibility: 'members',
  wantsAgenda: 'false',
  ...fields,
});

async function submitForm(u: TestUser, fields: Record<string, string>): Promise<Recorded[]> {
  const [formReply] = await bot.say(u, 'dilemma');
  const save = buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!;
  return bot.submit(u, form(String(save.data.submissionId), fields), { replyToId: 'form' });
}

async function logDilemma(u: TestUser, fields: Record<string, string>): Promise<string> {
  const replies = await submitForm(u, fields);
  const id = /D-\d{4}-\d{3,}/.exec(readable(replies[0]))?.[0];
  if (!id) throw new Error(`no dilemma id in: ${readable(replies[0])}`);
  return id;
}

async function respond(u: TestUser, id: string, wantsToTalk: boolean) {
  await bot.submit(u, { verb: 'dilemmaRespond', id, submissionId: `resp-${Math.random().toString(36).slice(2, 12)}`, responseText: 'Wij hebben dit opgelost.', wantsToTalk: String(wantsToTalk) });
}

/** What Teams sends for a button: its data, with the values of the card's inputs. */
function press(record: Recorded | undefined, data: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') inputs[o.id] = o.value ?? '';
      Object.values(o).forEach(walk);
    }
  };
  walk(cardOf(record));
  return { ...inputs, ...data };
}

/** The names on a people card, in order. */
const namesOn = (r: Recorded | undefined) => [...readable(r).matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!);

let land: string;
let nitrogen: string;

beforeAll(async () => {
  bot = await startTestBot({ BOOTSTRAP_ADMINS: '', EXPERTISE_REFRESH_MS: '0' });
  await seed(asker, 'wethouder', 'hilversum');
  await seed(expert, 'directeur-bestuurder', 'dudok-wonen');
  await seed(author, 'wethouder', 'huizen');
  await seed(secretary, 'secretariaat', 'regio-gooi-en-vechtstreek');
  await seed(hidden, 'directeur-bestuurder', 'ymere');
  await seed(insider, 'wethouder', 'laren');
  land = await logDilemma(author, {
    title: 'Grondprijs maakt sociale huur onhaalbaar',
    description: 'De gemeente rekent een residuele grondwaarde. Daarmee krijgen we de sociale huurwoningen niet rond.',
  });
  await respond(expert, land, true);
  // A confidential dilemma: only its author and the secretariaat see it; the secretariaat responds.
  nitrogen = await logDilemma(insider, {
    title: 'Stikstofruimte voor onze woonwijk',
    description: 'De AERIUS-berekening laat depositie zien op Natura 2000. Wie kent extern salderen?',
    theme: 'stikstof',
    visibility: 'confidential',
  });
  await respond(secretary, nitrogen, true);
  // Teams gives the expert's sign-in name when the bot asks in their own chat.
  bot.connector.userPrincipalNames.set(`29:${expert.aadObjectId}`, 'bram.kenner@dudokwonen.example');
  await bot.say(expert, 'mijn expertise');
});
afterAll(async () => {
  await bot.stop();
});

describe('wie weet', () => {
  it('names who responded on a topic in other words, with organisation, role, why, and a chat link', async () => {
    const [reply] = await bot.say(asker, 'wie weet kavelprijs');
    const text = readable(reply);
    expect(namesOn(reply)[0]).toBe('Bram Kenner');
    expect(text).toContain('Dudok Wonen');
    expect(text).toContain('directeur-bestuurder');
    expect(text).toContain('Reageerde op 1 dilemma over grondprijs');
    expect(text).toContain('Wil graag doorpraten over grondprijs');
    expect(text).toMatch(/Deelde 1 dilemma over grondprijs/);
    const link = JSON.stringify(cardOf(reply)).match(/https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=[^"]+/)?.[0];
    expect(link).toBe('https://teams.microsoft.com/l/chat/0/0?users=bram.kenner%40dudokwonen.example');
  });

  it('never suggests the person asking', async () => {
    const [reply] = await bot.say(expert, 'wie weet grondprijs');
    expect(namesOn(reply)).not.toContain('Bram Kenner');
    expect(namesOn(reply)).toContain('Carla Schrijver');
  });

  it('does not use a confidential dilemma the asker may not see, neither for who nor for why', async () => {
    const [reply] = await bot.say(asker, 'wie weet stikstof');
    expect(namesOn(reply)).not.toContain('Sanne Secretaris');
    expect(namesOn(reply)).not.toContain('Eva Binnen');
    expect(readable(reply)).toContain('Ik vind nog niemand');
    // The author herself sees her dilemma, and who responded to it.
    const [own] = await bot.say(insider, 'wie weet stikstof');
    expect(namesOn(own)).toEqual(['Sanne Secretaris']);
  });

  it('asks what about when no topic is given', async () => {
    const [reply] = await bot.say(asker, 'wie weet');
    expect(readable(reply)).toContain('Waar wil je iets over weten?');
  });
});

describe('the detail button', () => {
  it('is on the detail card and names who knows, but not the author of that dilemma', async () => {
    const [detail] = await bot.submit(asker, { verb: 'dilemmaOpen', id: land });
    const button = buttonsOf(detail).find((b) => b.data.verb === 'expertiseWhoKnows');
    expect(button?.title).toBe('Wie weet hier iets van?');
    const [reply] = await bot.submit(asker, button!.data);
    expect(readable(reply)).toContain(`Wie weet iets van ${land}?`);
    expect(namesOn(reply)).toEqual(['Bram Kenner']);
  });

  it('answers a forged id of a dilemma the asker may not see as if it did not exist', async () => {
    const [reply] = await bot.submit(asker, { verb: 'expertiseWhoKnows', id: nitrogen });
    expect(readable(reply)).not.toContain('Sanne Secretaris');
    expect(readable(reply)).not.toContain(nitrogen);
  });
});

describe('mijn expertise', () => {
  it('makes a member findable on their own words, and not at all once they choose so', async () => {
    const [card] = await bot.say(hidden, 'mijn expertise');
    expect(readable(card)).toContain('Mijn expertise');
    const [saved] = await bot.submit(hidden, { verb: 'expertiseSave', themes: 'participatie', words: 'erfpacht, grondbeleid', findable: 'true' });
    expect(readable(saved)).toContain('Je expertise is opgeslagen.');
    const [found] = await bot.say(asker, 'wie weet erfpacht');
    expect(namesOn(found)).toEqual(['Dirk Stil']);
    expect(readable(found)).toContain('Noemt zelf: erfpacht');
    const [byTheme] = await bot.say(asker, 'wie weet inspraak van bewoners');
    expect(readable(byTheme)).toContain('Noemt zelf: Participatie en lokale autonomie');

    await bot.submit(hidden, { verb: 'expertiseSave', themes: 'participatie', words: 'erfpacht, grondbeleid', findable: 'false' });
    const [gone] = await bot.say(asker, 'wie weet erfpacht');
    expect(namesOn(gone)).not.toContain('Dirk Stil');
  });

  it('refuses too many themes with a clear sentence and keeps the words typed', async () => {
    const [reply] = await bot.submit(hidden, { verb: 'expertiseSave', themes: 'participatie,stikstof,capaciteit,stapeling,procedures,leefbaarheid', words: 'woningsplitsing', findable: 'true' });
    expect(readable(reply)).toContain("Kies maximaal 5 thema's.");
    expect(JSON.stringify(cardOf(reply))).toContain('woningsplitsing');
  });

  it('keeps hidden direction and control characters out of the words others read', async () => {
    // U+202E turns the rest of a line around on screen: "erfpacht" would show as a different word in someone's list.
    await bot.submit(hidden, { verb: 'expertiseSave', themes: 'participatie', words: 'grond\u202ebeleid\u0007, erfpacht', findable: 'true' });
    const [found] = await bot.say(asker, 'wie weet grondbeleid');
    expect(readable(found)).toContain('Noemt zelf: grondbeleid');
    const [profile] = await bot.say(hidden, 'mijn expertise');
    expect(JSON.stringify(cardOf(profile))).toContain('"grondbeleid, erfpacht"');
  });

  it('is part of mijn gegevens, and goes with verwijder mijn gegevens', async () => {
    const person = { tenantId: TENANT, aadObjectId: hidden.aadObjectId };
    const exported = await bot.app.services.privacy.exportAll(person);
    expect(JSON.stringify(exported)).toContain('grondbeleid');
    const [confirm] = await bot.say(hidden, 'verwijder mijn gegevens');
    await bot.submit(hidden, buttonsOf(confirm).find((b) => b.data.verb === 'privacyErase')!.data);
    const after = await bot.app.services.privacy.exportAll(person);
    expect(JSON.stringify(after)).not.toContain('grondbeleid');
  });
});

describe('similar dilemmas before saving', () => {
  const typed = {
    title: 'Kavelprijs te hoog voor corporatiewoningen',
    description: 'De kavelprijs die de gemeente vraagt ligt op het niveau van koopwoningen. Daarmee rekenen wij de huurwoningen niet rond.',
  };

  it('shows the nearest ones first, keeps what was typed, lets one be recognised, and saves on "Toch opslaan"', async () => {
    const before = (await bot.app.services.dilemmas.everyDilemma()).length;
    const [similar] = await submitForm(asker, typed);
    expect(readable(similar)).toContain(`Lijkt op ${land}: Grondprijs maakt sociale huur onhaalbaar`);
    expect((await bot.app.services.dilemmas.everyDilemma()).length).toBe(before);

    const recognise = buttonsOf(similar).find((b) => b.data.verb === 'expertiseRecognise' && b.data.id === land)!;
    expect(recognise.title).toBe('Herkenbaar');
    const [again] = await bot.submit(asker, press(similar, recognise.data));
    expect(readable(again)).toContain(`Je herkent ${land}.`);
    const land1 = (await bot.app.services.dilemmas.everyDilemma()).find((d) => d.id === land)!;
    expect(land1.recognisedBy.length).toBe(1);

    const save = buttonsOf(again).find((b) => b.data.verb === 'dilemmaSave')!;
    expect(save.title).toBe('Toch opslaan');
    expect(press(again, save.data)).toMatchObject({ title: typed.title, description: typed.description, theme: 'financiering' });
    const replies = await bot.submit(asker, press(again, save.data));
    const id = /D-\d{4}-\d{3,}/.exec(readable(replies[0]))?.[0];
    expect(id).toBeDefined();
    const stored = (await bot.app.services.dilemmas.everyDilemma()).find((d) => d.id === id)!;
    expect(stored.description).toBe(typed.description);
    // After saving: who knows about it (the expert responded on the similar one; the asker is left out).
    expect(readable(replies[1])).toContain('Deze leden weten hier iets van');
    expect(namesOn(replies[1])).toContain('Bram Kenner');
    expect(namesOn(replies[1])).not.toContain('Anna Vrager');
  });

  it('never shows a confidential dilemma of someone else as similar', async () => {
    const replies = await submitForm(asker, {
      title: 'Stikstofruimte voor woonwijk',
      description: 'Onze AERIUS-berekening laat depositie op Natura 2000 zien. Wie kent extern salderen?',
      theme: 'stikstof',
    });
    expect(readable(replies[0])).not.toContain(nitrogen);
    expect(readable(replies[0])).toMatch(/D-\d{4}-\d{3,}/);
  });

  it('saves at once when nothing is similar', async () => {
    const replies = await submitForm(asker, { title: 'Speeltuin in het park', description: 'De toestellen zijn oud en kinderen willen nieuwe.', theme: 'leefbaarheid' });
    expect(readable(replies[0])).not.toContain('Lijkt op');
    expect(readable(replies[0])).toMatch(/D-\d{4}-\d{3,}/);
  });
});

describe('in a channel', () => {
  it('answers only when everyone there is a member, and then never from confidential dilemmas', async () => {
    const [reply] = await bot.say(insider, '<at>BO Wonen</at> wie weet stikstof', channel);
    // An answer, not a refusal: only from what the whole channel may see, so not from her own confidential one.
    expect(readable(reply)).toContain('Wie weet iets van stikstof?');
    expect(readable(reply)).not.toContain('Sanne Secretaris');
    expect(readable(reply)).not.toContain('Reageerde op');
  });

  it('answers nobody in a group chat with someone who is not a member, not even by the detail button', async () => {
    const room = { id: '19:expertise-with-guest@thread.v2', type: 'groupChat' as const };
    bot.connector.addToRoster(room.id, { id: '29:guest-expertise', name: 'Gast Buiten', aadObjectId: 'dddddddd-0000-4000-8000-000000000009', tenantId: TENANT });
    const [reply] = await bot.say(asker, '<at>BO Wonen</at> wie weet grondprijs', room);
    expect(readable(reply)).toContain('Niet iedereen in dit gesprek is BO-lid');
    expect(readable(reply)).not.toContain('Bram Kenner');
    const [pressed] = await bot.submit(asker, { verb: 'expertiseWhoKnows', id: land }, { conversation: room });
    expect(readable(pressed)).toContain('Niet iedereen in dit gesprek is BO-lid');
    expect(readable(pressed)).not.toContain('Bram Kenner');
  });
});

describe('what counts, from outside', () => {
  it('counts only the dilemmas the asker may see in the why: a response to a confidential one is not counted', async () => {
    // Sanne responded to Eva's confidential dilemma; now also to one about nitrogen that everyone may see.
    const open = await logDilemma(author, {
      title: 'Stikstof remt de bouw van onze wijk',
      description: 'Door de depositie op Natura 2000 ligt de vergunning stil. Wie weet hoe extern salderen werkt?',
      theme: 'stikstof',
    });
    await respond(secretary, open, false);
    const [reply] = await bot.say(asker, 'wie weet stikstof');
    expect(namesOn(reply)).toContain('Sanne Secretaris');
    expect(readable(reply)).toContain('Reageerde op 1 dilemma over stikstof');
    expect(readable(reply)).not.toContain("Reageerde op 2 dilemma's");
    expect(namesOn(reply)).not.toContain('Eva Binnen');
    // Eva sees her own, so for her Sanne responded to two.
    const [own] = await bot.say(insider, 'wie weet stikstof');
    expect(readable(own)).toContain("Reageerde op 2 dilemma's over stikstof");
  });

  it('never uses a withdrawn dilemma: not for who, not for why, not as similar, not by its button', async () => {
    const parking = await logDilemma(author, {
      title: 'Parkeernorm maakt de wijk te duur',
      description: 'De parkeernorm vraagt een garage onder elk blok. Dat maakt bouwen veel te duur.',
      theme: 'procedures',
    });
    await respond(expert, parking, true);
    const [before] = await bot.say(asker, 'wie weet parkeernorm');
    expect(namesOn(before)).toEqual(['Bram Kenner', 'Carla Schrijver']);

    const [detail] = await bot.submit(author, { verb: 'dilemmaOpen', id: parking });
    const withdraw = buttonsOf(detail).find((b) => b.data.verb === 'dilemmaWithdraw');
    expect(withdraw).toBeDefined();
    await bot.submit(author, withdraw!.data);
    expect((await bot.app.services.dilemmas.everyDilemma()).find((d) => d.id === parking)?.status).toBe('ingetrokken');

    const [after] = await bot.say(asker, 'wie weet parkeernorm');
    expect(namesOn(after)).toEqual([]);
    expect(readable(after)).toContain('Ik vind nog niemand');
    // The secretariaat may still open a withdrawn dilemma, but it no longer counts for who knows.
    const [forSecretary] = await bot.say(secretary, 'wie weet parkeernorm');
    expect(namesOn(forSecretary)).toEqual([]);
    const [pressed] = await bot.submit(asker, { verb: 'expertiseWhoKnows', id: parking });
    expect(readable(pressed)).not.toContain('Bram Kenner');
    const replies = await submitForm(asker, {
      title: 'Parkeernorm maakt onze wijk te duur',
      description: 'De parkeernorm vraagt een garage onder elk blok. Bouwen wordt dan veel te duur.',
      theme: 'procedures',
    });
    expect(readable(replies[0])).not.toContain(parking);
    expect(readable(replies[0])).not.toContain('Lijkt op');
  });

  it('never suggests the dilemma\'s author on their own dilemma, nor the one asking', async () => {
    // Carla logged the land-price dilemma and Bram responded to it: each presses its button in turn.
    const [forAuthor] = await bot.submit(author, { verb: 'expertiseWhoKnows', id: land });
    expect(namesOn(forAuthor)).not.toContain('Carla Schrijver');
    expect(namesOn(forAuthor)).toContain('Bram Kenner');
    const [forExpert] = await bot.submit(expert, { verb: 'expertiseWhoKnows', id: land });
    expect(namesOn(forExpert)).not.toContain('Bram Kenner');
    expect(namesOn(forExpert)).not.toContain('Carla Schrijver');
  });
});
