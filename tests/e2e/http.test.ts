// The HTTP surface and the turn pipeline: tenants, bad requests, health, tokens, concurrency, failures.
import { startTestBot, people, personalChat, readable, OTHER_TENANT, TENANT, type TestBot } from '../helpers/harness';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.stop();
});

async function countRows(b: TestBot, table: string): Promise<number> {
  let n = 0;
  for await (const _row of b.app.tables.client(table).listEntities()) n++;
  return n;
}

it('gives another tenant one short refusal and stores nothing', async () => {
  const before = await Promise.all([countRows(bot, 'Members'), countRows(bot, 'Conversations'), countRows(bot, 'AccessRequests')]);
  const outsider = { aadObjectId: people.admin.aadObjectId, name: 'Eve', tenantId: OTHER_TENANT };
  const replies = await bot.say(outsider, 'help');
  expect(replies.map((r) => r.activity.text)).toEqual([expect.stringContaining('alleen voor de deelnemers')]);
  const install = await bot.post(bot.activity(outsider, personalChat(outsider), { type: 'installationUpdate', action: 'add' }));
  expect(install.status).toBeLessThan(300);
  expect(install.replies).toHaveLength(0);
  const invoke = await bot.post(
    bot.activity(outsider, personalChat(outsider), {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'dilemmaRecognise', data: { id: 'D-2026-001' } }, trigger: 'manual' },
    }),
  );
  expect(invoke.status).toBe(200);
  expect(invoke.body).toContain('alleen voor de deelnemers');
  const after = await Promise.all([countRows(bot, 'Members'), countRows(bot, 'Conversations'), countRows(bot, 'AccessRequests')]);
  expect(after).toEqual(before);
});

it('answers malformed JSON and non-activities with 400', async () => {
  expect((await bot.post('{"type": "message", ')).status).toBe(400);
  expect((await bot.post('[1,2,3]')).status).toBe(400);
  expect((await bot.post({ hello: 'world' })).status).toBe(400);
  // Still alive afterwards.
  expect(readable((await bot.say(people.admin, 'help'))[0])).toContain('Welkom');
});

it('reports health and readiness', async () => {
  const base = bot.app.url.replace('/api/messages', '');
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
});

it('answers every one of ten messages sent at once in the same conversation', async () => {
  const results = await Promise.all(
    Array.from({ length: 10 }, () => bot.post(bot.activity(people.admin, personalChat(people.admin), { text: 'help' }))),
  );
  expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
  const welcomes = bot.connector.records.filter((r) => readable(r).includes('Welkom bij BO Wonen'));
  expect(welcomes.length).toBeGreaterThanOrEqual(10);
});

it('asks for a shorter message instead of reading a huge one', async () => {
  const [reply] = await bot.say(people.admin, 'x'.repeat(20_000));
  expect(reply!.activity.text).toContain('te lang');
});

it('remembers where it was installed and forgets on uninstall', async () => {
  const chat = { id: 'a:install-test', type: 'personal' as const };
  const user = { aadObjectId: 'dddddddd-0000-4000-8000-000000000001', name: 'Ilse Installeer' };
  const added = await bot.post(bot.activity(user, chat, { type: 'installationUpdate', action: 'add' }));
  expect(added.replies.map((r) => r.activity.text)).toEqual([expect.stringContaining('Typ "hulp"')]);
  expect(await bot.app.services.references.personalChat(TENANT, user.aadObjectId)).toBeDefined();
  await bot.post(bot.activity(user, chat, { type: 'installationUpdate', action: 'remove' }));
  expect(await bot.app.services.references.personalChat(TENANT, user.aadObjectId)).toBeUndefined();
  expect(await bot.app.services.references.conversation(chat.id)).toBeUndefined();
});

it('tells a group chat that it answers only an @mention', async () => {
  const group = { id: '19:groupchat-install@thread.v2', type: 'groupChat' as const };
  const added = await bot.post(bot.activity(people.admin, group, { type: 'installationUpdate', action: 'add' }));
  expect(added.replies.map((r) => r.activity.text)).toEqual([expect.stringContaining('typ @BO Wonen en daarna hulp')]);
});

it('stores a team channel when the bot is added to a team', async () => {
  const team = { id: '19:newteam@thread.tacv2', type: 'channel' as const };
  await bot.post(
    bot.activity(people.admin, team, { type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }], text: undefined }),
  );
  expect((await bot.app.services.references.conversation(team.id))?.conversationType).toBe('channel');
  await bot.post(bot.activity(people.admin, team, { type: 'conversationUpdate', membersRemoved: [{ id: '28:bot' }] }));
  expect(await bot.app.services.references.conversation(team.id)).toBeUndefined();
});

