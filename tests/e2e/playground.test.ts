// Through the Microsoft 365 Agents Playground's own HTTP/WebSocket API: install, `help`, read the card, press a button.
import { Writable } from 'node:stream';
import pino from 'pino';
import type { RunningApp } from '../../src/app';
import { noticeLine, readPlaygroundFile, registerPlaygroundChats, type PlaygroundHandle, type PlaygroundPerson } from '../../scripts/playground';
import { asSomeone, playgroundPost, startPlaygroundSession, type Frame, type PlaygroundSession } from '../helpers/playground';

const file = readPlaygroundFile();
let session: PlaygroundSession;
let app: RunningApp;
let playground: PlaygroundHandle;
let people: PlaygroundPerson[];
let frames: Frame[] = [];
// The bot's log at info level, to see where proactive messages went (the Playground shows only the current user's chats).
const logRecords: Array<Record<string, unknown>> = [];

/** The first `count` bot messages from index `from` (new or updated). */
const nextFrames = (count: number, from: number) => session.waitFor((fs) => fs.length >= count, from, `${count} bot messages`);
const api = (pathname: string, body: unknown) => playgroundPost(playground, pathname, body);

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logRecords.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  session = await startPlaygroundSession({ log: pino({ level: 'info' }, sink) });
  ({ app, playground, frames } = session);
  // As npm start does: everyone gets their own personal chat, registered as where the bot reaches them.
  people = await registerPlaygroundChats(app.services.references, playground.port);
}, 60_000);

afterAll(async () => {
  await session?.stop();
});

const chat = () => file.personalChat.id;

it('greets on install and shows the Dutch welcome card on help', async () => {
  const start = frames.length;
  await api(`/_debug/conversation/${encodeURIComponent(chat())}/installation`, {});
  const [welcome] = await nextFrames(1, start);
  expect(welcome!.message?.text).toContain('Typ "hulp"');

  const before = frames.length;
  await api(`/_conversation/v1/conversations/${encodeURIComponent(chat())}/messages`, {
    from: { id: file.currentUser.id },
    text: 'help',
    textFormat: 'plain',
  });
  const [reply] = await nextFrames(1, before);
  const card = reply!.message?.attachments?.[0]?.content;
  expect(card?.type).toBe('AdaptiveCard');
  expect(JSON.stringify(card)).toContain('Welkom bij BO Wonen');
  expect(JSON.stringify(card)).toContain(file.currentUser.name);
  // A wethouder is not secretariaat: no management button.
  expect(JSON.stringify(card)).not.toContain('"Beheer"');
});

it('answers a press on a card button like the typed command', async () => {
  const before = frames.length;
  await api(`/_conversation/v1/conversations/${encodeURIComponent(chat())}/messages`, {
    from: { id: file.currentUser.id },
    text: 'iets onbekends',
    textFormat: 'plain',
  });
  const [hint] = await nextFrames(1, before);
  expect(JSON.stringify(hint!.message?.attachments?.[0]?.content)).toContain('Dat begrijp ik niet');

  const afterHint = frames.length;
  await api('/_conversation/v1/submit', {
    conversation: { id: chat() },
    from: { id: file.currentUser.id },
    replyToId: hint!.message!.messageId,
    value: { verb: 'command', command: 'help' },
  });
  const [menu] = await nextFrames(1, afterHint);
  expect(JSON.stringify(menu!.message?.attachments?.[0]?.content)).toContain('Welkom bij BO Wonen');
});

/** The Playground always sends as its current user; other people speak in the group chat through its custom-activity API. */
const asUser = (user: { id: string; name: string; aadObjectId: string }, fields: Record<string, unknown>) =>
  asSomeone(playground, file, user, { id: file.groupChat.id, conversationType: 'groupChat' }, fields);

