// Plans in the Microsoft 365 Agents Playground, the local Teams client: the wethouder of the Playground file
// asks for a plan by a misspelled name and for `voortgang`, the way `npm start` offers them.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../src/app';
import { createLogger } from '../../src/log';
import { freePort } from '../../src/storage/azurite';
import { SAMPLE_FILE } from '../../src/features/plans';
import { readPlaygroundFile, seedPlaygroundMembers, startPlayground, type PlaygroundHandle } from '../../scripts/playground';
import { cardProblems } from '../helpers/cards';
import { testConfig } from '../helpers/harness';

interface Message {
  messageId: string;
  attachments?: Array<{ content: Record<string, unknown> }>;
}

const file = readPlaygroundFile();
let app: RunningApp;
let playground: PlaygroundHandle;
let socket: WebSocket;
const messages: Message[] = [];

beforeAll(async () => {
  app = await startApp(testConfig({ ALLOWED_TENANT_IDS: file.tenantId, FORCE_LOCALE: 'nl', BOOTSTRAP_ADMINS: '' }), { log: createLogger('silent') });
  await seedPlaygroundMembers(app.services.members);
  await app.services.plans.seed(readFileSync(SAMPLE_FILE));
  playground = await startPlayground({
    botEndpoint: `http://127.0.0.1:${app.port}/api/messages`,
    port: await freePort(),
    workDir: mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-plans-playground-')),
  });
  socket = new WebSocket(`ws://127.0.0.1:${playground.port}/_ws_conversation/v1/conversations/stream`);
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { action: string; message?: Message };
    if (frame.action === 'createMessage' && frame.message) messages.push(frame.message);
  });
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

async function ask(text: string): Promise<Record<string, unknown>> {
  const from = messages.length;
  const res = await fetch(`http://127.0.0.1:${playground.port}/_conversation/v1/conversations/${encodeURIComponent(file.personalChat.id)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: { id: file.currentUser.id }, text, textFormat: 'plain' }),
  });
  expect(res.ok).toBe(true);
  const deadline = Date.now() + 15_000;
  while (messages.length === from) {
    if (Date.now() > deadline) throw new Error(`no answer to "${text}" in the Playground`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const card = messages[from]!.attachments?.[0]?.content;
  if (!card) throw new Error(`no card in the answer to "${text}"`);
  return card;
}

it('shows the card of a plan asked for with a typo', async () => {
  const card = await ask('plan zonnewijzrhof');
  expect(JSON.stringify(card)).toContain('Zonnewijzerhof');
  expect(JSON.stringify(card)).toContain('Volg dit plan');
  expect(cardProblems(card)).toEqual([]);
});

it('shows the regional progress with bars the Playground can draw', async () => {
  const card = await ask('voortgang');
  const json = JSON.stringify(card);
  expect(json).toContain('van de 7.000 woningen zijn in beeld');
  expect(json).toContain('"fallback":{"type":"Container"');
  expect(json).toContain('"style":"good"');
});
