// Through the Microsoft 365 Agents Playground's own HTTP/WebSocket API: install, `help`, read the card, press a button.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../src/app';
import { createLogger } from '../../src/log';
import { freePort } from '../../src/storage/azurite';
import { roleSchema } from '../../src/features/members/model';
import { playgroundMembers, readPlaygroundFile, startPlayground, type PlaygroundHandle } from '../../scripts/playground';
import { testConfig } from '../helpers/harness';

interface Frame {
  action: string;
  actionConversationId: string;
  message?: { messageId: string; text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> };
}

const file = readPlaygroundFile();
let app: RunningApp;
let playground: PlaygroundHandle;
let socket: WebSocket;
const frames: Frame[] = [];

async function nextFrames(count: number, from: number, timeoutMs = 15_000): Promise<Frame[]> {
  const deadline = Date.now() + timeoutMs;
  const relevant = () => frames.slice(from).filter((f) => f.action === 'createMessage' || f.action === 'updateMessage');
  while (relevant().length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} bot messages in the Playground, got ${relevant().length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return relevant();
}

async function api(pathname: string, body: unknown): Promise<Response> {
  const res = await fetch(`http://127.0.0.1:${playground.port}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Playground ${pathname} answered ${res.status}: ${await res.text()}`);
  return res;
}

beforeAll(async () => {
  const config = testConfig({ ALLOWED_TENANT_IDS: file.tenantId, FORCE_LOCALE: 'nl', BOOTSTRAP_ADMINS: '' });
  app = await startApp(config, { log: createLogger('silent') });
  await app.services.members.seed(
    playgroundMembers().map((p) => ({
      tenantId: file.tenantId.toLowerCase(),
      aadObjectId: p.aadObjectId.toLowerCase(),
      name: p.name,
      organisationId: p.organisationId,
      role: roleSchema.parse(p.role),
    })),
  );
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
}, 60_000);

afterAll(async () => {
  socket?.close();
  await playground?.stop();
  await app?.stop();
});

const chat = () => file.personalChat.id;

it('greets on install and shows the Dutch welcome card on help', async () => {
  const start = frames.length;
  await api(`/_debug/conversation/${encodeURIComponent(chat())}/installation`, {});
  const [welcome] = await nextFrames(1, start);
  expect(welcome!.message?.text).toContain('Typ "help"');

  const before = frames.length;
  await api(`/_conversation/v1/conversations/${encodeURIComponent(chat())}/messages`, {
    from: { id: file.currentUser.id },
    text: 'help',
    textFormat: 'plain',
  });
  const [reply] = await nextFrames(1, before);
  const card = reply!.message?.attachments?.[0]?.content;
  expect(card?.type).toBe('AdaptiveCard');
  expect(JSON.stringify(card)).toContain('Welkom bij BO Wonen');
  expect(JSON.stringify(card)).toContain(file.currentUser.name);
  // A wethouder is not secretariaat: no management button.
  expect(JSON.stringify(card)).not.toContain('"Beheer"');
});

it('answers a press on a card button like the typed command', async () => {
  const before = frames.length;
  await api(`/_conversation/v1/conversations/${encodeURIComponent(chat())}/messages`, {
    from: { id: file.currentUser.id },
    text: 'iets onbekends',
    textFormat: 'plain',
  });
  const [hint] = await nextFrames(1, before);
  expect(JSON.stringify(hint!.message?.attachments?.[0]?.content)).toContain('Dat begrijp ik niet');

  const afterHint = frames.length;
  await api('/_conversation/v1/submit', {
    conversation: { id: chat() },
    from: { id: file.currentUser.id },
    replyToId: hint!.message!.messageId,
    value: { verb: 'command', command: 'help' },
  });
  const [menu] = await nextFrames(1, afterHint);
  expect(JSON.stringify(menu!.message?.attachments?.[0]?.content)).toContain('Welkom bij BO Wonen');
});
