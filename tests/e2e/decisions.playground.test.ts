// Decisions and agreements through the Microsoft 365 Agents Playground, as the "done when" asks: the
// secretariaat records an agreement after a BO, the owner gets the notice, one reminder however often it is
// checked, the next agenda carries the actielijst, and the besluitenlijst downloads.
import JSZip from 'jszip';
import type { RunningApp } from '../../src/app';
import { besluitenlijstLink } from '../../src/features/decisions/routes';
import { readPlaygroundFile, registerPlaygroundChats, type PlaygroundHandle, type PlaygroundPerson } from '../../scripts/playground';
import { asSomeone, playgroundPost, seedDemoData, startPlaygroundSession, textOf, type Frame, type PlaygroundSession } from '../helpers/playground';

const file = readPlaygroundFile();
let session: PlaygroundSession;
let app: RunningApp;
let playground: PlaygroundHandle;
let people: PlaygroundPerson[] = [];
let frames: Frame[] = [];

function asPerson(person: PlaygroundPerson, fields: Record<string, unknown>): Promise<void> {
  const user = [file.currentUser, ...file.users].find((u) => u.aadObjectId === person.aadObjectId)!;
  return asSomeone(playground, file, user, { id: person.conversationId, conversationType: 'personal' }, fields);
}
const inChat = (person: PlaygroundPerson, fs: Frame[]) => fs.filter((f) => f.actionConversationId === person.conversationId);

beforeAll(async () => {
  // Reminders DECISIONS_REMINDER_DAYS before the date: wide enough here that the agreement is due "soon" now.
  session = await startPlaygroundSession({ env: { SCHEDULER: 'off', DECISIONS_REMINDER_DAYS: '60' }, seed: seedDemoData });
  ({ app, playground, frames } = session);
  people = await registerPlaygroundChats(app.services.references, playground.port);
}, 90_000);

afterAll(async () => {
  await session?.stop();
});

it('records an agreement, tells its owner once, reminds once, puts the actielijst on the next agenda and serves the besluitenlijst', async () => {
  const pieter = people.find((p) => p.name === 'Pieter de Graaf')!;
  const marieke = people.find((p) => p.typing)!;
  const admin = (await app.services.members.resolve({ tenantId: file.tenantId, aadObjectId: pieter.aadObjectId, name: pieter.name }))!;
  // The seeded BO (decisions are recorded for it) and the one after it.
  const meeting = (await app.services.agenda.nextMeeting())!;
  const later = await app.services.agenda.createMeeting(admin, new Date(Date.parse(meeting.startsAt) + 42 * 24 * 3_600_000), 'Gemeentehuis Huizen');
  const item = meeting.items.find((i) => i.title === 'Regionale afspraak over betaalbare koop')!;
  const due = new Date(Date.parse(meeting.startsAt) + 14 * 24 * 3_600_000).toISOString().slice(0, 10);

  // Pieter (secretariaat) opens "besluiten" in his personal chat and records an agreement for Marieke. The
  // Playground keeps Pieter's chat but streams only the chats of the one typing (Marieke): his side is checked
  // in storage, hers on screen.
  let mark = frames.length;
  await asPerson(pieter, { text: `besluiten ${meeting.id}` });
  await asPerson(pieter, {
    value: {
      verb: 'decisionRecord',
      meetingId: meeting.id,
      decisionItem: item.id,
      decisionKind: 'afspraak',
      decisionText: 'Stel een voorstel op voor de grens van betaalbare koop in 2027.',
      decisionOwner: `m:${marieke.aadObjectId}`,
      decisionDue: due,
    },
  });
  const [notice] = inChat(marieke, await session.waitFor((fs) => inChat(marieke, fs).some((f) => textOf(f).includes('Nieuwe afspraak voor Marieke van Dalen')), mark, 'notice to the owner'));
  expect(textOf(notice)).toContain('Stel een voorstel op voor de grens van betaalbare koop in 2027');
  const [recorded] = await app.services.decisions.all();
  expect(recorded).toMatchObject({ meetingId: meeting.id, itemId: item.id, ownerAadObjectId: marieke.aadObjectId, dueDate: due, status: 'open' });
  await app.worker.settle();
  expect(inChat(marieke, session.botFrames(mark)).filter((f) => textOf(f).includes('Nieuwe afspraak'))).toHaveLength(1);

  // The daily check, twice at one moment (two instances) and once more (a restart): one reminder.
  mark = frames.length;
  const schedule = { slot: 'decisions.reminders', job: 'decisions.reminders', next: async () => undefined };
  const moment = new Date();
  await Promise.all([app.services.scheduler.fire(schedule, moment), app.services.scheduler.fire(schedule, moment)]);
  await app.services.outbox.runJob('decisions.reminders', { slot: moment.toISOString() });
  await session.waitFor((fs) => inChat(marieke, fs).some((f) => textOf(f).includes('Herinnering')), mark, 'reminder');
  await app.worker.settle();
  expect(inChat(marieke, session.botFrames(mark)).filter((f) => textOf(f).includes('Herinnering'))).toHaveLength(1);

  // The next BO carries the actielijst.
  const next = await app.services.agenda.meeting(later.id);
  const actielijst = next.items.find((i) => i.title === 'Actielijst');
  expect(actielijst?.summary).toContain('Nog open: 1');
  expect(actielijst?.summary).toContain('Stel een voorstel op voor de grens van betaalbare koop');

  // Marieke opens her actions and sees it there.
  mark = frames.length;
  await playgroundPost(playground, `/_conversation/v1/conversations/${encodeURIComponent(marieke.conversationId)}/messages`, { from: { id: file.currentUser.id }, text: 'acties', textFormat: 'plain' });
  const [acties] = await session.waitFor((fs) => fs.some((f) => textOf(f).includes('Mijn acties')), mark, 'acties');
  expect(textOf(acties)).toContain('Stel een voorstel op voor de grens van betaalbare koop in 2027');

  // The besluitenlijst downloads, without personal names when asked: the link Pieter's button gives.
  const url = besluitenlijstLink(app.services.links, meeting.id, false, 'nl', 1);
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const xml = await (await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()))).file('word/document.xml')!.async('string');
  const text = xml.replace(/<[^>]+>/g, '');
  expect(text).toContain('Stel een voorstel op voor de grens van betaalbare koop in 2027.');
  expect(text).toContain('Eigenaar: Gemeente Hilversum.');
  expect(text).not.toContain('Marieke');
});
