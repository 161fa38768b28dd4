// Privacy: what people type or enter on cards never reaches the logs at info level.
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestBot, people, buttonsOf, type TestBot } from '../helpers/harness';

const lines: string[] = [];
let bot: TestBot;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  bot = await startTestBot({}, pino({ level: 'info' }, sink));
});
afterAll(async () => {
  await bot.stop();
});

it('logs events and ids, but not the message text or the card input', async () => {
  await bot.say(people.admin, 'help');
  await bot.say(people.admin, 'geheimwoord-zeven iets onbekends');
  const [formReply] = await bot.say(people.admin, 'dilemma');
  const submissionId = String(buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
  await bot.submit(people.admin, {
    verb: 'dilemmaSave',
    submissionId,
    title: 'Titel-met-geheim-81',
    description: 'Omschrijving-met-geheim-82',
    theme: 'overig',
    municipalities: 'laren',
    relatedPlan: 'Plan-geheim-83',
    visibility: 'confidential',
    wantsAgenda: 'false',
  });
  const log = lines.join('');
  expect(log).toContain('dilemma.created');
  for (const secret of ['geheimwoord-zeven', 'Titel-met-geheim-81', 'Omschrijving-met-geheim-82', 'Plan-geheim-83']) {
    expect(log).not.toContain(secret);
  }
});
