// "Wie weet wat" through the Microsoft 365 Agents Playground, as the issue's "done when" asks: `wie weet
// grondprijs`, `mijn expertise` (themes and own words saved), the detail card's "Wie weet hier iets van?", and a
// new dilemma that looks like one already shared ("Lijkt op …", "Herkenbaar", "Toch opslaan", nothing typed lost).
import type { RunningApp } from '../../src/app';
import type { Member } from '../../src/features/members/model';
import { readPlaygroundFile, registerPlaygroundChats, type PlaygroundHandle, type PlaygroundPerson } from '../../scripts/playground';
import { asSomeone, playgroundPost, startPlaygroundSession, textOf, type Frame, type PlaygroundSession } from '../helpers/playground';

const file = readPlaygroundFile();
let session: PlaygroundSession;
let app: RunningApp;
let playground: PlaygroundHandle;
let people: PlaygroundPerson[] = [];
let frames: Frame[] = [];
/** The dilemma Joost shared about the land price, which Fatima answered. */
let land: string;

const chat = () => file.personalChat.id;
const cardOf = (f: Frame | undefined) => f?.message?.attachments?.[0]?.content;

/** Marieke (the Playground's own user) types in her personal chat. */
const type = (text: string) =>
  playgroundPost(playground, `/_conversation/v1/conversations/${encodeURIComponent(chat())}/messages`, { from: { id: file.currentUser.id }, text, textFormat: 'plain' });

/** Marieke presses a button on a card: Teams sends the button's data with the values of the card's inputs. */
const press = (on: Frame, data: Record<string, unknown>) => {
  const inputs: Record<string, unknown> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') inputs[o.id] = o.value ?? '';
      Object.values(o).forEach(walk);
    }
  };
  walk(cardOf(on));
  return playgroundPost(playground, '/_conversation/v1/submit', {
    conversation: { id: chat() },
    from: { id: file.currentUser.id },
    replyToId: on.message!.messageId,
    value: { ...inputs, ...data },
  });
};

/** Every Action.Submit on a card, with its title and data. */
const buttons = (f: Frame | undefined): Array<{ title: string; data: Record<string, unknown> }> => {
  const found: Array<{ title: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Submit') found.push({ title: String(o.title), data: o.data as Record<string, unknown> });
      Object.values(o).forEach(walk);
    }
  };
  walk(cardOf(f));
  return found;
};

/** The names on a people card, in order (each person's line starts with the name in bold). */
const namesOn = (f: Frame | undefined) => [...textOf(f).matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!);
const mine = (fs: Frame[]) => fs.filter((f) => f.actionConversationId === chat());

async function member(name: string): Promise<Member> {
  const user = [file.currentUser, ...file.users].find((u) => u.name === name)!;
  return (await app.services.members.resolve({ tenantId: file.tenantId, aadObjectId: user.aadObjectId, name }))!;
}