it('retries a proactive message after 429 (one HTTP call per try) and forgets a conversation Teams says is gone', async () => {
  await bot.say(people.admin, 'help');
  const outbox = bot.app.services.outbox;
  if (!outbox.renderers.has('test.ping')) outbox.renderer('test.ping', async () => ({ type: 'message', text: 'ping' }));
  const admin = { tenantId: TENANT, aadObjectId: people.admin.aadObjectId };
  const settle = async (batch: string) => {
    for (let i = 0; i < 100 && (await outbox.report(batch)).pending > 0; i++) await new Promise((r) => setTimeout(r, 100));
    return outbox.report(batch);
  };
  let calls = 0;
  bot.connector.fault = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '0' } } : undefined);
  await outbox.enqueue({ batch: 'http-429', recipient: admin, kind: 'test.ping', data: {} });
  expect(await settle('http-429')).toMatchObject({ sent: 1 });
  expect(calls).toBe(2);

  // A 403 that does not say the conversation is gone (say, a token problem) keeps the reference.
  bot.connector.fault = () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'token' } } });
  await outbox.enqueue({ batch: 'http-403', recipient: admin, kind: 'test.ping', data: {} });
  expect(await settle('http-403')).toMatchObject({ failed: 1 });
  expect(await bot.app.services.references.personalChat(TENANT, people.admin.aadObjectId)).toBeDefined();

  bot.connector.fault = () => ({ status: 403, body: { error: { code: 'ConversationBlockedByUser' } } });
  await outbox.enqueue({ batch: 'http-gone', recipient: admin, kind: 'test.ping', data: {} });
  expect(await settle('http-gone')).toMatchObject({ unreachable: 1 });
  bot.connector.fault = undefined;
  expect(await bot.app.services.references.personalChat(TENANT, people.admin.aadObjectId)).toBeUndefined();
});

describe('with a bot app id configured', () => {
  let secured: TestBot;
  beforeAll(async () => {
    secured = await startTestBot({
      MICROSOFT_APP_ID: '0c0ffee0-0000-4000-8000-000000000001',
      MICROSOFT_APP_TYPE: 'MultiTenant',
      MICROSOFT_APP_PASSWORD: 'not-used',
    });
  });
  afterAll(async () => {
    await secured.stop();
  });

  it('rejects requests without a Bot Framework token', async () => {
    const result = await secured.post(secured.activity(people.admin, personalChat(people.admin), { text: 'help' }));
    expect(result.status).toBe(401);
    expect(result.replies).toHaveLength(0);
  });
});

describe('malformed and unknown activities', () => {
  it('answers a card submit whose value is null like any other malformed submit', async () => {
    const result = await bot.post(bot.activity(people.admin, personalChat(people.admin), { value: null }));
    expect(result.status).toBe(200);
    expect(result.replies.map((r) => r.activity.text)).toEqual([expect.stringContaining('Dit formulier klopt niet')]);
  });

  it('answers a bare value (not an object) the same way, and a null value beside text as the text', async () => {
    const bare = await bot.post(bot.activity(people.admin, personalChat(people.admin), { value: 'x' }));
    expect(bare.replies.map((r) => r.activity.text)).toEqual([expect.stringContaining('Dit formulier klopt niet')]);
    const withText = await bot.post(bot.activity(people.admin, personalChat(people.admin), { text: 'help', value: null }));
    expect(readable(withText.replies[0])).toContain('Welkom bij BO Wonen');
  });

  it('gives an invoke it does not know a proper answer instead of HTTP 501', async () => {
    for (const name of ['adaptiveCard/action', 'composeExtension/unknownThing', 'task/fetch']) {
      const result = await bot.post(
        bot.activity(people.admin, personalChat(people.admin), {
          type: 'invoke',
          name,
          value: { action: { type: 'Action.Execute', verb: 'noSuchVerb', data: {} } },
        }),
      );
      expect({ name, status: result.status }).toEqual({ name, status: 200 });
      expect(result.body).toContain('Deze knop werkt niet');
    }
  });

  it('tells someone without an Entra object id that Teams did not say who they are', async () => {
    const activity = bot.activity(people.admin, personalChat(people.admin), { text: 'help' });
    (activity.from as Record<string, unknown>).aadObjectId = undefined;
    const result = await bot.post(activity);
    expect(result.replies.map((r) => r.activity.text)).toEqual([expect.stringContaining('Teams gaf niet mee wie je bent')]);
  });
});
