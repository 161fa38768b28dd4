// The outbox end to end: real Azurite tables and queue, the real worker and sender, and a fake Teams that
// enforces the rate limits and answers with 429, 5xx, 403 and 404 when told to.
import { startApp, type RunningApp } from '../../src/app';
import { createLogger } from '../../src/log';
import { Outbox, type OutboxMessage } from '../../src/proactive/outbox';
import type { Tables } from '../../src/storage/tables';
import { Scheduler } from '../../src/proactive/scheduler';
import { OutboxWorker } from '../../src/proactive/worker';
import type { QueueMessage } from '../../src/proactive/queue';
import { LimitedConnector } from '../helpers/limitedConnector';
import { TENANT, testConfig } from '../helpers/harness';

let app: RunningApp;
let teams: LimitedConnector;

const person = (i: number) => ({ tenantId: TENANT, aadObjectId: `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}` });
const chatOf = (i: number) => `a:chat-${i}`;

async function giveChat(i: number): Promise<void> {
  const p = person(i);
  await app.services.references.save({
    reference: {
      channelId: 'msteams',
      serviceUrl: teams.serviceUrl,
      conversation: { id: chatOf(i), conversationType: 'personal', tenantId: TENANT, isGroup: false, name: '' },
      user: { id: `29:${p.aadObjectId}`, name: '' },
      bot: { id: '28:bot', name: 'BO Wonen' },
    },
    conversationType: 'personal',
    locale: i % 2 ? 'en-GB' : 'nl-NL',
    tenantId: TENANT,
    aadObjectId: p.aadObjectId,
    updatedAt: new Date().toISOString(),
  });
}

