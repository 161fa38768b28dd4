// The work queue goes away for 30 s (cut through a loopback proxy: connections drop and are refused, as when the
// queue service stops; tables stay up) while members respond to a dilemma, one response a second: every responder
// is told "done", /readyz says the queue is away but the bot still works, and once the queue is back every author
// notice arrives exactly once, without a restart.
import { Writable } from 'node:stream';
import pino from 'pino';
import { azuriteConnectionString } from '../../src/config';
import { StorageProxy } from '../helpers/proxy';
import { buttonsOf, people, personalChat, readable, startTestBot, TENANT, type TestBot } from '../helpers/harness';

const RESPONSES = 30;
/** How long the queue stays away; the responses are spread over it. */
const OUTAGE_MS = 30_000;
let bot: TestBot;
let queue: StorageProxy;
const events: Array<{ event?: string; requeued?: number }> = [];
const responder = { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000031', name: 'Rob Reageert' };

beforeAll(async () => {
  queue = await new StorageProxy(Number(process.env.TEST_AZURITE_QUEUE_PORT)).start();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) events.push(JSON.parse(line) as { event?: string });
      done();
    },
  });
  bot = await startTestBot(
    { STORAGE_CONNECTION_STRING: azuriteConnectionString(Number(process.env.TEST_AZURITE_PORT), '127.0.0.1', queue.port) },
    pino({ level: 'info' }, sink),
  );
  await bot.app.services.members.seed([
    { tenantId: TENANT, aadObjectId: people.wethouder.aadObjectId, name: people.wethouder.name, organisationId: 'hilversum', role: 'wethouder' },
    { tenantId: TENANT, aadObjectId: responder.aadObjectId, name: responder.name, organisationId: 'huizen', role: 'wethouder' },
  ]);
});

afterAll(async () => {
  await bot.stop();
  await queue.cut();
});

async function readyz(): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(bot.app.url.replace('/api/messages', '/readyz'));
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

it('keeps every notice made while the queue is away and delivers each exactly once when it is back', async () => {
  const author = people.wethouder;
  const [form] = await bot.say(author, 'dilemma');
  const submissionId = String(buttonsOf(form).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
  const saved = await bot.submit(author, {
    verb: 'dilemmaSave',
    submissionId,
    title: 'Netcongestie vertraagt oplevering',
    description: 'De netbeheerder kan pas in 2029 aansluiten.',
    theme: 'netcongestie',
    municipalities: 'hilversum',
    relatedPlan: '',
    visibility: 'members',
    wantsAgenda: 'false',
  });
  const id = /D-\d{4}-\d{3}/.exec(readable(saved[0]))![0];
  expect((await readyz()).body).toMatchObject({ status: 'ready', queue: 'ok' });
  const mark = bot.connector.records.length;

  await queue.cut();
  const cutAt = Date.now();
  const during = await readyz();
  expect(during.status).toBe(200);
  expect(during.body).toMatchObject({ status: 'degraded', storage: 'ok', queue: 'unreachable' });

  for (let n = 1; n <= RESPONSES; n++) {
    const who = n % 2 ? responder : people.admin;
    const replies = await bot.submit(who, { verb: 'dilemmaRespond', submissionId: `outage-${n}`, id, responseText: `Reactie ${n}`, wantsToTalk: 'false' });
    // The responder is told it is saved: that promise holds whatever the queue does.
    expect(readable(replies[0])).toMatch(/opgeslagen|bedankt|reactie/i);
    // Members keep responding through the outage, about one a second, not all in its first moment.
    const next = cutAt + (n * OUTAGE_MS) / RESPONSES;
    if (Date.now() < next) await new Promise((r) => setTimeout(r, next - Date.now()));
  }
  const toAuthor = () => bot.connector.records.slice(mark).filter((r) => r.conversationId === personalChat(author).id);
  expect(toAuthor()).toHaveLength(0);
  expect(Date.now() - cutAt).toBeGreaterThanOrEqual(OUTAGE_MS);
  expect((await readyz()).body).toMatchObject({ status: 'degraded', queue: 'unreachable' });

  await queue.restore();
  // Wait for the condition, not for a time: every notice has arrived and nothing is left to send.
  const deadline = Date.now() + 60_000;
  while (toAuthor().length < RESPONSES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await bot.app.worker.settle()).toBe(true);
  const notices = toAuthor();
  expect(notices).toHaveLength(RESPONSES);
  expect(notices.every((r) => readable(r).includes(`reageerde op je dilemma ${id}`))).toBe(true);
  // Exactly once each: 30 notice rows, every one sent, and 30 messages in the chat (a row is only "sent" after
  // Teams took its message, so a doubled one would show as a 31st message or an unsent row).
  const { deliveries } = (await bot.app.services.outbox.personalData({ tenantId: TENANT, aadObjectId: author.aadObjectId })) as {
    deliveries: Array<{ kind: string; state: string }>;
  };
  const rows = deliveries.filter((d) => d.kind === 'dilemmas.authorNotice');
  expect(rows).toHaveLength(RESPONSES);
  expect(rows.every((d) => d.state === 'sent')).toBe(true);
  expect(events.some((e) => e.event === 'outbox.swept' && (e.requeued ?? 0) > 0)).toBe(true);
  expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready', queue: 'ok' } });
}, 180_000);