beforeAll(async () => {
  session = await startPlaygroundSession({ env: { SCHEDULER: 'off', EXPERTISE_REFRESH_MS: '0' } });
  ({ app, playground, frames } = session);
  people = await registerPlaygroundChats(app.services.references, playground.port);
  // Joost (wethouder, Huizen) shared a dilemma about the land price; Fatima (Dudok Wonen) answered and wants to talk.
  const joost = await member('Joost Verbeek');
  const fatima = await member('Fatima El Amrani');
  const saved = await app.services.dilemmas.create(
    joost,
    {
      title: 'Grondprijs maakt sociale huur onhaalbaar',
      description: 'De gemeente rekent een residuele grondwaarde voor de kavel. Zo krijgen we de sociale huurwoningen niet rond.',
      theme: 'financiering',
      municipalities: ['huizen'],
      relatedPlan: '',
      visibility: 'members',
      wantsAgenda: false,
    },
    'playground-expertise-land',
  );
  if (saved.status !== 'saved') throw new Error(`seed dilemma not saved: ${saved.status}`);
  land = saved.dilemma.id;
  await app.services.dilemmas.respond({ member: fatima, shared: false }, land, { text: 'Wij rekenen met een vaste grondprijs per sociale huurwoning. Bel me.', wantsToTalk: true, submissionId: 'playground-expertise-answer' });
  // Fatima opens "mijn expertise" in her own chat once: the bot asks Teams for her sign-in name there (the chat link).
  const fatimaChat = people.find((p) => p.name === 'Fatima El Amrani')!;
  const fatimaUser = file.users.find((u) => u.name === 'Fatima El Amrani')!;
  await asSomeone(playground, file, fatimaUser, { id: fatimaChat.conversationId, conversationType: 'personal' }, { text: 'mijn expertise' });
  const deadline = Date.now() + 15_000;
  while (!(await app.services.expertise.profile(fatima)).upn && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}, 90_000);

afterAll(async () => {
  await session?.stop();
});

it('answers "wie weet grondprijs" with who responded, their organisation and role, why, and a chat button', async () => {
  const mark = frames.length;
  await type('wie weet grondprijs');
  const [answer] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes('Wie weet iets van grondprijs?')), mark, 'wie weet answer'));
  expect(namesOn(answer)).toEqual(['Fatima El Amrani', 'Joost Verbeek']);
  const text = textOf(answer);
  expect(text).toContain('Dudok Wonen · directeur-bestuurder');
  expect(text).toContain('Reageerde op 1 dilemma over grondprijs');
  expect(text).toContain('Wil graag doorpraten over grondprijs');
  expect(text).toContain('Deelde 1 dilemma over grondprijs');
  // Fatima's sign-in name came from Teams (the Playground) in her own chat: her button opens a Teams chat with her.
  expect(text).toContain('Chat met Fatima El Amrani');
  expect(text).toContain('https://teams.microsoft.com/l/chat/0/0?users=fatima.elamrani%40dudok.example.nl');
  // Joost never opened his chat: no sign-in name known, so the card says how to find him.
  expect(text).toContain('Zoek Joost Verbeek in Teams om te chatten.');
});

it('saves "mijn expertise" with themes and own words, and shows them when opened again', async () => {
  let mark = frames.length;
  await type('mijn expertise');
  const [profile] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes('Mijn expertise')), mark, 'profile card'));
  const save = buttons(profile).find((b) => b.data.verb === 'expertiseSave')!;
  expect(save.title).toBe('Opslaan');

  mark = frames.length;
  await press(profile!, { ...save.data, themes: 'financiering,participatie', words: 'erfpacht, grondbeleid', findable: 'true' });
  const [saved] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes('Je expertise is opgeslagen.')), mark, 'saved profile'));
  expect(saved!.action).toBe('updateMessage');

  mark = frames.length;
  await type('mijn expertise');
  const [again] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes('Mijn expertise')), mark, 'profile card again'));
  const inputs = JSON.stringify(cardOf(again));
  expect(inputs).toContain('"value":"financiering,participatie"');
  expect(inputs).toContain('"value":"erfpacht, grondbeleid"');
  expect(inputs).toMatch(/"id":"findable"[^}]*"value":"true"/);
});

it('names who knows about a dilemma from its detail card, without its author', async () => {
  let mark = frames.length;
  await type(`dilemma ${land}`);
  const [detail] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes('Grondprijs maakt sociale huur onhaalbaar')), mark, 'detail card'));
  const button = buttons(detail).find((b) => b.data.verb === 'expertiseWhoKnows')!;
  expect(button.title).toBe('Wie weet hier iets van?');

  mark = frames.length;
  await press(detail!, button.data);
  const [answer] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes(`Wie weet iets van ${land}?`)), mark, 'people for the dilemma'));
  expect(namesOn(answer)).toEqual(['Fatima El Amrani']);
  expect(textOf(answer)).toContain('Reageerde op 1 dilemma');
});

