// The BO agenda and the digest through the Microsoft 365 Agents Playground, as the "done when" asks:
// the secretariaat fixes the agenda and sends the digest; it arrives once in each member's personal chat with
// their own content, and the delivery report adds up.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../src/app';
import { createLogger } from '../../src/log';
import { freePort } from '../../src/storage/azurite';
import { digestBatch } from '../../src/features/agenda/service';
import { readPlaygroundFile, registerPlaygroundChats, seedPlaygroundMembers, startPlayground, type PlaygroundHandle, type PlaygroundPerson } from '../../scripts/playground';
import { testConfig } from '../helpers/harness';
import { asSomeone, textOf, type Frame } from '../helpers/playground';

const file = readPlaygroundFile();
let app: RunningApp;
let playground: PlaygroundHandle;
let socket: WebSocket;
let people: PlaygroundPerson[] = [];
const frames: Frame[] = [];

/** Someone types or presses a button in their own personal chat. */
function asPerson(person: PlaygroundPerson, fields: Record<string, unknown>): Promise<void> {
  const user = [file.currentUser, ...file.users].find((u) => u.aadObjectId === person.aadObjectId)!;
  return asSomeone(playground, file, user, { id: person.conversationId, conversationType: 'personal' }, fields);
}

beforeAll(async () => {
  const config = testConfig({ ALLOWED_TENANT_IDS: file.tenantId, FORCE_LOCALE: 'nl', BOOTSTRAP_ADMINS: '', SCHEDULER: 'off' });
  app = await startApp(config, { log: createLogger('silent') });
  await seedPlaygroundMembers(app.services.members);
  // As npm start does: each capability's demo data (the next BO meeting with its invented agenda).
  for (const b of app.built) await b.capability.seed?.(b.service, app.services, b.need);
  playground = await startPlayground({
    botEndpoint: `http://127.0.0.1:${app.port}/api/messages`,
    port: await freePort(),
    workDir: mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-playground-')),
  });
  socket = new WebSocket(`ws://127.0.0.1:${playground.port}/_ws_conversation/v1/conversations/stream`);
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  people = await registerPlaygroundChats(app.services.references, playground.port);
}, 90_000);

afterAll(async () => {
  socket?.close();
  await playground?.stop();
  await app?.stop();
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
