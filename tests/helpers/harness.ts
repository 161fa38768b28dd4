// Starts the real bot (real HTTP, real Azurite tables) against a fake Bot Connector, and speaks Teams to it.
import { randomUUID } from 'node:crypto';
import { azuriteConnectionString, loadConfig, type Config } from '../../src/config';
import { startApp, type RunningApp } from '../../src/app';
import { createLogger, type Logger } from '../../src/log';
import { FakeConnector, type Recorded } from './connector';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

export interface TestUser {
  aadObjectId: string;
  name: string;
  tenantId?: string;
  locale?: string;
}

export const people = {
  admin: { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Sanne Secretaris' },
  wethouder: { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Wim Wethouder' },
  newcomer: { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000003', name: 'Nina Nieuw' },
  english: { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000004', name: 'Emma English', locale: 'en-GB' },
} satisfies Record<string, TestUser>;

export function testTablePrefix(): string {
  return `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const port = process.env.TEST_AZURITE_PORT;
  if (!port) throw new Error('TEST_AZURITE_PORT is not set: run the tests with jest (globalSetup starts Azurite)');
  return loadConfig({
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    STORAGE_CONNECTION_STRING: azuriteConnectionString(Number(port), '127.0.0.1', Number(process.env.TEST_AZURITE_QUEUE_PORT)),
    TABLE_PREFIX: testTablePrefix(),
    ALLOWED_TENANT_IDS: TENANT,
    BOOTSTRAP_ADMINS: people.admin.aadObjectId,
    // No scheduled digests in the middle of a test (a test that wants them says so).
    SCHEDULER: 'off',
    ...overrides,
  });
}

export interface ConversationSpec {
  id: string;
  type: 'personal' | 'channel' | 'groupChat';
}

export function personalChat(user: TestUser): ConversationSpec {
  return { id: `a:personal-${user.aadObjectId}`, type: 'personal' };
}

/** The team of the test channel: Teams lists a standard channel's readers as the team's members. */
export const TEAM_ID = '19:team@thread.tacv2';

export const channel: ConversationSpec = { id: '19:general@thread.tacv2;messageid=1', type: 'channel' };

let activityCounter = 0;

/** Every test bot still running in this test file: instances on one store share the outbox's work queue. */
const liveBots = new Set<TestBot>();

export class TestBot {
  constructor(
    readonly app: RunningApp,
    readonly connector: FakeConnector,
  ) {
    liveBots.add(this);
  }

  activity(user: TestUser, conversation: ConversationSpec, fields: Record<string, unknown>): Record<string, unknown> {
    const tenantId = user.tenantId ?? TENANT;
    // Whoever speaks in a channel or group chat is in it: Teams would list them in its roster.
    if (conversation.type !== 'personal') {
      const rosterId = conversation.type === 'channel' ? TEAM_ID : conversation.id;
      this.connector.addToRoster(rosterId, { id: `29:${user.aadObjectId}`, name: user.name, aadObjectId: user.aadObjectId, tenantId });
    }
    return {
      type: 'message',
      id: `in-${++activityCounter}`,
      channelId: 'msteams',
      serviceUrl: this.connector.serviceUrl,
      timestamp: new Date().toISOString(),
      locale: user.locale ?? 'nl-NL',
      from: { id: `29:${user.aadObjectId}`, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: '28:bot', name: 'BO Wonen' },
      conversation: {
        id: conversation.id,
        conversationType: conversation.type,
        tenantId,
        ...(conversation.type === 'personal' ? {} : { isGroup: true }),
      },
      channelData: {
        tenant: { id: tenantId },
        ...(conversation.type === 'channel'
          ? { team: { id: TEAM_ID }, channel: { id: '19:general@thread.tacv2' } }
          : {}),
      },
      // Teams marks an @mention of the bot with an entity; the bot strips it from the text.
      ...(typeof fields.text === 'string' && fields.text.includes('<at>')
        ? { entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'BO Wonen' }, text: '<at>BO Wonen</at>' }] }
        : {}),
      ...fields,
    };
  }

  /** Posts an activity and returns what the bot sent while handling it. */
  async post(body: unknown): Promise<{ status: number; replies: Recorded[]; body: string }> {
    const from = this.connector.records.length;
    const res = await fetch(this.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    // Notices to other people are in the outbox before the turn answers; their sending comes after.
    // Another instance on the same store may have taken the work from the shared queue: wait for every one.
    await Promise.all([...liveBots].map((bot) => bot.app.worker.settle()));
    return { status: res.status, replies: this.connector.records.slice(from), body: text };
  }

  async say(user: TestUser, text: string, conversation = personalChat(user)): Promise<Recorded[]> {
    const result = await this.post(this.activity(user, conversation, { text }));
    if (result.status >= 400) throw new Error(`bot answered ${result.status}: ${result.body}`);
    return result.replies;
  }

  async submit(user: TestUser, value: unknown, options: { replyToId?: string; conversation?: ConversationSpec } = {}): Promise<Recorded[]> {
    const conversation = options.conversation ?? personalChat(user);
    const result = await this.post(
      this.activity(user, conversation, { value, ...(options.replyToId ? { replyToId: options.replyToId } : {}) }),
    );
    if (result.status >= 400) throw new Error(`bot answered ${result.status}: ${result.body}`);
    return result.replies;
  }

  async stop(): Promise<void> {
    liveBots.delete(this);
    await this.app.stop();
    await this.connector.stop();
  }
}

export async function startTestBot(overrides: Record<string, string> = {}, log?: Logger): Promise<TestBot> {
  const connector = await new FakeConnector().start();
  const config = testConfig(overrides);
  const app = await startApp(config, { log: log ?? createLogger(config.logLevel) });
  return new TestBot(app, connector);
}

/** The Adaptive Card content of a recorded message, if it has one. */
export function cardOf(record: Recorded | undefined): Record<string, unknown> | undefined {
  const attachments = record?.activity.attachments as Array<{ contentType: string; content: Record<string, unknown> }> | undefined;
  return attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All text a person would read in a message: its text, or the text blocks of its card. */
export function readable(record: Recorded | undefined): string {
  if (!record) return '';
  const parts: string[] = [];
  if (typeof record.activity.text === 'string') parts.push(record.activity.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      if (typeof o.title === 'string') parts.push(o.title);
      if (typeof o.label === 'string') parts.push(o.label);
      if (Array.isArray(o.facts)) for (const f of o.facts as Array<{ value?: unknown }>) parts.push(String(f.value ?? ''));
      Object.values(o).forEach(walk);
    }
  };
  walk(cardOf(record));
  return parts.join('\n');
}

/** Titles and data of every submit button on a card (nested show cards included). */
export function buttonsOf(record: Recorded | undefined): Array<{ title: string; data: Record<string, unknown>; tooltip?: string }> {
  const out: Array<{ title: string; data: Record<string, unknown>; tooltip?: string }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Submit' || o.type === 'Action.Execute') {
        out.push({ title: String(o.title), data: (o.data ?? {}) as Record<string, unknown>, ...(typeof o.tooltip === 'string' ? { tooltip: o.tooltip } : {}) });
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(cardOf(record));
  return out;
}
