// The BO agenda and the digest through the Microsoft 365 Agents Playground, as the "done when" asks:
// the secretariaat fixes the agenda and sends the digest; it arrives once in each member's personal chat with
// their own content, and the delivery report adds up.
import type { RunningApp } from '../../src/app';
import { digestBatch } from '../../src/features/agenda/service';
import { readPlaygroundFile, registerPlaygroundChats, type PlaygroundHandle, type PlaygroundPerson } from '../../scripts/playground';
import { asSomeone, seedDemoData, startPlaygroundSession, textOf, type Frame, type PlaygroundSession } from '../helpers/playground';

const file = readPlaygroundFile();
let session: PlaygroundSession;
let app: RunningApp;
let playground: PlaygroundHandle;
let people: PlaygroundPerson[] = [];
let frames: Frame[] = [];

/** Someone types or presses a button in their own personal chat. */
function asPerson(person: PlaygroundPerson, fields: Record<string, unknown>): Promise<void> {
  const user = [file.currentUser, ...file.users].find((u) => u.aadObjectId === person.aadObjectId)!;
  return asSomeone(playground, file, user, { id: person.conversationId, conversationType: 'personal' }, fields);
}

beforeAll(async () => {
  // As npm start does: each capability's demo data (the next BO meeting with its invented agenda).
  session = await startPlaygroundSession({ env: { SCHEDULER: 'off' }, seed: seedDemoData });
  ({ app, playground, frames } = session);
  people = await registerPlaygroundChats(app.services.references, playground.port);
}, 90_000);

afterAll(async () => {
  await session?.stop();
});

it('fixes the agenda, sends the digest once to each member with their own content, and the report adds up', async () => {
  const pieter = people.find((p) => p.name === 'Pieter de Graaf')!;
  const marieke = people.find((p) => p.typing)!;
  const meeting = (await app.services.agenda.nextMeeting())!;
  expect(meeting.status).toBe('gepland');

  // Pieter (secretariaat) fixes the agenda and sends the digest, in his personal chat.
  await asPerson(pieter, { value: { verb: 'agendaFix', meetingId: meeting.id } });
  for (let i = 0; i < 100 && (await app.services.agenda.nextMeeting())!.status !== 'vastgesteld'; i++) await new Promise((r) => setTimeout(r, 100));
  expect((await app.services.agenda.nextMeeting())!.status).toBe('vastgesteld');
  const mark = frames.length;
  await asPerson(pieter, { text: 'digest versturen' });

  // The digest job fans out through the outbox; wait until every delivery row is settled.
  let moment: Date | undefined;
  for (let i = 0; i < 150 && !moment; i++) {
    [moment] = await app.services.agenda.digestMoments(1);
    if (!moment) await new Promise((r) => setTimeout(r, 100));
  }
  const batch = digestBatch(moment!.toISOString());
  let report = await app.services.outbox.report(batch);
  for (let i = 0; i < 200 && (report.total === 0 || report.pending > 0); i++) {
    await new Promise((r) => setTimeout(r, 100));
    report = await app.services.outbox.report(batch);
  }
  // Who gets it: the members of BO Wonen's roles (the gespreksleider does not).
  expect(report.total).toBe(people.filter((p) => p.role !== 'gespreksleider').length);
  expect(report.sent + report.failed + report.unreachable + report.skipped + report.pending).toBe(report.total);
  expect(report.sent).toBe(report.total);

  // In the browser's chat (Marieke's), the digest arrives exactly once, with the fixed agenda.
  const digests = () => frames.slice(mark).filter((f) => f.actionConversationId === marieke.conversationId && textOf(f).includes('Je BO Wonen digest'));
  for (let i = 0; i < 100 && digests().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(digests()).toHaveLength(1);
  expect(textOf(digests()[0])).toContain('Volgende BO');
}, 90_000);