async function settled(batch: string, timeoutMs = 25_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await app.services.outbox.report(batch);
    if (report.total > 0 && report.pending === 0) return report;
    if (Date.now() > deadline) throw new Error(`batch ${batch} not done: ${JSON.stringify(report)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const hello = (batch: string, i: number): OutboxMessage => ({ batch, recipient: person(i), kind: 'test.hello', data: { n: i } });

beforeAll(async () => {
  teams = await new LimitedConnector().start();
  const config = testConfig({ OUTBOX_VISIBILITY_SECONDS: '2', OUTBOX_MAX_ATTEMPTS: '3', SCHEDULER: 'off', TEAMS_SERVICE_URL: teams.serviceUrl });
  app = await startApp(config, { log: createLogger(config.logLevel) });
  app.services.outbox.renderer('test.hello', async ({ data, locale }) => ({ type: 'message', text: `${locale === 'en' ? 'Hello' : 'Hallo'} ${data.n}` }));
  for (let i = 1; i <= 40; i++) await giveChat(i);
});

afterAll(async () => {
  await app.stop();
  await teams.stop();
});

beforeEach(() => {
  teams.fault = undefined;
});

it('sends each message once, in the reader\'s language, retrying 429 and 5xx within the limits', async () => {
  teams.fault = ({ conversationId, attempt }) => {
    const n = Number(conversationId.split('-')[1]);
    if (n % 5 === 0 && attempt === 1) return { status: 429, retryAfterSeconds: 1 };
    if (n % 7 === 0 && attempt === 1) return { status: 503 };
    return undefined;
  };
  const callsBefore = teams.calls;
  const sentBefore = app.sender.calls;
  const from = teams.delivered.length;
  await app.services.outbox.enqueueMany(Array.from({ length: 30 }, (_, k) => hello('b-once', k + 1)));
  const report = await settled('b-once');
  expect(report).toMatchObject({ total: 30, sent: 30, failed: 0, unreachable: 0, pending: 0 });
  const delivered = teams.delivered.slice(from);
  expect(delivered).toHaveLength(30);
  expect(new Set(delivered.map((d) => d.conversationId)).size).toBe(30);
  expect(delivered.find((d) => d.conversationId === chatOf(2))?.activity.text).toBe('Hallo 2');
  expect(delivered.find((d) => d.conversationId === chatOf(3))?.activity.text).toBe('Hello 3');
  // Every HTTP call the bot made is one the throttle counted: no hidden retries inside the SDK.
  expect(teams.calls - callsBefore).toBe(app.sender.calls - sentBefore);
  expect(teams.calls - callsBefore).toBe(30 + 6 + 4);
  expect(teams.overLimit).toBe(0);
});

it('sends a message once however often it is enqueued or its queue message comes back', async () => {
  const from = teams.delivered.length;
  await app.services.outbox.enqueue(hello('b-twice', 1));
  expect(await app.services.outbox.enqueue(hello('b-twice', 1))).toBe('exists');
  await settled('b-twice');
  // The same work once more on the queue, as after a redelivery: the row says it is sent.
  await app.services.outbox.queue.send(JSON.stringify({ t: 'send', ...hello('b-twice', 1) }));
  // Settled means the queue is empty and nothing is in flight: the copy was taken and handled.
  expect(await app.worker.settle()).toBe(true);
  expect(teams.delivered.slice(from).filter((d) => d.conversationId === chatOf(1))).toHaveLength(1);
});

it('adds nothing when a batch is enqueued a second time', async () => {
  const batch = Array.from({ length: 12 }, (_, k) => hello('b-again', k + 1));
  expect(await app.services.outbox.enqueueMany(batch)).toEqual({ queued: 12, existed: 0, held: 0 });
  await settled('b-again');
  expect(await app.worker.settle()).toBe(true);
  const callsBefore = teams.calls;
  expect(await app.services.outbox.enqueueMany(batch)).toEqual({ queued: 0, existed: 12, held: 0 });
  // Not one new queue message: the existing rows were skipped, not queued again.
  expect(await app.services.outbox.queue.hasVisible()).toBe(false);
  expect(await app.worker.settle()).toBe(true);
  expect(teams.calls).toBe(callsBefore);
});

it('finds the delivery rows of a person whose id holds a quote, for export and erasure', async () => {
  // The quote would end the OData string literal early if the filter were built without escaping.
  const quoted = { tenantId: TENANT, aadObjectId: "o'quote" };
  await app.services.outbox.enqueue({ batch: 'b-quote', recipient: quoted, kind: 'test.hello', data: { n: 0 } });
  await settled('b-quote');
  expect((await app.services.outbox.personalData(quoted)).deliveries).toHaveLength(1);
  await app.services.outbox.erase(quoted);
  expect((await app.services.outbox.personalData(quoted)).deliveries).toEqual([]);
});

describe('with the worker paused, driving queue messages by hand', () => {
  const workers: OutboxWorker[] = [];
  const second = () =>
    new OutboxWorker(app.services.outbox, app.services.outbox.queue, app.sender, app.services.references, createLogger('silent'), app.services.config.proactive, app.services.config.locale);

  beforeEach(async () => {
    await app.worker.stop();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    app.worker.start();
  });

  async function takeMessage(): Promise<QueueMessage> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [message] = await app.services.outbox.queue.receive(1, 30);
      if (message) return message;
      if (Date.now() > deadline) throw new Error('no queue message came');
    }
  }

  /** Hands queue messages to the worker, as the running worker would, until the batch has this many sent. */
  async function handleUntil(batch: string, sent: number): Promise<void> {
    for (let tries = 0; tries < 20 && (await app.services.outbox.report(batch)).sent < sent; tries++) await app.worker.handle(await takeMessage());
  }

  it('sends once when two workers race on one row (the state change needs the row\'s ETag)', async () => {
    await app.services.outbox.enqueue(hello('b-race', 21));
    const message = await takeMessage();
    const from = teams.delivered.length;
    const other = second();
    workers.push(other);
    // Both hold the same queue message at once, as after a redelivery to two instances.
    await Promise.all([app.worker.handle(message).catch(() => undefined), other.handle({ ...message }).catch(() => undefined)]);
    expect(teams.delivered.slice(from).filter((d) => d.conversationId === chatOf(21))).toHaveLength(1);
    expect(await app.services.outbox.get('b-race', person(21))).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('finishes a send when only the row\'s "queued" mark changed during the call (enqueue marks rows after the worker took one)', async () => {
    await app.services.outbox.enqueue(hello('b-mark', 24));
    const message = await takeMessage();
    // While Teams takes the message, the batch that put it on the queue marks its row queued, as enqueueMany does
    // once all its messages are out: the row's ETag changes, nothing else.
    teams.beforeAnswer = async () => {
      const row = (await app.services.outbox.get('b-mark', person(24)))!;
      expect(await app.services.outbox.change(row, { queued: true })).toBeDefined();
    };
    await app.worker.handle(message);
    expect(teams.beforeAnswer).toBeUndefined();
    // Sent, once, and the report is complete: not "in progress" for ever with nobody to finish it.
    expect(await app.services.outbox.get('b-mark', person(24))).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await app.services.outbox.report('b-mark')).toMatchObject({ sent: 1, pending: 0 });
  });

  it('leaves a row alone while another worker\'s lease on it is live', async () => {
    await app.services.outbox.enqueue(hello('b-lease', 22));
    const message = await takeMessage();
    const row = (await app.services.outbox.get('b-lease', person(22)))!;
    const held = await app.services.outbox.change(row, { state: 'sending', leaseUntil: Date.now() + 60_000 });
    expect(held).toBeDefined();
    const from = teams.calls;
    await app.worker.handle(message).catch(() => undefined);
    expect(teams.calls).toBe(from);
    expect(await app.services.outbox.get('b-lease', person(22))).toMatchObject({ state: 'sending', attempts: 0 });
    // Done with it: the test's own "other worker" says it is sent, so nothing comes back later.
    await app.services.outbox.change((await app.services.outbox.get('b-lease', person(22)))!, { state: 'sent', leaseUntil: 0 });
  });

  it('keeps a message whose queue was away, and sends it once the sweeper finds the queue back', async () => {
    const queue = app.services.outbox.queue;
    const away = jest.spyOn(queue, 'send').mockRejectedValueOnce(new Error('queue away'));
    try {
      expect(await app.services.outbox.enqueue(hello('b-held', 25))).toBe('held');
    } finally {
      away.mockRestore();
    }
    expect(app.services.outbox.held).toBeGreaterThan(0);
    // The row is kept and waits for the sweeper: not marked as queued, since no message went out.
    expect(await app.services.outbox.get('b-held', person(25))).toMatchObject({ state: 'pending', queued: false });
    // The sweeper a little later (a row of a few seconds old may still get its message from its enqueuer).
    const later = new Outbox(app.tables, queue, () => new Date(Date.now() + 10_000));
    expect((await later.sweep()).requeued).toBeGreaterThan(0);
    expect(await app.services.outbox.get('b-held', person(25))).toMatchObject({ state: 'pending', queued: true });
    const from = teams.delivered.length;
    await handleUntil('b-held', 1);
    expect(teams.delivered.slice(from).filter((d) => d.conversationId === chatOf(25))).toHaveLength(1);
    // With the queue there, a message is simply queued.
    expect(await app.services.outbox.enqueue(hello('b-held', 26))).toBe('queued');
    await handleUntil('b-held', 2);
  });

  it('throws when the row cannot be written instead of calling it a duplicate; notify tells its caller and never throws', async () => {
    // An outbox whose table is not there: every write fails, and no failure may pass for "already enqueued".
    const broken = new Outbox({ client: () => app.tables.client('Outboxmissing') } as unknown as Tables, app.services.outbox.queue);
    await expect(broken.enqueue(hello('b-broken', 27))).rejects.toThrow();
    const failures: unknown[] = [];
    await broken.notify(hello('b-broken', 27), (err) => failures.push(err));
    await broken.notify(async () => [hello('b-broken', 28)], (err) => failures.push(err));
    expect(failures).toHaveLength(2);
    // The working outbox: one message, or the list a function gives; resolved once the rows are written.
    await app.services.outbox.notify(hello('b-notify', 33), (err) => failures.push(err));
    await app.services.outbox.notify(async () => [hello('b-notify', 34), hello('b-notify', 35)], (err) => failures.push(err));
    expect(failures).toHaveLength(2);
    expect((await app.services.outbox.list('b-notify')).map((d) => d.recipient).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([person(33), person(34), person(35)]);
    await handleUntil('b-notify', 3);
    expect(await app.services.outbox.report('b-notify')).toMatchObject({ sent: 3, pending: 0 });
  });

  it('enqueues a batch bigger than one write (a hundred rows) once, with one queue message each', async () => {
    const batch = Array.from({ length: 101 }, (_, k) => ({ batch: 'b-big', recipient: { conversationId: `a:big-${k}` }, kind: 'test.hello', data: { n: k } }) as OutboxMessage);
    expect(await app.services.outbox.enqueueMany(batch)).toEqual({ queued: 101, existed: 0, held: 0 });
    expect(await app.services.outbox.list('b-big')).toHaveLength(101);
    // Exactly one message per row on the queue (taken off by hand: these chats do not exist).
    let messages = 0;
    for (const deadline = Date.now() + 20_000; messages < 101 && Date.now() < deadline; ) {
      for (const m of await app.services.outbox.queue.receive(32, 30)) {
        if ((JSON.parse(m.body) as { batch?: string }).batch === 'b-big') messages++;
        await app.services.outbox.queue.delete(m);
      }
    }
    expect(messages).toBe(101);
    expect(await app.services.outbox.queue.hasVisible()).toBe(false);
    for (const d of await app.services.outbox.list('b-big')) await app.services.outbox.change(d, { state: 'skipped' });
  });

  it('refuses a change made from an older copy of a row, also right after a change of its own, and drops one to a row erased meanwhile', async () => {
    await app.services.outbox.enqueue(hello('b-stale', 36));
    const message = await takeMessage();
    const row = (await app.services.outbox.get('b-stale', person(36)))!;
    const mine = (await app.services.outbox.change(row, { attempts: 1 }))!;
    // The copy a change gives back carries the row's new ETag: a next change from it goes through.
    const again = (await app.services.outbox.change(mine, { attempts: 2 }))!;
    expect(again).toMatchObject({ attempts: 2 });
    // Another worker changes the row: the copy held here is old now, and its change is refused.
    await app.services.outbox.change((await app.services.outbox.get('b-stale', person(36)))!, { lastError: 'another worker' });
    expect(await app.services.outbox.change(again, { state: 'sent' })).toBeUndefined();
    expect(await app.services.outbox.get('b-stale', person(36))).toMatchObject({ state: 'pending', lastError: 'another worker' });
    // The person is erased while a worker holds the row: its change comes to nothing, without an error.
    const held = (await app.services.outbox.get('b-stale', person(36)))!;
    await app.services.outbox.erase(person(36));
    expect(await app.services.outbox.change(held, { state: 'sent' })).toBeUndefined();
    await app.services.outbox.queue.delete(message);
  });

  it('counts a send taken over from a vanished worker as possibly double in the report', async () => {
    await app.services.outbox.enqueue(hello('b-reclaim', 23));
    const message = await takeMessage();
    const row = (await app.services.outbox.get('b-reclaim', person(23)))!;
    // A worker marked it "sending" and died: its lease has run out.
    await app.services.outbox.change(row, { state: 'sending', attempts: 1, leaseUntil: Date.now() - 1 });
    await app.worker.handle(message);
    // On a busy machine the worker may put the message back for a moment (its budget was busy): then the queue
    // brings it back, and we hand it to the worker again, as the running worker would.
    for (let tries = 0; tries < 5 && (await app.services.outbox.report('b-reclaim')).sent === 0; tries++) await app.worker.handle(await takeMessage());
    const report = await app.services.outbox.report('b-reclaim');
    expect(report).toMatchObject({ sent: 1, maybeDouble: 1 });
    expect((await app.services.outbox.report('b-once')).maybeDouble).toBe(0);
  });
});

it('marks people unreachable for good on 403 and 404, forgets their chat, and does not retry', async () => {
  teams.fault = ({ conversationId }) =>
    conversationId === chatOf(11)
      ? { status: 403, code: 'ConversationBlockedByUser' }
      : conversationId === chatOf(12)
        ? { status: 404, code: 'ConversationNotFound' }
        : undefined;
  const callsBefore = teams.calls;
  await app.services.outbox.enqueueMany([hello('b-gone', 11), hello('b-gone', 12), hello('b-gone', 13)]);
  const report = await settled('b-gone');
  expect(report).toMatchObject({ sent: 1, unreachable: 2, failed: 0 });
  expect(report.unreachablePeople.map((p) => p.aadObjectId).sort()).toEqual([person(11).aadObjectId, person(12).aadObjectId]);
  expect(teams.calls - callsBefore).toBe(3);
  expect(await app.services.references.personalChat(TENANT, person(11).aadObjectId)).toBeUndefined();
  expect(await app.services.references.conversation(chatOf(12))).toBeUndefined();
});

it('gives up after the configured number of attempts when Teams keeps failing', async () => {
  teams.fault = ({ conversationId }) => (conversationId === chatOf(20) ? { status: 502 } : undefined);
  const callsBefore = teams.calls;
  await app.services.outbox.enqueue(hello('b-fail', 20));
  const report = await settled('b-fail');
  expect(report).toMatchObject({ failed: 1, sent: 0 });
  expect(teams.calls - callsBefore).toBe(3);
  const row = await app.services.outbox.get('b-fail', person(20));
  expect(row).toMatchObject({ state: 'failed', attempts: 3 });
  expect(row?.lastError).toContain('502');
});

it('opens a 1:1 chat with a member who never wrote to the bot, and keeps it for next time', async () => {
  const newcomer = person(99);
  const from = teams.delivered.length;
  await app.services.outbox.enqueue({ batch: 'b-new', recipient: newcomer, kind: 'test.hello', data: { n: 99 } });
  await settled('b-new');
  const created = teams.created.find((c) => c.memberId === newcomer.aadObjectId);
  expect(created).toBeDefined();
  expect(teams.delivered.slice(from)).toEqual([expect.objectContaining({ conversationId: created!.conversationId })]);
  expect((await app.services.references.personalChat(TENANT, newcomer.aadObjectId))?.reference.conversation?.id).toBe(created!.conversationId);
});

it('lists a member whose 1:1 chat Teams refuses to create as unreachable', async () => {
  const refused = person(98);
  teams.fault = ({ create, memberId }) => (create && memberId === refused.aadObjectId ? { status: 403, code: 'BotNotInConversationRoster' } : undefined);
  await app.services.outbox.enqueue({ batch: 'b-refused', recipient: refused, kind: 'test.hello', data: { n: 98 } });
  const report = await settled('b-refused');
  expect(report).toMatchObject({ unreachable: 1, sent: 0 });
});

it('counts read receipts of personal chats against what was sent there', async () => {
  await app.services.outbox.enqueue(hello('b-read', 31));
  await settled('b-read');
  const sent = await app.services.outbox.get('b-read', person(31));
  expect(await app.services.outbox.markRead(chatOf(31), sent!.activityId)).toBe(1);
  expect((await app.services.outbox.report('b-read')).read).toBe(1);
});

it('exports and erases one person\'s delivery rows, and prunes old ones', async () => {
  const p = person(13);
  expect(((await app.services.outbox.personalData(p)).deliveries as unknown[]).length).toBeGreaterThan(0);
  await app.services.outbox.erase(p);
  expect((await app.services.outbox.personalData(p)).deliveries).toEqual([]);
  expect(await app.services.outbox.prune(new Date(Date.now() + 60_000))).toBeGreaterThan(0);
  expect((await app.services.outbox.report('b-once')).total).toBe(0);
});

it('runs a scheduled moment once when two schedulers on one store both see it', async () => {
  let runs = 0;
  app.services.outbox.job('test.tick', async () => {
    runs++;
  });
  const log = createLogger('silent');
  const moment = new Date('2026-03-02T07:00:00.000Z');
  const schedule = { slot: 'test-tick', job: 'test.tick', next: async () => undefined };
  const one = new Scheduler(app.tables, app.services.outbox, log);
  const two = new Scheduler(app.tables, app.services.outbox, log);
  const won = await Promise.all([one.fire(schedule, moment), two.fire(schedule, moment), one.fire(schedule, moment)]);
  expect(won.filter(Boolean)).toHaveLength(1);
  const deadline = Date.now() + 10_000;
  while (runs < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  // Nothing more happens: the worker has nothing left to run, and the job ran once.
  expect(await app.worker.settle()).toBe(true);
  expect(runs).toBe(1);
  expect(await one.history('test-tick', new Date('2026-03-03T00:00:00Z'))).toEqual([moment]);
});
