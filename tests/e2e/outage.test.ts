// Storage stops during traffic: lists still show what the process holds in memory, whatever needs storage
// is answered "temporarily unavailable", /readyz says 503, nothing already confirmed is lost, and everything
// works again once storage is back, without a restart.
import { Writable } from 'node:stream';
import pino from 'pino';
import { azuriteConnectionString } from '../../src/config';
import { StorageProxy } from '../helpers/proxy';
import { buttonsOf, people, personalChat, readable, startTestBot, TENANT, type TestBot } from '../helpers/harness';

let bot: TestBot;
let storage: StorageProxy;
const events: string[] = [];
beforeAll(async () => {
  storage = await new StorageProxy(Number(process.env.TEST_AZURITE_PORT)).start();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) events.push(String((JSON.parse(line) as { event?: string }).event));
      done();
    },
  });
  bot = await startTestBot(
    {
      STORAGE_CONNECTION_STRING: azuriteConnectionString(storage.port, '127.0.0.1', Number(process.env.TEST_AZURITE_QUEUE_PORT)),
      DILEMMA_REFRESH_MS: '100',
    },
    pino({ level: 'debug' }, sink),
  );
  await bot.app.services.members.seed([
    { tenantId: TENANT, aadObjectId: people.wethouder.aadObjectId, name: people.wethouder.name, organisationId: 'hilversum', role: 'wethouder' },
  ]);
});
afterAll(async () => {
  await bot.stop();
  await storage.cut();
});

it('keeps confirmed work through an outage and recovers without a restart', async () => {
  const [form] = await bot.say(people.wethouder, 'dilemma');
  const submissionId = String(buttonsOf(form).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
  const saved = await bot.submit(people.wethouder, {
    verb: 'dilemmaSave',
    submissionId,
    title: 'Stikstof remt de bouw in Hilversum',
    description: 'De vergunning wacht op een stikstofberekening.',
    theme: 'stikstof',
    municipalities: 'hilversum',
    relatedPlan: '',
    visibility: 'members',
    wantsAgenda: 'false',
  });
  const id = /D-\d{4}-\d{3}/.exec(readable(saved[0]))![0];
  // The secretariaat has spoken before the outage (so the bot knows them).
  await bot.say(people.admin, 'help');

  await storage.cut();
  const base = bot.app.url.replace('/api/messages', '');
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);

  // Reading: the list is in memory, so it still shows (with what this process knows).
  const listed = await bot.say(people.wethouder, "dilemma's");
  expect(readable(listed[0])).toContain('Stikstof remt de bouw in Hilversum');

  // Writing needs storage: a new dilemma gets the sentence, and the form can be sent again later.
  const later = {
    verb: 'dilemmaSave',
    submissionId: 'outage-second-dilemma',
    title: 'Netcongestie in Hilversum',
    description: 'De netbeheerder sluit pas later aan.',
    theme: 'netcongestie',
    municipalities: 'hilversum',
    relatedPlan: '',
    visibility: 'members',
    wantsAgenda: 'false',
  };
  const down = await bot.submit(people.wethouder, later);
  expect(down).toHaveLength(1);
  expect(down[0]!.activity.text).toMatch(/tijdelijk niet beschikbaar.*code [0-9A-F]{6}/s);
  // A button press (Action.Execute) gets the same sentence as its answer, not Teams' own error.
  const pressed = await bot.post(
    bot.activity(people.admin, personalChat(people.admin), {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: 'card-1',
      value: { action: { type: 'Action.Execute', verb: 'dilemmaRecognise', data: { id, recognise: true } }, trigger: 'manual' },
    }),
  );
  expect(pressed.status).toBe(200);
  expect(pressed.body).toMatch(/tijdelijk niet beschikbaar/);

  // The lists could not be refreshed meanwhile: after several failed polls, that has been said once, not every poll.
  const deadline = Date.now() + 20_000;
  while (events.filter((e) => e === 'dilemmas.refreshStillFailing').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(events.filter((e) => e === 'dilemmas.refreshStillFailing').length).toBeGreaterThanOrEqual(3);
  expect(events.filter((e) => e === 'dilemmas.refreshFailed')).toHaveLength(1);

  await storage.restore();
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  const resent = await bot.submit(people.wethouder, later);
  const second = /D-\d{4}-\d{3}/.exec(readable(resent[0]))![0];
  const back = await bot.say(people.wethouder, "dilemma's");
  expect(readable(back[0])).toContain(id);
  expect(readable(back[0])).toContain(second);
  expect(readable(back[0])).toContain('Stikstof remt de bouw in Hilversum');
  for (let i = 0; i < 50 && !events.includes('dilemmas.refreshRecovered'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(events.filter((e) => e === 'dilemmas.refreshFailed')).toHaveLength(1);
  expect(events).toContain('dilemmas.refreshRecovered');
});