it('shows a similar dilemma before saving a new one, lets it be recognised, and saves on "Toch opslaan" with nothing typed lost', async () => {
  const typed = {
    title: 'Kavelprijs te hoog voor corporatiewoningen',
    description: 'De kavelprijs die de gemeente vraagt ligt op het niveau van koopwoningen. Daarmee rekenen wij de huurwoningen niet rond.',
  };
  let mark = frames.length;
  await type('dilemma');
  const [form] = mine(await session.waitFor((fs) => mine(fs).some((f) => buttons(f).some((b) => b.data.verb === 'dilemmaSave')), mark, 'dilemma form'));
  const save = buttons(form).find((b) => b.data.verb === 'dilemmaSave')!;
  const before = (await app.services.dilemmas.everyDilemma()).length;

  mark = frames.length;
  await press(form!, { ...save.data, ...typed, theme: 'financiering', municipalities: 'hilversum', relatedPlan: '', visibility: 'members', wantsAgenda: 'false' });
  const [similar] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes('Lijkt op')), mark, 'similar dilemmas'));
  expect(textOf(similar)).toContain(`Lijkt op ${land}: Grondprijs maakt sociale huur onhaalbaar`);
  // Nothing is saved yet, and what Marieke typed is on the card, ready to change or save.
  expect((await app.services.dilemmas.everyDilemma()).length).toBe(before);
  expect(JSON.stringify(cardOf(similar))).toContain(JSON.stringify(typed.description));
  const recognise = buttons(similar).find((b) => b.data.verb === 'expertiseRecognise' && b.data.id === land)!;
  expect(recognise.title).toBe('Herkenbaar');
  expect(buttons(similar).find((b) => b.data.verb === 'dilemmaSave')?.title).toBe('Toch opslaan');

  mark = frames.length;
  await press(similar!, recognise.data);
  const [recognised] = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes(`Je herkent ${land}.`)), mark, 'recognised'));
  expect((await app.services.dilemmas.everyDilemma()).find((d) => d.id === land)!.recognisedBy).toHaveLength(1);
  expect(JSON.stringify(cardOf(recognised))).toContain(JSON.stringify(typed.title));

  mark = frames.length;
  await press(recognised!, buttons(recognised).find((b) => b.data.verb === 'dilemmaSave')!.data);
  const after = mine(await session.waitFor((fs) => mine(fs).some((f) => textOf(f).includes('Deze leden weten hier iets van')), mark, 'saved and who knows'));
  const id = /D-\d{4}-\d{3,}/.exec(textOf(after.find((f) => !textOf(f).includes('Deze leden'))))?.[0];
  expect(id).toBeDefined();
  expect(id).not.toBe(land);
  const stored = (await app.services.dilemmas.everyDilemma()).find((d) => d.id === id)!;
  expect(stored).toMatchObject({ title: typed.title, description: typed.description, theme: 'financiering', municipalities: ['hilversum'] });
  const who = after.find((f) => textOf(f).includes('Deze leden weten hier iets van'));
  expect(namesOn(who)).toContain('Fatima El Amrani');
  expect(namesOn(who)).not.toContain('Marieke van Dalen');
});

it('keeps the room rule in the group chat: with a gespreksleider there, nobody gets an answer', async () => {
  const joost = file.users.find((u) => u.name === 'Joost Verbeek')!;
  const mark = frames.length;
  await asSomeone(playground, file, joost, { id: file.groupChat.id, conversationType: 'groupChat' }, { text: '<at>BO Wonen</at> wie weet grondprijs' });
  const [reply] = (await session.waitFor((fs) => fs.some((f) => f.actionConversationId === file.groupChat.id), mark, 'group chat answer')).filter(
    (f) => f.actionConversationId === file.groupChat.id,
  );
  expect(textOf(reply)).toContain('Niet iedereen in dit gesprek is BO-lid. Vraag het mij in een persoonlijke chat.');
  expect(textOf(reply)).not.toContain('Fatima El Amrani');
});
