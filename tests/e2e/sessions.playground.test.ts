// Sessions through the Microsoft 365 Agents Playground's own API, as the "done when" asks: two members
// press "Aanmelden" for the last seat at once, one gets it, the other waits and is promoted when a seat frees;
// the calendar file has the right local time; the reminder arrives once.
import type { RunningApp } from '../../src/app';
import { literal } from '../../src/cards/markdown';
import { readPlaygroundFile, type PlaygroundHandle } from '../../scripts/playground';
import { asSomeone, playgroundPost, seedDemoData, startPlaygroundSession, textOf, type Frame, type PlaygroundSession } from '../helpers/playground';

const file = readPlaygroundFile();
const marieke = file.currentUser;
const joost = file.users.find((u) => u.name === 'Joost Verbeek')!;
const fatima = file.users.find((u) => u.name === 'Fatima El Amrani')!;
const pieter = file.users.find((u) => u.name === 'Pieter de Graaf')!;
let pg: PlaygroundSession;
let app: RunningApp;
let playground: PlaygroundHandle;
let frames: Frame[] = [];
let sessionId = '';

const personal = () => file.personalChat.id;
const waitFor = (predicate: (fs: Frame[]) => boolean, from: number, what: string, timeoutMs?: number) => pg.waitFor(predicate, from, what, timeoutMs);

const api = (pathname: string, body: unknown) => playgroundPost(playground, pathname, body);

/** Marieke types in her personal chat. */
const say = (text: string) => api(`/_conversation/v1/conversations/${encodeURIComponent(personal())}/messages`, { from: { id: marieke.id }, text, textFormat: 'plain' });
/** Marieke presses a button on a card in her personal chat. */
const press = (replyToId: string, value: unknown) => api('/_conversation/v1/submit', { conversation: { id: personal() }, from: { id: marieke.id }, replyToId, value });
/** Someone else presses a button in the group chat (the Playground types as its current user only). */
const pressAs = (user: typeof joost, value: unknown) => asSomeone(playground, file, user, { id: file.groupChat.id, conversationType: 'groupChat' }, { value });

beforeAll(async () => {
  // As npm start does: each capability's demo data.
  pg = await startPlaygroundSession({ seed: seedDemoData });
  ({ app, playground, frames } = pg);
  const mark = frames.length;
  await api(`/_debug/conversation/${encodeURIComponent(personal())}/installation`, {});
  await waitFor((fs) => fs.length >= 1, mark, 'welcome');
  // The secretariaat (Pieter) plans a small session: two seats.
  const admin = (await app.services.members.resolve({ tenantId: file.tenantId, aadObjectId: pieter.aadObjectId, name: pieter.name }))!;
  const created = await app.services.sessions.create(
    admin,
    {
      series: 'overig',
      title: 'Werksessie woon-werkbalans',
      description: '',
      date: '2027-03-30',
      startTime: '15:00',
      endTime: '16:30',
      deadlineDate: '2027-03-23',
      location: 'Online (link volgt)',
      hostOrganisation: 'Gemeente Huizen',
      facilitatorName: '',
      facilitator: '',
      capacity: '2',
      audience: ['wethouder', 'directeur-bestuurder'],
    },
    'playground-session-1',
  );
  if (created.status !== 'saved') throw new Error('session not created');
  sessionId = created.session.id;
}, 90_000);

afterAll(async () => {
  await pg?.stop();
});

it('shows the seeded learning track and theme session', async () => {
  const mark = frames.length;
  await say('sessies');
  const [list] = await waitFor((fs) => fs.length >= 1, mark, 'session list');
  const text = textOf(list);
  expect(text.match(/Praktijkleergang \\"Samenwerken aan meer betaalbare woningen\\" \d/g)).toHaveLength(4);
  expect(text).toContain('Themasessie: sneller van plan naar bouw');
  // Typed titles show literally (markdown signs escaped).
  expect(text).toContain(literal('Werksessie woon-werkbalans'));
});

