// The core's last guard: no message above Teams' size budget leaves the bot, whatever a capability builds.
// A test-only capability builds cards that are far too big on every path (reply, update, Action.Execute answer,
// proactive message); the fake connector refuses above Teams' limit with 413, as Teams does.
import { Writable } from 'node:stream';
import pino from 'pino';
import { startApp } from '../../src/app';
import { card, textBlock } from '../../src/cards/adaptive';
import { MESSAGE_BUDGET_BYTES, TEAMS_MESSAGE_LIMIT_BYTES, utf16Bytes } from '../../src/cards/budget';
import { CAPABILITIES } from '../../src/capabilities';
import { defineCapability } from '../../src/capability';
import { defineMessages } from '../../src/i18n';
import { cardActivity, replaceCard, sendCard } from '../../src/turn';
import { FakeConnector } from '../helpers/connector';
import { people, personalChat, testConfig, TestBot } from '../helpers/harness';

// Far over the budget; the text is marked so a test can see it never reaches the log.
const SECRET = 'inhoud-van-de-kaart-';
const huge = () => card([textBlock(SECRET.repeat(4_000))]);

const oversized = defineCapability({
  name: 'oversized',
  tables: [],
  messages: defineMessages({ nl: {}, en: {} }),
  build: () => ({}),
  routes: (_service, core) => {
    core.outbox.renderer('oversized.notice', async () => cardActivity(huge()));
    return {
      audience: { where: 'open' },
      commands: [
        { words: ['grootkaart'], handler: async ({ context }) => sendCard(context, huge()) },
        {
          words: ['grootbericht'],
          handler: async ({ context, member }) => {
            await core.outbox.enqueue({
              batch: `oversized-${Date.now()}`,
              recipient: { tenantId: member.tenantId, aadObjectId: member.aadObjectId },
              kind: 'oversized.notice',
              data: {},
            });
            await context.sendActivity('ok');
          },
        },
      ],
      actions: [{ verb: 'oversizedReplace', handler: async ({ context }) => replaceCard(context, huge()) }],
      executes: [{ verb: 'oversizedExecute', handler: async () => huge() }],
    };
  },
  privacy: () => ({ export: async () => ({}), erase: async () => undefined }),
});

const lines: string[] = [];
let bot: TestBot;
let connector: FakeConnector;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await startApp(testConfig(), { log: pino({ level: 'info' }, sink), capabilities: [...CAPABILITIES, oversized] });
  bot = new TestBot(app, connector);
});
afterAll(() => bot.stop());

/** What the connector refused for the bot's own chats (the first test sends one on purpose, elsewhere). */
const refusedByTeams = () => connector.tooBig.filter((r) => r.conversationId !== 'a:x');
const TOO_BIG_NL = 'Dit bericht is te groot voor Teams.';

function expectWarned(kind: string): void {
  const warnings = lines.filter((l) => l.includes('"message.tooBig"')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const warning = warnings.find((w) => w.kind === kind);
  expect(warning).toBeDefined();
  expect(Number(warning!.bytes)).toBeGreaterThan(MESSAGE_BUDGET_BYTES);
  expect(warning!.card).toEqual(expect.any(Array));
  // The size and kind, never the content.
  expect(lines.join('')).not.toContain(SECRET);
}

it('the test connector refuses a message above Teams\' limit with 413 MessageSizeTooBig, as Teams does', async () => {
  const activity = cardActivity(huge());
  expect(utf16Bytes(activity)).toBeGreaterThan(TEAMS_MESSAGE_LIMIT_BYTES);
  const res = await fetch(`${connector.serviceUrl}v3/conversations/a%3Ax/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  expect(res.status).toBe(413);
  expect(await res.text()).toContain('MessageSizeTooBig');
});

it('sends a short sentence instead of a reply that is too big, and logs its size', async () => {
  const replies = await bot.say(people.admin, 'grootkaart');
  expect(replies).toHaveLength(1);
  expect(replies[0]!.activity.text).toContain(TOO_BIG_NL);
  expect(replies[0]!.activity.attachments).toBeUndefined();
  expect(refusedByTeams()).toEqual([]);
  expectWarned('reply');
});

it('replaces the card with the sentence when an update would be too big', async () => {
  const replies = await bot.submit(people.admin, { verb: 'oversizedReplace' }, { replyToId: 'card-7' });
  expect(replies).toHaveLength(1);
  expect(replies[0]!.method).toBe('PUT');
  expect(replies[0]!.activity.text).toContain(TOO_BIG_NL);
  expect(replies[0]!.activity.attachments).toBeUndefined();
  expectWarned('update');
});

it('answers an Action.Execute with the sentence when the card it returns is too big', async () => {
  const result = await bot.post(
    bot.activity(people.admin, personalChat(people.admin), {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: 'card-8',
      value: { action: { type: 'Action.Execute', verb: 'oversizedExecute', data: {} }, trigger: 'manual' },
    }),
  );
  expect(result.status).toBe(200);
  const body = JSON.parse(result.body) as { type?: string; value?: unknown };
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
  expect(String(body.value)).toContain(TOO_BIG_NL);
  expect(result.body.length * 2).toBeLessThan(MESSAGE_BUDGET_BYTES);
  expectWarned('invokeResponse');
});

it('sends the sentence instead of a proactive message that is too big', async () => {
  const from = connector.records.length;
  await bot.say(people.admin, 'grootbericht');
  const records = await connector.waitFor(2, from);
  const notice = records.find((r) => r.activity.text !== 'ok');
  expect(notice?.activity.text).toContain(TOO_BIG_NL);
  expect(notice?.activity.attachments).toBeUndefined();
  expect(refusedByTeams()).toEqual([]);
  expectWarned('proactive');
});