it('lets a member log a dilemma that another finds, recognises and answers, and the secretariaat places on the agenda', async () => {
  const joost = file.users.find((u) => u.name === 'Joost Verbeek')!;
  const pieter = file.users.find((u) => u.name === 'Pieter de Graaf')!;
  const cardJson = (f: Frame | undefined) => JSON.stringify(f?.message?.attachments?.[0]?.content ?? f?.message?.text ?? '');

  // Marieke logs it in her personal chat.
  let mark = frames.length;
  await api(`/_conversation/v1/conversations/${encodeURIComponent(chat())}/messages`, {
    from: { id: file.currentUser.id },
    text: 'dilemma',
    textFormat: 'plain',
  });
  const [formFrame] = await nextFrames(1, mark);
  const submissionId = /"submissionId":"([^"]+)"/.exec(cardJson(formFrame))![1];
  mark = frames.length;
  await api('/_conversation/v1/submit', {
    conversation: { id: chat() },
    from: { id: file.currentUser.id },
    replyToId: formFrame!.message!.messageId,
    value: {
      verb: 'dilemmaSave',
      submissionId,
      title: 'Netcongestie stopt de bouw aan de Oostereng',
      description: 'De netbeheerder kan pas in 2029 aansluiten. Wie heeft een tijdelijke oplossing gevonden?',
      theme: 'netcongestie',
      municipalities: 'hilversum',
      relatedPlan: 'Oostereng',
      visibility: 'members',
      wantsAgenda: 'true',
    },
  });
  const [saved] = await nextFrames(1, mark);
  expect(saved!.action).toBe('updateMessage');
  const id = /D-\d{4}-\d{3}/.exec(cardJson(saved))![0];

  // The group chat holds Linda, the gespreksleider, who may not read dilemmas: the bot points to the personal chat.
  mark = frames.length;
  await asUser(joost, { text: "<at>BO Wonen</at> dilemma's netcongestie" });
  const [pointer] = await nextFrames(1, mark);
  expect(cardJson(pointer)).toContain('ook mensen die geen BO-lid zijn');
  // Once everyone in it may read dilemmas (Linda is a wethouder now), Joost finds it there, recognises it and responds.
  const linda = file.users.find((u) => u.name === 'Linda Koster')!;
  await app.services.members.seed([
    { tenantId: file.tenantId.toLowerCase(), aadObjectId: linda.aadObjectId.toLowerCase(), name: linda.name, organisationId: 'laren', role: 'wethouder' },
  ]);
  mark = frames.length;
  await asUser(joost, { text: "<at>BO Wonen</at> dilemma's netcongestie" });
  const [list] = await nextFrames(1, mark);
  expect(list!.actionConversationId).toBe(file.groupChat.id);
  expect(cardJson(list)).toContain(id);

  mark = frames.length;
  await asUser(joost, { value: { verb: 'dilemmaRecognise', id, recognise: true }, replyToId: list!.message!.messageId });
  const [recognised] = await nextFrames(1, mark);
  expect(cardJson(recognised)).toContain('Jij bent nu de enige');

  mark = frames.length;
  await asUser(joost, { value: { verb: 'dilemmaRespond', id, submissionId: 'playground-response-1', responseText: 'Wij gebruiken een bouwbatterij. Bel me.', wantsToTalk: 'true' } });
  const afterResponse = await nextFrames(2, mark);
  const notice = afterResponse.find((f) => f.actionConversationId === chat());
  expect(cardJson(notice)).toContain(`Joost Verbeek (Gemeente Huizen) reageerde op je dilemma ${id} en wil doorpraten`);

  // Pieter of the secretariaat places it on the BO agenda; Marieke hears it.
  mark = frames.length;
  await asUser(pieter, { value: { verb: 'dilemmaStatus', id, status: 'geagendeerd', outcome: '' } });
  const afterStatus = await nextFrames(2, mark);
  expect(cardJson(afterStatus.find((f) => f.actionConversationId === chat()))).toContain('op de BO-agenda');
});

it('gives every Playground person their own personal chat, and a notice for one lands in that chat only', async () => {
  const tenantId = file.tenantId.toLowerCase();
  const marieke = people.find((p) => p.name === 'Marieke van Dalen')!;
  const joost = people.find((p) => p.name === 'Joost Verbeek')!;
  expect(people).toHaveLength(6);
  expect(new Set(people.map((p) => p.conversationId)).size).toBe(6);
  expect(marieke).toMatchObject({ typing: true, conversationId: chat() });

  // What earlier starts left behind: everyone who typed stored under the one shared chat id, on another port.
  const { references } = app.services;
  const current = (await references.personalChat(tenantId, marieke.aadObjectId))!;
  for (const person of [marieke, joost]) {
    await references.save({
      ...current,
      aadObjectId: person.aadObjectId,
      reference: { ...current.reference, conversation: { ...current.reference.conversation!, id: 'personal-chat-bo-wonen' }, serviceUrl: 'http://localhost:1/_connector' },
    });
  }
  people = await registerPlaygroundChats(references, playground.port);
  expect((await references.personalChat(tenantId, joost.aadObjectId))?.reference.conversation?.id).toBe(joost.conversationId);
  expect((await references.personalChat(tenantId, marieke.aadObjectId))?.reference.conversation?.id).toBe(chat());
  expect(await references.conversation('personal-chat-bo-wonen')).toBeUndefined();

  const mark = frames.length;
  const sentRecords = () => logRecords.filter((r) => r.event === 'proactive.sent').map((r) => r.conversationId);
  const sentBefore = sentRecords().length;
  // Two notices through the outbox, as every proactive message goes: first Joost's, then (once it is sent) Marieke's.
  const { outbox } = app.services;
  if (!outbox.renderers.has('test.notice')) outbox.renderer('test.notice', async ({ data }) => ({ type: 'message', text: String(data.text) }));
  const deliver = async (batch: string, person: { aadObjectId: string }, text: string) => {
    await outbox.enqueue({ batch, recipient: { tenantId, aadObjectId: person.aadObjectId }, kind: 'test.notice', data: { text } });
    for (let i = 0; i < 100 && (await outbox.report(batch)).pending > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await outbox.report(batch)).toMatchObject({ sent: 1 });
  };
  await deliver('playground-joost-71', joost, 'Bericht voor Joost 71');
  await deliver('playground-marieke-72', marieke, 'Bericht voor Marieke 72');
  const shown = await nextFrames(1, mark);
  expect(shown.map((f) => [f.actionConversationId, f.message?.text])).toEqual([[chat(), 'Bericht voor Marieke 72']]);
  expect(sentRecords().slice(sentBefore)).toEqual([joost.conversationId, chat()]);

  // The launcher turns the first into a line for the tester, and keeps quiet about the second.
  expect(noticeLine(joost.conversationId, people)).toBe(
    'Bericht voor Joost Verbeek bewaard. Je ziet het als je start met: npm start -- --as joost',
  );
  expect(noticeLine(chat(), people)).toBeUndefined();
});