it('gives the last seat to one of two pressing at once; the other waits, and is promoted and told when a seat frees', async () => {
  // Fatima takes the first of the two seats.
  let mark = frames.length;
  await pressAs(fatima, { verb: 'sessionSignUp', sessionId });
  await waitFor((fs) => fs.some((f) => textOf(f).includes('Je bent aangemeld')), mark, "Fatima's answer");

  mark = frames.length;
  await say('sessies');
  const [list] = await waitFor((fs) => fs.length >= 1, mark, 'session list');
  mark = frames.length;
  await Promise.all([
    press(list!.message!.messageId, { verb: 'sessionSignUp', sessionId, list: 'upcoming' }),
    pressAs(joost, { verb: 'sessionSignUp', sessionId }),
  ]);
  const answers = await waitFor((fs) => fs.filter((f) => /Je bent aangemeld voor|wachtlijst: plaats 1/.test(textOf(f))).length >= 2, mark, 'two answers');
  const mariekeAnswer = textOf(answers.find((f) => f.actionConversationId === personal()));
  const joostAnswer = textOf(answers.find((f) => f.actionConversationId === file.groupChat.id));
  expect([mariekeAnswer, joostAnswer].filter((t) => t.includes('Je bent aangemeld voor'))).toHaveLength(1);
  expect([mariekeAnswer, joostAnswer].filter((t) => t.includes('Je staat op de wachtlijst: plaats 1.'))).toHaveLength(1);

  if (mariekeAnswer.includes('Je bent aangemeld voor')) {
    // Marieke won: she gives the seat up (Joost gets it), signs up again and now waits behind no one.
    mark = frames.length;
    await say('mijn sessies');
    const [mine] = await waitFor((fs) => fs.length >= 1, mark, 'my sessions');
    mark = frames.length;
    await press(mine!.message!.messageId, { verb: 'sessionCancelSignUp', sessionId, list: 'mine' });
    await waitFor((fs) => fs.some((f) => textOf(f).includes('Je bent afgemeld')), mark, 'cancel answer');
    mark = frames.length;
    await press(mine!.message!.messageId, { verb: 'sessionSignUp', sessionId, list: 'mine' });
    await waitFor((fs) => fs.some((f) => textOf(f).includes('wachtlijst: plaats 1')), mark, 'waiting again');
  }
  // Joost now has the seat and cancels: Marieke, first on the list, is promoted and told in her own chat.
  mark = frames.length;
  await pressAs(joost, { verb: 'sessionCancelSignUp', sessionId });
  const after = await waitFor((fs) => fs.some((f) => f.actionConversationId === personal() && textOf(f).includes('Goed nieuws')), mark, 'promotion notice');
  expect(after.filter((f) => f.actionConversationId === personal() && textOf(f).includes('Goed nieuws'))).toHaveLength(1);
});

it('serves the calendar file from the card at the right local time', async () => {
  const mark = frames.length;
  await say('mijn sessies');
  const [mine] = await waitFor((fs) => fs.length >= 1, mark, 'my sessions');
  expect(textOf(mine)).toContain('Je bent aangemeld.');
  const url = new URL(/"url":"([^"]*\/sessions\/calendar\?t=[^"]+)"/.exec(textOf(mine))![1]!);
  const res = await fetch(`http://127.0.0.1:${app.port}${url.pathname}${url.search}`);
  expect(res.status).toBe(200);
  const ics = (await res.text()).replace(/\r\n /g, '');
  // 30 March 2027 is summer time: 15:00 in Amsterdam, 13:00 UTC.
  expect(ics).toContain('DTSTART;TZID=Europe/Amsterdam:20270330T150000');
  expect(ics).toContain('TZID:Europe/Amsterdam');
});

it('sends the reminder once, however often it is checked', async () => {
  const session = await app.services.sessions.get(sessionId);
  const dayBefore = new Date(Date.parse(session.startsAt) - 20 * 3_600_000);
  const mark = frames.length;
  await Promise.all([app.services.sessions.sendDueReminders(dayBefore), app.services.sessions.sendDueReminders(dayBefore)]);
  await app.services.sessions.sendDueReminders(new Date(dayBefore.getTime() + 3_600_000));
  await waitFor((fs) => fs.some((f) => textOf(f).includes('Herinnering')), mark, 'reminder');
  expect(await app.worker.settle()).toBe(true);
  expect(pg.botFrames(mark).filter((f) => f.actionConversationId === personal() && textOf(f).includes('Herinnering'))).toHaveLength(1);
});
